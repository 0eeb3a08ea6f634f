"""The inbox (i): new claims that matched the analyst's watches, newest first."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui.screens.base import Loaded, VerifierScreen, back_binding
from tui.text import safe
from tui.widgets.keybar import KeyBar
from tui.widgets.navbar import NavBar
from verifier.services import team as service

LIMIT = 500


class InboxScreen(VerifierScreen):
    AUTO_FOCUS = "#inbox"
    BINDINGS = [
        back_binding("inbox"),
        Binding("m", "mark_read", "Mark read", id="inbox.read"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: dict[str, dict] = {}

    def compose(self) -> ComposeResult:
        yield NavBar("inbox")
        yield Static(id="summary", classes="title")
        yield DataTable(id="inbox", cursor_type="row")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("", 1), ("claim", 8), ("source", 16), ("why", 34), ("text", 60)):
            table.add_column(label, width=width, key=label or "new")
        self.reload()

    def reload(self) -> None:
        self.load(self.next_token("inbox"))

    @work(thread=True, group="inbox", exclusive=True, exit_on_error=False)
    def load(self, token: int) -> None:
        self.deliver("inbox", self.read(lambda uow: service.inbox(uow, limit=LIMIT)), token)

    def on_loaded(self, message: Loaded) -> None:
        if not self.fresh(message):
            return
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = {str(r["id"]): r for r in message.data}
        for key, r in self.rows.items():
            style = "" if r["read"] else "bold"
            table.add_row(Text("" if r["read"] else "•", style="bold yellow"), safe(r["claim"], style, limit=8),
                          safe(r["source"], style, limit=16), safe(r["why"], "dim", limit=34),
                          safe(r["text"], style, limit=60), key=key)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        unread = sum(not r["read"] for r in message.data)
        out = Text("Inbox", style="bold")
        out.append(f"  {unread} unread of {len(message.data)}", style="bold")
        out.append("   new claims that matched your watches (`verifier watch add`); enter opens, m marks read",
                   style="dim")
        self.query_one("#summary", Static).update(out)
        self.mark_loaded()

    def _current(self) -> dict | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key)

    def on_data_table_row_selected(self, event) -> None:
        row = self.rows.get(event.row_key.value)
        if row is None:
            return
        if not row["read"]:
            self.mark([row["id"]])
        self.app.open_screen("claim", row["claim"])

    def action_mark_read(self) -> None:
        row = self._current()
        if row is not None and not row["read"]:
            self.mark([row["id"]])

    @work(thread=True, group="inbox-read", exit_on_error=False)
    def mark(self, ids: list[int]) -> None:
        service.mark_read(self.app.store.uow(), ids)
        self.app.call_from_thread(self.app.poll)
        self.app.call_from_thread(self.reload)
