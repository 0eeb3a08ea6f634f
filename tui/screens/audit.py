"""A source's audit: its claims and resolutions over time, a plot of its reliability score
after each resolution, and the resolutions that moved it most."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui import data
from tui.screens.base import DetailScreen, Loaded, back_binding
from tui.text import fields, name_and_id, safe, trimmed
from tui.widgets.sparkline import ScorePlot, level_style
from verifier.views.rows import ClaimRow, Move, ScoreStep, SourceDetail

VERDICT_STYLE = {"true": "green", "mostly-true": "green", "mixed": "yellow", "mostly-false": "red", "false": "bold red",
                 "unverifiable": "dim"}


SECTION_TITLES = {
    "plot": "Reliability score after each resolution",
    "moved": "What moved it most",
    "steps": "Resolutions over time (enter opens the claim)",
    "claims": "Claims, most in need of attention first (enter opens)",
    "history": "History",
}


class SourceAuditScreen(DetailScreen):
    CSS_PATH = "audit.tcss"
    BINDINGS = [
        back_binding("audit"),
        Binding("tab", "focus_next", "Next table", show=False, id="audit.focus_next"),
    ]
    NAV, NOUN, SECTION_TITLES = "audit", "Source", SECTION_TITLES
    detail: SourceDetail | None

    def sections(self) -> ComposeResult:
        yield Static(id="facts", classes="block")
        yield ScorePlot(id="plot")
        yield Static(id="moved", classes="block")
        yield DataTable(id="steps", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="claims", cursor_type="row", zebra_stripes=True)
        yield Static(id="history", classes="block")

    def on_mount(self) -> None:
        steps = self.query_one("#steps", DataTable)
        steps.add_column(Text("resolved"), width=10, key="at")
        steps.add_column(Text("claim"), width=8, key="claim")
        steps.add_column(Text("verdict"), width=12, key="verdict")
        steps.add_column(Text("score before → after"), width=20, key="move")
        steps.add_column(Text("change", justify="right"), width=7, key="delta")
        claims = self.query_one("#claims", DataTable)
        self._text_w = max(16, self.app.size.width - (8 + 12 + 10) - 2 * 4 - 4)
        claims.add_column(Text("id"), width=8, key="id")
        claims.add_column(Text("status"), width=12, key="status")
        claims.add_column(Text("published"), width=10, key="published")
        claims.add_column(Text("claim"), width=self._text_w, key="text")
        self.start()

    @work(thread=True, group="audit", exit_on_error=False)
    def load(self, token: int) -> None:
        self.deliver("detail", self.read(data.source_audit, self.key), token)

    def on_loaded(self, message: Loaded) -> None:
        if self.fresh(message):
            self.detail = message.data
            self.mark_loaded()
            self.show()
            self.ready = True

    def show(self) -> None:
        d = self.detail
        if d is None:
            self.query_one("#heading", Static).update(Text(f"No source with id {self.key!r}", style="bold red"))
            return
        self.query_one("#heading", Static).update(name_and_id(d.name, d.id))
        self.query_one("#facts", Static).update(fields(fact_rows(d)))
        history = d.score_history
        plot = self.query_one("#plot", ScorePlot)
        plot.set_points([(history[0].at, history[0].before)] + [(h.at, h.after) for h in history]
                        if history else [])
        plot.display = bool(history)
        self.query_one("#moved", Static).update(trimmed(moved_text(d.moved_most)) or Text(
            "nothing yet: no resolved claims, so the score is the prior from the analyst grade", style="dim"))
        self.show_tables(history, d.recent_claims)
        hist = Text()
        for ev in d.history:
            hist.append(f"#{ev.seq}  {str(ev.at or '')[:16].replace('T', ' ')}  ", style="dim")
            hist.append_text(safe(ev.analyst))
            hist.append(f"  {ev.action}", style="bold")
            hist.append("\n")
        self.query_one("#history", Static).update(trimmed(hist))

    def show_tables(self, history: tuple[ScoreStep, ...], recent: tuple[ClaimRow, ...]) -> None:
        steps = self.query_one("#steps", DataTable)
        steps.clear()
        for i, h in enumerate(history):
            steps.add_row(Text((h.at or "")[:10]), safe(h.claim, limit=8),
                          Text(h.verdict, style=VERDICT_STYLE.get(h.verdict, "")),
                          Text(f"{h.before:.2f} → {h.after:.2f}"),
                          Text(f"{h.delta:+.2f}", style="green" if h.delta >= 0 else "red", justify="right"),
                          key=f"s{i}:{h.claim}")
        claims = self.query_one("#claims", DataTable)
        claims.clear()
        for c in recent:
            claims.add_row(safe(c.id, limit=8),
                           Text(c.status, style=VERDICT_STYLE.get(c.status, "yellow")),
                           Text(c.published or ""), safe(c.text, limit=self._text_w), key=f"c:{c.id}")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        claim = event.row_key.value.split(":", 1)[1]
        self.app.open_screen("claim", claim)


def fact_rows(d: SourceDetail) -> list[tuple[str, Text]]:
    """The source's facts, label by label: kind, family, aliases, grade, reliability
    (overall and by topic), claims, notes."""
    rel = d.reliability
    kind = Text(d.type or "unknown")
    if d.affiliation:
        kind.append(" · ")
        kind.append_text(safe(d.affiliation, style="italic"))
    rows: list[tuple[str, Text]] = [("Kind", kind)]
    if d.parent:
        rows.append(("Part of", safe(d.parent)))
    if d.children:
        rows.append(("Members", safe(", ".join(d.children), limit=300)))
    if d.depends_on:
        rows.append(("Depends on", safe(", ".join(x.source for x in d.depends_on), limit=300)))
    if d.aliases:
        rows.append(("Aliases", safe(", ".join(d.aliases), limit=300)))
    rows.append(("Grade", Text(d.grade or "— (no analyst grade: neutral prior)")))
    score = Text(f"{rel.score:.2f}", style=f"bold {level_style(rel.score)}")
    score.append(f" (90% interval {rel.low:.2f}–{rel.high:.2f}) · letter ")
    score.append(str(rel.letter), style="bold")
    score.append(f" · {rel.words} · {rel.counted} resolution(s) counted")
    rows.append(("Reliability", score))
    if d.by_topic:
        topics = Text()
        for i, t in enumerate(d.by_topic):
            if i:
                topics.append(" · ")
            topics.append_text(safe(t.topic, limit=40))
            topics.append(f" {t.score:.2f}", style=f"bold {level_style(t.score)}")
            topics.append(f" ({t.low:.2f}–{t.high:.2f}, {t.counted})", style="dim")
        rows.append(("By topic", topics))
    rows.append(("Claims", Text(f"{d.claims} asserted, {d.relayed} relayed")))
    if d.notes:
        rows.append(("Notes", safe(d.notes, single_line=False)))
    return rows


def moved_text(moved_most: tuple[Move, ...]) -> Text:
    moved = Text()
    for m in moved_most:
        sign = "+" if m.delta >= 0 else "−"
        moved.append(f"{sign}{abs(m.delta):.2f}  ", style="bold green" if m.delta >= 0 else "bold red")
        moved.append_text(safe(m.claim))
        moved.append(" resolved ")
        moved.append(m.verdict, style=VERDICT_STYLE.get(m.verdict, ""))
        moved.append(f" on {(m.at or '')[:10]}\n", style="dim")
    return moved
