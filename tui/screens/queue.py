"""The unresolved queue: claims ordered by need (contradicted first, then most reported,
then newest), paged from the database 200 rows at a time."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.widgets import Static

from tui import data, triage
from tui.screens.base import Loaded, reload_binding
from tui.screens.forms import AssignForm
from tui.screens.listing import WIDE, ListingScreen
from tui.screens.triage_keys import TRIAGE_BINDINGS, TriageKeys
from tui.text import plain, safe
from tui.widgets.paged_table import PagedTable, cell
from tui.widgets.sparkline import level_style
from verifier.views.rows import ClaimRow

ID_MAX = 14  # the id column grows to this; longer ids are cut with "…"


def flags(row: ClaimRow) -> Text:
    out = Text(no_wrap=True)
    if row.contradicted:
        out.append(f"✗{row.contradicted}", style="bold red")
    if row.suggested_duplicates:
        if out:
            out.append(" ")
        out.append(f"≈{row.suggested_duplicates}", style="bold yellow")
    return out


def belief_cell(row: ClaimRow) -> Text:
    b = row.belief
    if b is None:
        return Text("  —", style="dim", justify="right")
    return Text(f"{b:.2f}", style=level_style(b), justify="right")


class QueueScreen(TriageKeys, ListingScreen):
    NAV = "queue"
    FILTER = "filter: words in the claim, or a source or relay name (enter; esc clears)"
    CSS_PATH = "queue.tcss"
    BINDINGS = [
        *TRIAGE_BINDINGS,
        Binding("f", "filter", "Filter", id="queue.filter"),
        Binding("m", "mine", "Mine", id="queue.mine", tooltip="only the claims assigned to you (again: all)"),
        Binding("t", "assign", "Assign", id="queue.assign", show=False,  # in ? and the palette: the bar is full
                tooltip="assign the claim to an analyst, or nobody"),
        reload_binding("queue"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="queue.clear_filter"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: dict[str, ClaimRow] = {}
        self.search: str | None = None
        self.assigned_to: str | None = None  # "mine": the analyst's name
        self.total: int | None = None
        self.ready = False
        self._keep_cursor = 0
        self._wide: bool | None = None
        self._count_widths = (6, 3, 7)  # flags, rep, id: grow with what is listed (ids up to ID_MAX)

    # ------------------------------------------------------------------ layout
    def _columns(self) -> None:
        table = self.query_one(PagedTable)
        width = self.app.size.width
        self._wide = width >= WIDE
        flags_w, rep_w, id_w = self._count_widths
        if self._wide:
            source_w = 22
        else:  # a narrow terminal shares what the fixed columns leave: a third to the source, the rest to the text
            left = width - (flags_w + id_w + 6 + 4) - 2 * 6 - 2
            source_w = max(12, min(24, left // 3))
        fixed = flags_w + id_w + source_w + 6 + 4 + (rep_w + 8 if self._wide else 0)
        text_w = max(16, width - fixed - 2 * (8 if self._wide else 6) - 2)
        table.add_column(Text("flags"), width=flags_w, key="flags")
        table.add_column(Text("id"), width=id_w, key="id")
        table.add_column(Text("source"), width=source_w, key="source")
        table.add_column(Text("belief", justify="right"), width=6, key="belief")
        table.add_column(Text("cred"), width=4, key="cred")
        if self._wide:  # narrow terminals: "reported by" and the assignee are in the preview
            table.add_column(Text("assignee"), width=8, key="who")
            table.add_column(Text("rep"), width=rep_w, key="rep")
        table.add_column(Text("claim"), width=text_w, key="text")
        self._text_w, self._source_w = text_w, source_w

    def cells(self, row: ClaimRow) -> list:
        out = [
            flags(row),
            safe(row.id, limit=self._count_widths[2]),
            safe(row.source_name or row.source, limit=self._source_w),
            belief_cell(row),
            cell(row.credibility or 6, justify="center"),
        ]
        if self._wide:
            out.append(safe(row.assignee or "", "cyan", limit=8))
            out.append(cell(row.support or 0, justify="right"))
        out.append(safe(row.text, limit=self._text_w))
        return out

    def on_mount(self) -> None:
        self._columns()
        self.reload()

    def fit_counts(self, rows: list[ClaimRow]) -> None:
        """Widen the flags and rep columns when a row's counts would not fit them (and the id
        column for longer ids, up to ID_MAX: LIAR's "10540.json")."""
        flags_w, rep_w, id_w = self._count_widths
        for r in rows:
            flags_w = max(flags_w, len(flags(r)))
            rep_w = max(rep_w, len(str(r.support or 0)))
            id_w = max(id_w, min(len(r.id), ID_MAX))
        if (flags_w, rep_w, id_w) != self._count_widths:
            self._count_widths = (flags_w, rep_w, id_w)
            self.rebuild_columns()

    def rebuild_columns(self) -> None:
        table = self.query_one(PagedTable)
        exhausted = table.exhausted
        with table.rebuilding():
            self._columns()
            table.add_page([(k, self.cells(r)) for k, r in self.rows.items()], 0)
            table.exhausted = exhausted

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        table = self.query_one(PagedTable)
        self._keep_cursor = table.cursor_row
        table.reset()
        self.rows.clear()
        table.fetching = True
        table.loading = True
        token = self.next_token("page")
        self.load_page(0, token)
        self.load_count(self.next_token("count"))

    @work(thread=True, group="queue-page", exit_on_error=False)
    def load_page(self, offset: int, token: int) -> None:
        rows = self.read(data.queue_page, offset, data.PAGE, self.search, self.assigned_to)
        self.deliver("page", (offset, rows), token)

    @work(thread=True, group="queue-count", exit_on_error=False)
    def load_count(self, token: int) -> None:
        self.deliver("count", self.read(data.queue_count, self.assigned_to), token)

    @work(thread=True, group="queue-row", exit_on_error=False)
    def load_rows(self, keys: tuple[str, ...], token: int) -> None:
        self.deliver("rows", {k: self.read(data.claim_row, k) for k in keys}, token)

    def on_loaded(self, message: Loaded) -> None:
        if not self.fresh(message):
            return
        if message.what == "page":
            self.page_loaded(*message.data)
        elif message.what == "count":
            self.total = message.data
            self.show_summary()
        elif message.what == "rows":
            self.rows_loaded(message.data)

    def page_loaded(self, offset: int, rows: list[ClaimRow]) -> None:
        table = self.query_one(PagedTable)
        self.fit_counts(rows)
        for r in rows:
            self.rows[r.id] = r
        table.add_page([(r.id, self.cells(r)) for r in rows], data.PAGE)
        if offset == 0:
            self.mark_loaded()
            if self._keep_cursor:
                table.move_cursor(row=min(self._keep_cursor, max(table.row_count - 1, 0)))
            self.ready = True
            self.show_preview()
        self.show_summary()

    def rows_loaded(self, found: dict[str, ClaimRow | None]) -> None:
        """Rows an action changed, read again: a row no longer unresolved (or, under "mine",
        no longer assigned to the analyst) leaves the queue."""
        table = self.query_one(PagedTable)
        for key, row in found.items():
            if key not in table.rows:
                continue
            if row is None or row.status != "unresolved" or (self.assigned_to and row.assignee != self.assigned_to):
                table.remove_row(key)
                self.rows.pop(key, None)
                if self.total:
                    self.total -= 1
            else:
                self.fit_counts([row])
                self.rows[key] = row
                cols = ("flags", "id", "source", "belief", "cred") + (("who", "rep") if self._wide else ()) + ("text",)
                for col, value in zip(cols, self.cells(row), strict=False):
                    table.update_cell(key, col, value)
        self.mark_loaded()
        self.show_summary()
        self.show_preview()

    def on_paged_table_need_more(self, message: PagedTable.NeedMore) -> None:
        self.load_page(message.offset, self.tokens["page"])

    def worker_failed(self, worker) -> None:
        table = self.query_one(PagedTable)
        table.fetching = table.loading = False

    def data_changed(self, done) -> None:
        if done.reload:
            self.reload()
        else:
            self.load_rows(tuple(done.claims), self.next_token("rows"))

    # ------------------------------------------------------------------ display
    def show_summary(self) -> None:
        table = self.query_one(PagedTable)
        out = Text("Unresolved claims", style="bold")
        if self.assigned_to:
            out.append(" assigned to you", style="bold cyan")
        if self.search:
            more = "" if table.exhausted else "+"
            out.append(f"  {table.row_count:,}{more} matching ", style="bold")
            out.append_text(safe(self.search, style="italic", limit=30))
        elif self.total is not None:
            out.append(f"  {self.total:,}", style="bold")
        out.append("   ordered by need: contradicted, most reported, newest", style="dim")
        if self.app.sub_title:  # which database this is, when it matters (the demo's own file)
            out.append("   ")
            out.append_text(safe(self.app.sub_title, style="dim"))
        if not table.row_count and not table.fetching:
            out.append("\nNothing to triage here.", style="italic")
        self.query_one("#summary", Static).update(out)

    def row_for(self, key: str) -> ClaimRow | None:
        return self.rows.get(key)

    def preview(self, row: ClaimRow) -> Text:
        out = Text()
        out.append(f"{row.id}  ", style="bold")
        out.append_text(safe(row.source_name or row.source, style="bold"))
        if row.via:
            out.append("  via ", style="dim")
            out.append_text(safe(" ← ".join(row.via)))
        if row.published:
            out.append(f"  {row.published}", style="dim")
        if row.assignee:
            out.append("  assigned to ", style="dim")
            out.append_text(safe(row.assignee, "cyan"))
        out.append("\n")
        out.append_text(safe(row.text, single_line=False))
        out.append("\n")
        b = row.belief
        out.append(f"belief {'—' if b is None else f'{b:.2f}'} ({row.words}) · credibility {row.credibility}"
                   f" · reported by {row.support or 0} · contradicted {row.contradicted or 0}"
                   f" · duplicate suggestions {row.suggested_duplicates or 0}", style="dim")
        return out

    def on_data_table_row_selected(self, event) -> None:
        self.app.open_screen("claim", event.row_key.value)

    # ------------------------------------------------------------------ filter
    def restart(self) -> None:
        self._keep_cursor = 0
        self.query_one(PagedTable).move_cursor(row=0)
        self.reload()

    def action_mine(self) -> None:
        self.assigned_to = None if self.assigned_to else self.app.store.analyst
        self.restart()

    def action_assign(self) -> None:
        self._open_form(AssignForm, lambda key, v: (triage.assign, key, v["to"]))

    def palette_actions(self) -> list[tuple[str, str, object]]:
        target = self.triage_target()
        if target is None:
            return []
        key = self.app.key_for("queue.assign", "t")
        return super().palette_actions() + [(f"Assign claim {plain(target[0])}",
                                             f"to an analyst, or nobody  (key {key})", self.action_assign)]

    # ------------------------------------------------------------------ triage
    def triage_target(self) -> tuple[str, str] | None:
        key = self.query_one(PagedTable).current_key()
        if key is None or key not in self.rows:
            return None
        return key, self.rows[key].text
