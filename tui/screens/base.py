"""What every screen shares: reading in workers, stale-result guards, refresh on change,
the one place worker failures end up, and navigation by name.

Screens import this module, widgets and the read helpers below them, never each other or
the app: a screen opens another by name (``self.app.open_screen("claim", key)``), and the
app looks the name up in ``tui.registry``."""

from __future__ import annotations

from collections import defaultdict

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from tui.text import plain
from tui.widgets.keybar import KeyBar
from tui.widgets.navbar import NavBar


def report_failure(node, event: Worker.StateChanged, *, title: str = "That did not work") -> None:
    """The one place worker failures end up: the analyst is told, the screen unstuck."""
    if event.state != WorkerState.ERROR:
        return
    error = event.worker.error
    message = plain(str(error) or type(error).__name__)
    node.app.notify(message, title=title, severity="error", markup=False, timeout=8)
    recover = getattr(node.app.screen, "worker_failed", None)
    if recover is not None:
        recover(event.worker)


# The keys several screens share, each with the id users remap it by: ``{screen}.{name}``.

def back_binding(screen: str) -> Binding:
    """escape: back to the screen this one was opened from."""
    return Binding("escape", "app.pop_screen", "Back", id=f"{screen}.back")


def reload_binding(screen: str) -> Binding:
    """ctrl+r: read the screen's data again (``VerifierScreen.action_reload``); in ? and the
    palette, not in the key bar."""
    return Binding("ctrl+r", "reload", "Reload", show=False, id=f"{screen}.reload")


def verdict_bindings(screen: str) -> list[Binding]:
    """a and x on a screen reviewing one item at a time (a pair, a proposal): accept or reject it."""
    return [Binding("a", "accept", "Accept", id=f"{screen}.accept"),
            Binding("x", "reject", "Reject", id=f"{screen}.reject")]


def step_bindings(screen: str, next_keys: str, previous_keys: str) -> list[Binding]:
    """The keys to the next and the previous item under review (n and p, and arrows)."""
    return [Binding(next_keys, "next", "Next", id=f"{screen}.next"),
            Binding(previous_keys, "previous", "Previous", id=f"{screen}.previous")]


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

    def action_reload(self) -> None:
        self.reload()

    def mark_loaded(self) -> None:
        self.loaded_version = getattr(self.app, "data_version", 0)

    def on_screen_resume(self) -> None:
        if self.loaded_version != -1 and self.loaded_version != getattr(self.app, "data_version", 0):
            self.reload()

    def data_changed(self, done) -> None:
        self.reload()

    def worker_failed(self, worker) -> None:
        """A read or write failed: stop showing 'loading'."""


class DetailScreen(VerifierScreen):
    """A page about one thing (a claim, a source) named by ``key``: a heading, then its
    ``sections()`` in one scrolling page, each titled on its border (``SECTION_TITLES``);
    ``detail`` is what ``load`` read (None: there is no such thing)."""

    NAV = ""  # its place in the navigation bar
    NOUN = ""  # what the heading calls it until it is read
    SECTION_TITLES: dict[str, str] = {}

    def __init__(self, key: str):
        super().__init__()
        self.key = key
        self.detail = None
        self.ready = False

    def compose(self) -> ComposeResult:
        yield NavBar(self.NAV)
        with VerticalScroll(id="page"):
            yield Static(Text(f"{self.NOUN} {self.key}", style="bold"), id="heading", classes="title")
            yield from self.sections()
        yield KeyBar()

    def sections(self) -> ComposeResult:  # pragma: no cover - overridden
        yield from ()

    def start(self) -> None:
        """The end of ``on_mount``: title the sections, focus the page, read the detail."""
        for wid, title in self.SECTION_TITLES.items():
            widget = self.query_one(f"#{wid}")
            widget.add_class("titled")
            widget.border_title = title
        self.query_one("#page").focus()
        self.reload()

    def reload(self) -> None:
        self.load(self.next_token("detail"))

    def load(self, token: int) -> None:  # pragma: no cover - overridden (a worker)
        pass


class VerifierModal(Reading, ModalScreen):
    pass
