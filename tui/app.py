"""The triage terminal UI (Textual): a thin shell over verifier's services and views.

``VerifierApp`` gets an opened store (tests pass one in); ``run(store)`` is the door the
command line (``verifier tui``, ``verifier demo``, ``python -m tui``) uses, with the store it
opened. Screens are opened by name (``open_screen``) from ``tui.registry``.
"""

from __future__ import annotations

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from tui import registry, triage
from tui.commands import VerifierCommands
from tui.config import load_keymap
from tui.screens.base import report_failure
from tui.team import TeamApp
from tui.text import plain


class VerifierApp(TeamApp, App):
    CSS_PATH = "app.tcss"
    TITLE = "verifier"
    MODES = registry.MODES
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

    def __init__(self, store, *, keymap: dict[str, str] | None = None, route=None):
        self.team_init(route)  # route: served to a browser, the screen its address names (tui.team)
        super().__init__()
        self.store = store
        self._slow_next: tuple | None = None
        self._slow_busy = False
        self.undo_stack: list[triage.Done] = []
        self.pending_saves = 0  # writes sent to the database and not yet committed (the header says so)
        self._title_before_saving: str | None = None
        self.data_version = 0
        self.user_keymap = dict(keymap or {})
        if self.user_keymap:
            self.set_keymap(self.user_keymap)

    def on_mount(self) -> None:
        self.check_keymap()
        self.start_watching()
        self.follow_route()

    # ------------------------------------------------------------------ keys
    def check_keymap(self) -> None:
        """A keymap entry naming no binding would silently do nothing: say so."""
        if not self.user_keymap:
            return
        unknown = sorted(set(self.user_keymap) - registry.binding_ids(self.BINDINGS))
        if unknown:
            names = ", ".join(repr(plain(u)) for u in unknown)
            self.notify(f"The keymap names no binding {names}: ignored (? lists every binding id)",
                        title="Keymap", severity="warning", markup=False, timeout=15)

    def key_for(self, binding_id: str, default: str) -> str:
        """The key the analyst presses for a binding (after their keymap)."""
        return self.user_keymap.get(binding_id, default)

    # ------------------------------------------------------------------ navigation
    def open_screen(self, name: str, *args, again: bool = True, callback=None) -> None:
        """Push the screen ``name`` of ``tui.registry.SCREENS``, made with ``args``; screens
        navigate through here, never by importing each other. ``again=False``: not when that
        screen is already the one on top."""
        if not again and getattr(self.screen, "opened_as", None) == name:
            return
        screen = registry.SCREENS[name](*args)
        screen.opened_as = name
        self.push_screen(screen, callback)

    def action_help(self) -> None:
        self.open_screen("help", registry.binding_groups(self.BINDINGS), again=False)

    def action_ingest_review(self) -> None:
        self.open_screen("ingest", again=False)

    def action_search(self) -> None:
        self.open_screen("search", again=False)

    # ------------------------------------------------------------------ writes
    def perform(self, fn, *args) -> None:
        """Run a triage action (a function of tui.triage) in a worker. Until it commits the
        header says a save is pending (a form has closed by then; another analyst's import
        may hold the claim); when it fails the analyst is told it was not saved."""
        self._saving(+1)
        self._write(fn, args)

    def _saving(self, delta: int) -> None:
        if self.pending_saves == 0 and delta > 0:
            self._title_before_saving = self.sub_title
        self.pending_saves = max(0, self.pending_saves + delta)
        if self.pending_saves:
            n = self.pending_saves
            self.sub_title = f"saving {n} change{'s' if n > 1 else ''}: pending until committed"
        elif self._title_before_saving is not None:
            self.sub_title, self._title_before_saving = self._title_before_saving, None

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
        if event.worker.group == "write" and event.worker.name == "_write" and event.state in (
                WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self._saving(-1)
            report_failure(self, event, title="Not saved")  # says why: nothing of it was committed
            return
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


def run(store, *, sub_title: str | None = None, route=None) -> None:
    """Run the app on ``store``, the open store the command line hands over (nothing here
    connects again). ``route`` (``verifier serve``, whose store acts as the signed-in user):
    the screen the browser's address names, and the page is told each screen shown."""
    app = VerifierApp(store, keymap=load_keymap(), route=route)
    if sub_title:
        app.sub_title = sub_title  # e.g. which file the demo is (the header shows it)
    app.run()
