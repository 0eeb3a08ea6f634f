"""The triage terminal UI (Textual): a thin shell over verifier's services and views.

``VerifierApp`` gets an opened ``Store`` (tests pass one in); ``run()`` is the door the
command line uses; ``python -m tui`` calls ``main()``.
"""

from __future__ import annotations

import argparse
import os

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from tui import triage
from tui.commands import VerifierCommands
from tui.config import load_keymap
from tui.screens.duplicates import DuplicatesScreen
from tui.screens.help import HelpScreen
from tui.screens.queue import QueueScreen
from tui.screens.search import SearchScreen
from tui.screens.sources import SourcesScreen
from tui.team import TeamApp
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


class VerifierApp(TeamApp, App):
    CSS_PATH = "app.tcss"
    TITLE = "verifier"
    MODES = {"queue": QueueScreen, "sources": SourcesScreen, "duplicates": DuplicatesScreen}
    DEFAULT_MODE = "queue"
    COMMANDS = App.COMMANDS | {VerifierCommands}
    BINDINGS = [
        Binding("1", "switch_mode('queue')", "Queue", id="app.queue", show=False),
        Binding("2", "switch_mode('sources')", "Sources", id="app.sources", show=False),
        Binding("3", "switch_mode('duplicates')", "Duplicates", id="app.duplicates", show=False),
        Binding("4", "ingest_review", "Reports", id="app.ingest", show=False),
        Binding("slash", "search", "Search", id="app.search", show=False, key_display="/"),
        Binding("i", "inbox", "Inbox", id="app.inbox", show=False),
        Binding("question_mark", "help", "Help", id="app.help", show=False, key_display="?"),
        Binding("u", "undo", "Undo", id="app.undo"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+p", "command_palette", "Command palette", id="app.palette", show=False, priority=True,
                key_display="^p"),
    ]

    class Changed(Message):
        """A triage action (or its undo) finished."""

        def __init__(self, done: triage.Done, undone: bool):
            super().__init__()
            self.done = done
            self.undone = undone

    class SlowDone(Message):
        """The slow lane is free again."""

    def __init__(self, store, *, keymap: dict[str, str] | None = None, gate=None, reader_role: str | None = None):
        self.team_init(gate, reader_role)  # gate: served to browsers, sign in first (tui.team)
        super().__init__()
        self.store = store
        self._slow_next: tuple | None = None
        self._slow_busy = False
        self.undo_stack: list[triage.Done] = []
        self.data_version = 0
        self.user_keymap = dict(keymap or {})
        if self.user_keymap:
            self.set_keymap(self.user_keymap)

    def on_mount(self) -> None:
        self.check_keymap()
        if self.store is not None:
            self.start_watching()

    # ------------------------------------------------------------------ keys
    def check_keymap(self) -> None:
        """A keymap entry naming no binding would silently do nothing: say so."""
        from tui.screens.help import binding_ids

        unknown = sorted(set(self.user_keymap) - binding_ids())
        if unknown:
            names = ", ".join(repr(plain(u)) for u in unknown)
            self.notify(f"The keymap names no binding {names}: ignored (? lists every binding id)",
                        title="Keymap", severity="warning", markup=False, timeout=15)

    def key_for(self, binding_id: str, default: str) -> str:
        """The key the analyst presses for a binding (after their keymap)."""
        return self.user_keymap.get(binding_id, default)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_ingest_review(self) -> None:
        from tui.screens.ingest import IngestScreen

        if not isinstance(self.screen, IngestScreen):
            self.push_screen(IngestScreen())

    def action_search(self) -> None:
        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    # ------------------------------------------------------------------ writes
    def perform(self, fn, *args) -> None:
        """Run a triage action (a function of tui.triage) in a worker."""
        self._write(fn, args)

    @work(thread=True, group="write", exit_on_error=False)
    def _write(self, fn, args) -> None:
        done = fn(self.store, *args)
        self.post_message(self.Changed(done, undone=False))

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo", severity="warning")
            return
        self._undo(self.undo_stack.pop())

    @work(thread=True, group="write", exit_on_error=False)
    def _undo(self, done: triage.Done) -> None:
        if get_current_worker().is_cancelled:
            return
        self.post_message(self.Changed(done.undo(self.store), undone=True))

    def on_verifier_app_changed(self, message: Changed) -> None:
        self.data_version += 1
        done = message.done
        if not message.undone and done.undo is not None:
            self.undo_stack.append(done)
        hint = "" if message.undone else f"  ({self.key_for('app.undo', 'u')} undoes)"
        self.notify(plain(done.label) + hint, markup=False)
        for screen in self.screen_stack:
            changed = getattr(screen, "data_changed", None)
            if changed is not None and screen is self.screen:
                changed(done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)

    # ------------------------------------------------------------------ slow lane
    def run_slow(self, screen, fn, *args) -> None:
        """Slow, optional reading for a screen (live near-duplicates, the independence
        verdict): one job at a time so it never starves the quick reads of worker threads,
        the latest request first, dropped when its screen is no longer on top."""
        self._slow_next = (screen, fn, args)
        if not self._slow_busy:
            self._slow_start()

    def _slow_start(self) -> None:
        while self._slow_next is not None:
            screen, fn, args = self._slow_next
            self._slow_next = None
            if screen is self.screen:
                self._slow_busy = True
                self._slow(fn, args)
                return

    @work(thread=True, group="slow", exit_on_error=False)
    def _slow(self, fn, args) -> None:
        try:
            fn(*args)
        finally:
            self.post_message(self.SlowDone())

    def on_verifier_app_slow_done(self, message: SlowDone) -> None:
        self._slow_busy = False
        self._slow_start()


def run(db: str | None, analyst: str | None, sub_title: str | None = None, *, sign_in: bool = False) -> None:
    from verifier import bootstrap

    store = bootstrap.connect(db, analyst)
    app = None
    try:
        if sign_in:  # `verifier serve`: the store only checks passwords until someone signs in
            app = VerifierApp(None, keymap=load_keymap(), gate=store, reader_role=os.environ.get("VERIFIER_READER_ROLE"))
        else:
            app = VerifierApp(store, keymap=load_keymap())
        if sub_title:
            app.sub_title = sub_title  # e.g. which file the demo is (the header shows it)
        app.run()
    finally:
        store.dispose()
        if app is not None and app.store is not None and app.store is not store:
            app.store.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tui", description="verifier's triage terminal UI")
    parser.add_argument("--db", default=os.environ.get("VERIFIER_DB"), help="database path or URL (env VERIFIER_DB)")
    parser.add_argument("--analyst", default=os.environ.get("VERIFIER_ANALYST"), help="your name in the audit log")
    parser.add_argument("--sign-in", action="store_true", help="ask for a name and password first (verifier serve)")
    args = parser.parse_args(argv)
    run(args.db, None if args.sign_in else args.analyst, sign_in=args.sign_in)
