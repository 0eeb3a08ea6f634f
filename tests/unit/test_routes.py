"""The addresses of the app's screens in a browser: what a pasted link opens, what the page shows."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from verifier.views import routes
from verifier.views.routes import Route


@pytest.mark.parametrize(("path", "route"), [
    ("/", routes.HOME),
    ("/queue", Route("queue")),
    ("/sources", Route("sources")),
    ("/duplicates", Route("duplicates")),
    ("/inbox", Route("inbox")),
    ("/claims/c1", Route("claim", "c1")),
    ("/sources/sohr", Route("source", "sohr")),
    ("/claims/a/b", Route("claim", "a/b")),  # a key may hold a slash; its link quotes it
])
def test_each_screen_has_an_address_and_back(path, route):
    assert routes.parse(path) == route
    assert routes.parse(unquote(route.path)) == routes.parse(route.plain) == route  # decoded paths
    assert routes.of(route.screen, route.key) == route  # what an app reports


@pytest.mark.parametrize("path", ["/claims/", "/claims", "/admin", "/static/x", "/claims/" + "x" * 201,
                                  "/claims/a\nb", "/sources/\x00"])
def test_anything_else_names_no_screen(path):
    assert routes.parse(path) is None


def test_an_app_reports_only_screens_that_have_an_address():
    assert routes.of("help") is None and routes.of("claim") is None and routes.of("queue", "x") is None


def test_links_quote_the_key_and_titles_name_the_screen_and_the_app():
    assert Route("claim", "a/b c").path == "/claims/a%2Fb%20c"
    assert Route("claim", "c1").title == "claim c1 · verifier"
    assert routes.HOME.title == "queue · verifier"
