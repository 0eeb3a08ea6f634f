"""What every screen shares: reading in workers, stale-result guards, refresh on change,
the one place worker failures end up, and navigation by name.

Screens import this module, widgets and the read helpers below them, never each other or
the app: a screen opens another by name (``self.app.open_screen("claim", key)``), and the
app looks the name up in ``tui.registry``."""

from __future__ import annotations

from collections import defaultdict

from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState, get_current_worker

from tui.text import plain


def report_failure(node, event: Worker.StateChanged) -> None:
    """The one place worker failures end up: the analyst is told, the screen unstuck."""
    if event.state != WorkerState.ERROR:
        return
    error = event.worker.error
    message = plain(str(error) or type(error).__name__)
    node.app.notify(message, title="That did not work", severity="error", markup=False, timeout=8)
    recover = getattr(node.app.screen, "worker_failed", None)
    if recover is not None:
        recover(event.worker)


class Loaded(Message):
    """A worker finished reading: ``what`` it read, the data, and the load it belongs to."""

    def __init__(self, what: str, data, token: int):
        super().__init__()
        self.what = what
        self.data = data
        self.token = token


class Reading:
    """Mixin: read in a worker thread through a read-only unit of work, post Loaded back."""

    def read(self, fn, *args):
        with self.app.store.uow(readonly=True) as uow:
            return fn(uow, *args)

    def deliver(self, what: str, data, token: int) -> None:
        worker = get_current_worker()
        if not worker.is_cancelled:
            self.post_message(Loaded(what, data, token))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)


class VerifierScreen(Reading, Screen):
    """A full screen. ``reload()`` (re)reads its data; it is called again when the screen
    comes back after something changed the database."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tokens: dict[str, int] = defaultdict(int)
        self.loaded_version = -1

    def next_token(self, what: str) -> int:
        self.tokens[what] += 1
        return self.tokens[what]

    def fresh(self, message: Loaded) -> bool:
        return message.token == self.tokens[message.what]

    def reload(self) -> None:  # pragma: no cover - overridden
        pass

    def mark_loaded(self) -> None:
        self.loaded_version = getattr(self.app, "data_version", 0)

    def on_screen_resume(self) -> None:
        if self.loaded_version != -1 and self.loaded_version != getattr(self.app, "data_version", 0):
            self.reload()

    def data_changed(self, done) -> None:
        self.reload()

    def worker_failed(self, worker) -> None:
        """A read or write failed: stop showing 'loading'."""


class VerifierModal(Reading, ModalScreen):
    pass
