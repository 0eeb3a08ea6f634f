"""Duplicate review: one suggested pair at a time, side by side, differences marked.
Accept, reject and next are one key each."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui import data, triage
from tui.screens.base import Loaded, VerifierScreen, reload_binding, step_bindings, verdict_bindings
from tui.text import plain, safe
from tui.widgets.diff import SideBySide, legend
from tui.widgets.keybar import KeyBar
from tui.widgets.navbar import NavBar
from verifier.views.rows import ClaimDetail, DuplicatePair

BATCH = 100


class DuplicatesScreen(VerifierScreen):
    CSS_PATH = "duplicates.tcss"
    BINDINGS = [
        *verdict_bindings("dups"),
        *step_bindings("dups", "n,right", "p,left"),
        Binding("o", "open_left", "Open left", id="dups.open_left"),
        Binding("O", "open_right", "Open right", id="dups.open_right"),
        reload_binding("dups"),
    ]

    def __init__(self):
        super().__init__()
        self.items: list[DuplicatePair] = []
        self.index = 0
        self.exhausted = False
        self.fetching = False
        self.sides: dict[str, ClaimDetail | None] = {}
        self.ready = False

    def compose(self) -> ComposeResult:
        yield NavBar("duplicates")
        yield Static(id="pairinfo", classes="title")
        yield Static(legend(), id="legend", classes="block")
        yield SideBySide(id="pair")
        yield Static(id="reason", classes="block")
        yield Static(id="empty", classes="block")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        self.items = []
        self.exhausted = False
        self.fetching = True
        self.fetch(0, self.next_token("batch"))

    def action_reload(self) -> None:
        self.index = 0
        self.reload()

    @work(thread=True, group="dups-batch", exit_on_error=False)
    def fetch(self, offset: int, token: int) -> None:
        self.deliver("batch", (offset, self.read(data.duplicate_page, offset, BATCH)), token)

    @work(thread=True, group="dups-sides", exit_on_error=False)
    def fetch_sides(self, a: str, b: str, token: int) -> None:
        self.deliver("sides", self.read(data.pair_sides, a, b), token)

    def on_loaded(self, message: Loaded) -> None:
        if message.token != self.tokens["batch"]:
            return
        if message.what == "batch":
            offset, rows = message.data
            self.items[offset:] = rows
            self.exhausted = len(rows) < BATCH
            self.fetching = False
            self.index = min(self.index, max(len(self.items) - 1, 0))
            self.mark_loaded()
            self.show()
            self.ready = True
        elif message.what == "sides":
            item = self.current()
            if item is not None and set(message.data) == {item.a, item.b}:
                self.sides = message.data
                self.show_titles()

    def worker_failed(self, worker) -> None:
        self.fetching = False

    def maybe_more(self) -> None:
        if not self.exhausted and not self.fetching and self.index >= len(self.items) - 5:
            self.fetching = True
            self.fetch(len(self.items), self.tokens["batch"])

    # ------------------------------------------------------------------ display
    def current(self) -> DuplicatePair | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def show(self) -> None:
        item = self.current()
        pair = self.query_one(SideBySide)
        info = self.query_one("#pairinfo", Static)
        empty = self.query_one("#empty", Static)
        if item is None:
            pair.display = False
            self.query_one("#legend").display = False
            self.query_one("#reason", Static).update("")
            info.update(Text("Duplicate review", style="bold"))
            empty.update(Text("No suggested duplicates or possible contradictions wait for review.", style="italic"))
            return
        pair.display = True
        self.query_one("#legend").display = True
        empty.update("")
        kind = "possible contradiction" if item.kind == "conflict" else "duplicate"
        out = Text("Duplicate review  ", style="bold")
        more = "" if self.exhausted else "+"
        out.append(f"pair {self.index + 1} of {len(self.items)}{more}  ")
        out.append(f"score {item.score or 0:.0f}", style="bold")
        out.append(f"  {item.band or ''}  ", style="dim")
        out.append(kind, style="bold red" if item.kind == "conflict" else "bold yellow")
        info.update(out)
        self.sides = {}
        self.show_titles()
        reason = Text("Detector: ", style="dim")
        reason.append_text(safe(item.reason or "—"))
        self.query_one("#reason", Static).update(reason)
        self.fetch_sides(item.a, item.b, self.tokens["batch"])
        self.maybe_more()

    def _meta(self, key: str) -> Text:
        side = self.sides.get(key)
        out = Text()
        if side:
            out.append_text(safe(side.source_name or side.source))
            if side.via:
                out.append(" via ")
                out.append_text(safe(" ← ".join(side.via)))
            if side.published:
                out.append(f" · {side.published}")
            if side.status and side.status != "unresolved":
                out.append(f" · resolved {side.status}")
        return out

    def show_titles(self) -> None:
        item = self.current()
        if item is None:
            return
        a, b = item.a, item.b
        self.query_one(SideBySide).show(safe(a, style="bold", limit=20), self._meta(a), item.a_text,
                                        safe(b, style="bold", limit=20), self._meta(b), item.b_text)

    # ------------------------------------------------------------------ keys
    def action_next(self) -> None:
        if self.index < len(self.items) - 1:
            self.index += 1
            self.show()
        else:
            self.notify("That was the last pair", severity="warning")

    def action_previous(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show()

    def _decide(self, accept: bool) -> None:
        item = self.current()
        if item is None:
            return
        relation = "contradicts" if item.kind == "conflict" else "duplicates"
        self.app.perform(triage.decide, item.a, item.b, accept, relation, item.state)

    def action_accept(self) -> None:
        self._decide(True)

    def action_reject(self) -> None:
        self._decide(False)

    def palette_actions(self) -> list[tuple[str, str, object]]:
        """Accept and reject for the command palette, named after the pair."""
        pair = self.current()
        if pair is None:
            return []
        key_for = self.app.key_for
        return [(f"{b.description} the pair {plain(pair.a)} ~ {plain(pair.b)}",
                 f"{b.description.lower()} this suggestion  (key {key_for(b.id, b.key)})", getattr(self, f"action_{b.action}"))
                for b in self.BINDINGS if b.action in ("accept", "reject")]

    def data_changed(self, done) -> None:
        if done.reload:
            self.reload()
            return
        # the decided pair leaves the queue; the next one takes its place
        pair = set(done.claims)
        self.items = [it for it in self.items if {it.a, it.b} != pair]
        self.index = min(self.index, max(len(self.items) - 1, 0))
        self.mark_loaded()
        self.show()

    def _open(self, side: str) -> None:
        item = self.current()
        if item is not None:
            self.app.open_screen("claim", getattr(item, side))

    def action_open_left(self) -> None:
        self._open("a")

    def action_open_right(self) -> None:
        self._open("b")
