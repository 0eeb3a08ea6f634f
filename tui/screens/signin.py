"""The first screen of an app served to browsers: nobody reaches the data before signing in.

The password is checked by ``verifier.services.team.sign_in`` in a worker; a refusal
costs this connection a pause on top of the per-user backoff the database keeps."""

from __future__ import annotations

import time

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from verifier.services.errors import DomainError

REFUSAL_PAUSE = 1.0  # seconds a refused sign-in holds this connection


class SignInScreen(Screen):
    CSS_PATH = "signin.tcss"
    AUTO_FOCUS = "#name"

    class Refused(Message):
        def __init__(self, problem: str):
            super().__init__()
            self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(id="signin"):
            yield Static(Text("verifier: sign in", style="bold"), classes="form-title")
            yield Input(placeholder="name", id="name")
            yield Input(placeholder="password", password=True, id="password")
            yield Static(Text("enter: next / sign in   ctrl+q: quit", style="dim"), id="signin-status")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = self.query_one("#name", Input)
        password = self.query_one("#password", Input)
        if event.input is name:
            password.focus()
            return
        if not name.value.strip() or not password.value:
            self._say("give a name and a password", error=True)
            return
        self.query_one("#signin").disabled = True
        self._say("signing in…")
        self.check(name.value.strip(), password.value)

    @work(thread=True, group="sign-in", exit_on_error=False)
    def check(self, name: str, password: str) -> None:
        try:
            self.app.sign_in(name, password)
        except DomainError as exc:
            time.sleep(REFUSAL_PAUSE)
            self.post_message(self.Refused(exc.problem))

    def on_sign_in_screen_refused(self, message: Refused) -> None:
        box = self.query_one("#signin")
        box.disabled = False
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        self._say(message.problem, error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.query_one("#signin-status", Static).update(Text(text, style="bold red" if error else "dim"))
