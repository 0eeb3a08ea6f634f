"""Sources and their track records: reliability score with its 90% interval, Admiralty
letter and a sparkline of the score over time (computed only for the rows on screen)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.widgets import Static

from tui import data
from tui.screens.base import Loaded, reload_binding
from tui.screens.listing import WIDE, ListingScreen
from tui.text import name_and_id, safe
from tui.widgets.paged_table import PagedTable, cell
from tui.widgets.sparkline import level_style, sparkline
from verifier.views.rows import SourceRow

SORT_CYCLE = ("score", "name", "claims", "resolved", "letter", "kind")
COLUMN_SORT = {"name": "name", "kind": "kind", "claims": "claims", "tf": "resolved", "score": "score", "letter": "letter"}


def true_false_counts(row: SourceRow) -> tuple[int, int]:
    v = row.verdicts
    return v.get("true", 0) + v.get("mostly-true", 0), v.get("false", 0) + v.get("mostly-false", 0)


def count_widths(rows: list[SourceRow]) -> tuple[int, int]:
    """The widths of the claims and T/F columns that show every row's counts whole."""
    claims_w, tf_w = 6, 5
    for r in rows:
        t, f = true_false_counts(r)
        claims_w = max(claims_w, len(str(r.claims)))
        tf_w = max(tf_w, len(str(t)) + 1 + len(str(f)))
    return claims_w, tf_w


def true_false(row: SourceRow) -> Text:
    t, f = true_false_counts(row)
    out = Text(justify="right")
    out.append(str(t), style="green" if t else "dim")
    out.append("/", style="dim")
    out.append(str(f), style="red" if f else "dim")
    return out


def score_cell(row: SourceRow) -> Text:
    out = Text(f"{row.score:.2f}", style=f"bold {level_style(row.score)}")
    out.append(f" {row.low:.2f}–{row.high:.2f}", style="dim")
    return out


