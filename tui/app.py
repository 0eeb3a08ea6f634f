"""The triage terminal UI (Textual). A thin shell over verifier's services and views."""

from __future__ import annotations


def run(db: str | None, analyst: str | None) -> None:
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class VerifierApp(App):
        def compose(self):
            yield Header()
            yield Static("verifier")
            yield Footer()

    VerifierApp().run()
