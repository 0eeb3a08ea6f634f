"""What the app needs for a team on one server, kept out of ``app.py``: the browser's
address, noticing others' changes, the inbox.

``TeamApp`` is a mixin of ``VerifierApp``:
- served to a browser (``verifier serve`` signed the user in before starting this app, whose
  store acts as them), the app opens the screen the address names (``/claims/c1``) and tells
  the page each screen it shows, so the address bar follows (``verifier.views.routes``);
- every ``POLL_SECONDS`` a worker reads the newest audit seq and the unread inbox count:
  when someone changed something, the visible screen reloads, and ``store.seen`` moves on
  (a change the analyst has not seen yet makes their next resolve/decision on that claim
  fail with a clear message instead of overwriting it).
"""

from __future__ import annotations

from textual import work
from textual.message import Message

from tui.screens.base import VerifierScreen
from tui.widgets.navbar import NavBar
from verifier.services import team as service
from verifier.views import routes


class Polled(Message):
    def __init__(self, seq: int, unread: int):
        super().__init__()
        self.seq = seq
        self.unread = unread


class TeamApp:
    POLL_SECONDS = 3.0

    def team_init(self, route: routes.Route | None = None) -> None:
        """Call before App.__init__ (the default mode is read there). ``route``: served to a
        browser, the screen its address names."""
        self.route = route
        self.unread = 0
        if route is not None and route.screen in type(self).MODES:
            self.DEFAULT_MODE = route.screen

    # ------------------------------------------------------------------ the browser's address
    def follow_route(self) -> None:
        """Open the screen the address names; from now on, tell the page every screen shown."""
        if self.route is None:
            return
        if self.route.key is not None:
            self.open_screen(self.route.screen, self.route.key)
        elif self.route.screen not in self.MODES:
            self.open_screen(self.route.screen)
        self.screen_change_signal.subscribe(self, self.tell_route)
        self.tell_route(self.screen)

    def route_of(self, screen) -> routes.Route | None:
        """The address of a screen; None for one that has none (help, a form): the page keeps
        the address of the screen under it."""
        name = getattr(screen, "opened_as", None)
        if name in routes.PAGES.values():
            return routes.Route(name, screen.key)
        if name in routes.LISTS:
            return routes.Route(name)
        if name is None and self.screen_stack and screen is self.screen_stack[0] and self.current_mode in routes.LISTS:
            return routes.Route(self.current_mode)
        return None

    def tell_route(self, screen) -> None:
        route = self.route_of(screen)
        if route is None:
            return
        self.route = route
        driver = self._driver  # textual's web driver carries "meta" messages to textual-serve
        if driver is not None and driver.is_web:
            driver.write_meta({"type": "route", "screen": route.screen, "key": route.key})

    # ------------------------------------------------------------------ changes
    def start_watching(self) -> None:
        with self.store.uow(readonly=True) as uow:
            self.store.seen, self.unread = service.changes(uow)
        if self.POLL_SECONDS:
            self.set_interval(self.POLL_SECONDS, self.poll)

    @work(thread=True, group="poll", exclusive=True, exit_on_error=False)
    def poll(self) -> None:
        with self.store.uow(readonly=True) as uow:
            seq, unread = service.changes(uow)
        self.post_message(Polled(seq, unread))

    def on_polled(self, message: Polled) -> None:
        if message.unread != self.unread:
            self.unread = message.unread
            for bar in self.screen.query(NavBar):
                bar.show()
        if message.seq != self.store.seen and isinstance(self.screen, VerifierScreen):
            # not while a form is open: what it acts on is checked when it is saved
            self.data_version += 1
            self.store.seen = message.seq
            self.screen.reload()

    # ------------------------------------------------------------------ inbox
    def action_inbox(self) -> None:
        self.open_screen("inbox", again=False)