class SourcesScreen(ListingScreen):
    NAV = "sources"
    FILTER = "filter: name or id (enter; esc clears)"
    CSS_PATH = "sources.tcss"
    BINDINGS = [
        Binding("f", "filter", "Filter", id="sources.filter"),
        Binding("o", "sort", "Sort", id="sources.sort"),
        Binding("O", "reverse", "Reverse", id="sources.reverse"),
        reload_binding("sources"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="sources.clear_filter"),
    ]

    def __init__(self):
        super().__init__()
        self.all: list[SourceRow] = []  # the sorted listing; the table holds pages of it
        self.by_key: dict[str, SourceRow] = {}
        self.sparks: dict[str, list[float]] = {}
        self.pending: set[str] = set()
        self.search: str | None = None
        self.order = "score"
        self.reverse = False
        self.ready = False
        self._wide: bool | None = None
        self._count_widths = (6, 5)  # claims, T/F: at least their headings' room

    def _columns(self) -> None:
        """Counts are never cut: their columns are as wide as the widest count listed (the
        name column gives up the room)."""
        table = self.query_one(PagedTable)
        width = self.app.size.width
        self._wide = width >= WIDE
        claims_w, tf_w = self._count_widths
        extra = (claims_w - 6) + (tf_w - 5)
        self._name_w = max(16, width - 83 - extra) if self._wide else max(10, width - 61 - extra)
        table.add_column(Text("name"), width=self._name_w, key="name")
        table.add_column(Text("kind"), width=10, key="kind")
        if self._wide:
            table.add_column(Text("affiliation"), width=16, key="affiliation")
        table.add_column(Text("claims", justify="right"), width=claims_w, key="claims")
        table.add_column(Text("T/F", justify="right"), width=tf_w, key="tf")
        table.add_column(Text("score (90%)"), width=14, key="score")
        table.add_column(Text("A"), width=1, key="letter")
        table.add_column(Text("trend"), width=12 if self._wide else 8, key="trend")

    def cells(self, row: SourceRow) -> list:
        out = [safe(row.name, limit=self._name_w), Text(row.type or "")]
        if self._wide:
            out.append(safe(row.affiliation, limit=16) if row.affiliation else Text(""))
        out += [cell(row.claims, justify="right"), true_false(row), score_cell(row),
                Text(row.letter or "?", style="bold"),
                sparkline(self.sparks.get(row.id), 12 if self._wide else 8)]
        return out

    def on_mount(self) -> None:
        self._columns()
        self.reload()

    def on_resize(self) -> None:
        self.call_after_refresh(self.want_sparks)
        super().on_resize()

    def rebuild_columns(self) -> None:
        table = self.query_one(PagedTable)
        n = table.row_count
        with table.rebuilding():
            self._columns()
            self.fill(0, n)
        self.show_summary()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        table = self.query_one(PagedTable)
        table.reset()
        table.fetching = True
        table.loading = True
        self.sparks.clear()
        self.pending.clear()
        self.load(self.next_token("list"))
        self.show_summary()

    @work(thread=True, group="sources-list", exit_on_error=False)
    def load(self, token: int) -> None:
        rows = self.read(data.source_list, self.search)
        self.deliver("list", rows, token)

    @work(thread=True, group="sources-sparks", exit_on_error=False)
    def load_sparks(self, keys: list[str], token: int) -> None:
        self.deliver("sparks", self.read(data.score_series, keys), token)

    def on_loaded(self, message: Loaded) -> None:
        if message.what == "list" and self.fresh(message):
            self.raw = message.data
            widths = count_widths(self.raw)
            if widths != self._count_widths:
                self._count_widths = widths
                self.query_one(PagedTable).clear(columns=True)
                self._columns()
            self.resort()
            self.mark_loaded()
            self.ready = True
        elif message.what == "sparks":
            table = self.query_one(PagedTable)
            for key, series in message.data.items():
                self.pending.discard(key)
                self.sparks[key] = series
                if key in table.rows:
                    table.update_cell(key, "trend", sparkline(series, 12 if self._wide else 8))

    def resort(self) -> None:
        table = self.query_one(PagedTable)
        self.all = data.sort_sources(getattr(self, "raw", []), self.order, self.reverse)
        self.by_key = {r.id: r for r in self.all}
        table.reset()
        self.fill(0, data.PAGE)
        self.show_summary()
        self.show_preview()
        self.call_after_refresh(self.want_sparks)

    def fill(self, offset: int, n: int) -> None:
        page = self.all[offset:offset + n]
        table = self.query_one(PagedTable)
        table.add_page([(r.id, self.cells(r)) for r in page], n)

    def on_paged_table_need_more(self, message: PagedTable.NeedMore) -> None:
        self.fill(message.offset, data.PAGE)

    def on_paged_table_viewport(self, message: PagedTable.Viewport) -> None:
        self.want_sparks()

    def want_sparks(self) -> None:
        table = self.query_one(PagedTable)
        keys = []
        for i in table.visible_rows():
            key = table.coordinate_to_cell_key((i, 0)).row_key.value
            if key not in self.sparks and key not in self.pending:
                keys.append(key)
        if keys:
            self.pending.update(keys)
            self.load_sparks(keys, 0)

    def worker_failed(self, worker) -> None:
        self.pending.clear()
        table = self.query_one(PagedTable)
        table.fetching = table.loading = False

    # ------------------------------------------------------------------ display
    def show_summary(self) -> None:
        out = Text("Sources", style="bold")
        if getattr(self, "raw", None) is not None:
            out.append(f"  {len(self.all):,}", style="bold")
        if self.search:
            out.append("  matching ")
            out.append_text(safe(self.search, style="italic", limit=30))
        arrow = "↑" if (data.SOURCE_SORTS[self.order][2] == self.reverse) else "↓"
        out.append(f"   sorted by {self.order} {arrow}", style="dim")
        if self.app.size.width >= WIDE:
            out.append("   score: reliability (Beta mean), 90% interval; A: Admiralty letter", style="dim")
        self.query_one("#summary", Static).update(out)

    def row_for(self, key: str) -> SourceRow | None:
        return self.by_key.get(key)

    def preview(self, row: SourceRow) -> Text:
        out = name_and_id(row.name, row.id)
        if row.type:
            out.append(f"  {row.type}", style="dim")
        if row.affiliation:
            out.append("  ")
            out.append_text(safe(row.affiliation, style="italic"))
        if row.parent:
            out.append("  part of ", style="dim")
            out.append_text(safe(row.parent))
        out.append(f"\ngrade {row.grade or '—'} · score {row.score:.2f} ({row.low:.2f}–{row.high:.2f})"
                   f" · letter {row.letter} · {row.claims} claims, {row.resolved} resolved: ", style="dim")
        verdicts = ", ".join(f"{n} {v}" for v, n in row.verdicts.items() if n)
        out.append(verdicts or "none resolved", style="dim")
        if row.aliases:
            out.append("\nalso known as ", style="dim")
            out.append_text(safe(", ".join(row.aliases), limit=200))
        return out

    def on_data_table_row_selected(self, event) -> None:
        self.app.open_screen("source", event.row_key.value)

    def on_data_table_header_selected(self, event) -> None:
        order = COLUMN_SORT.get(event.column_key.value)
        if order is None:
            return
        if order == self.order:
            self.reverse = not self.reverse
        else:
            self.order, self.reverse = order, False
        self.resort()

    # ------------------------------------------------------------------ sort / filter
    def action_sort(self) -> None:
        i = SORT_CYCLE.index(self.order) if self.order in SORT_CYCLE else -1
        self.order, self.reverse = SORT_CYCLE[(i + 1) % len(SORT_CYCLE)], False
        self.resort()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.resort()

