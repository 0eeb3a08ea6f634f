"""The addresses of the app's screens in a browser (``verifier serve``): one home for the
paths that the web server accepts and the app reports as its screen changes.

``/queue``, ``/sources``, ``/duplicates``, ``/inbox``; ``/claims/KEY`` a claim's page,
``/sources/KEY`` a source's audit. ``/`` is the queue."""

from __future__ import annotations

from urllib.parse import quote

from attrs import frozen

APP = "verifier"
LISTS = ("queue", "sources", "duplicates", "inbox")  # screens without a key
PAGES = {"claims": "claim", "sources": "source"}  # /claims/KEY opens the screen "claim" on KEY
MAX_KEY = 200


@frozen
class Route:
    screen: str  # a mode (queue, sources, duplicates), "inbox", "claim" or "source"
    key: str | None = None

    @property
    def path(self) -> str:
        """The address (the key quoted): what links and the address bar show."""
        return self._path(lambda key: quote(key, safe=""))

    @property
    def plain(self) -> str:
        """The decoded path, as ``parse`` takes it (a sign-in form's ``next``)."""
        return self._path(str)

    def _path(self, key) -> str:
        if self.key is None:
            return f"/{self.screen}"
        folder = next(f for f, screen in PAGES.items() if screen == self.screen)
        return f"/{folder}/{key(self.key)}"

    @property
    def title(self) -> str:
        """What the browser's tab says: the screen, then the app."""
        what = self.screen if self.key is None else f"{self.screen} {self.key}"
        return f"{what} · {APP}"


HOME = Route("queue")


def of(screen, key=None) -> Route | None:
    """The route of a screen name and key (as an app reports them), or None."""
    if key is None:
        return Route(screen) if screen in LISTS else None
    if screen not in PAGES.values() or not isinstance(key, str):
        return None
    folder = next(f for f, s in PAGES.items() if s == screen)
    return parse(f"/{folder}/{key}")


def parse(path: str) -> Route | None:
    """The route of a decoded path (``/claims/a/b``, not ``/claims/a%2Fb``), or None when it
    names no screen."""
    parts = path.strip("/").split("/", 1)
    if parts == [""]:
        return HOME
    if len(parts) == 1:
        return Route(parts[0]) if parts[0] in LISTS else None
    folder, key = parts
    if folder not in PAGES or not key or len(key) > MAX_KEY or any(ord(c) < 32 for c in key):
        return None
    return Route(PAGES[folder], key)
