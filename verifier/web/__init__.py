"""``verifier serve``: the web server that signs people in before any app process starts
(``server``), and the app processes it runs for signed-in browsers (``apps``)."""
