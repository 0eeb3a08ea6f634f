"""What the app needs for a team on one server, kept out of ``app.py``: signing in when
served to browsers, noticing others' changes, the inbox.

``TeamApp`` is a mixin of ``VerifierApp``:
- with a ``gate`` (the store that checks passwords) the app opens on the sign-in screen,
  every app key but quit is off, and ``app.store`` is None until a user signed in; the
  store then acts as that user (the audit names them; a reader changes nothing);
- every ``POLL_SECONDS`` a worker reads the newest audit seq and the unread inbox count:
  when someone changed something, the visible screen reloads, and ``store.seen`` moves on
  (a change the analyst has not seen yet makes their next resolve/decision on that claim
  fail with a clear message instead of overwriting it).
"""

from __future__ import annotations

from textual import work
from textual.message import Message

from tui.screens.base import VerifierScreen
from tui.screens.signin import SignInScreen
from tui.widgets.navbar import NavBar
from verifier.services import team as service


class Polled(Message):
    def __init__(self, seq: int, unread: int):
        super().__init__()
        self.seq = seq
        self.unread = unread


class TeamApp:
    POLL_SECONDS = 3.0

    def team_init(self, gate, reader_role: str | None = None) -> None:
        """Call before App.__init__ (the default mode is read there)."""
        self.gate = gate
        self.reader_role = reader_role
        self.unread = 0
        if gate is not None:
            self.DEFAULT_MODE = "signin"
            self.MODES = {**type(self).MODES, "signin": SignInScreen}

    def check_action(self, action: str, parameters) -> bool | None:
        if self.store is None and action != "quit":  # nothing but quitting before signing in
            return False
        return super().check_action(action, parameters)

    # ------------------------------------------------------------------ sign-in
    def sign_in(self, name: str, password: str) -> None:
        """In a worker: check the password, open the store as the user, show the queue."""
        principal = service.sign_in(self.gate, name, password)
        store = self.gate.open_as(principal, reader_role=self.reader_role)
        self.call_from_thread(self._signed_in, store)

    async def _signed_in(self, store) -> None:
        self.store = store
        self.start_watching()
        await self.switch_mode("queue")
        self.remove_mode("signin")

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
