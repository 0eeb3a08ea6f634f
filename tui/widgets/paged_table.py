"""A DataTable that pages through the database: it asks for the next page when the cursor
nears the end of what it holds, and says when its viewport moves (for lazy cells)."""

from __future__ import annotations

from contextlib import contextmanager

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable


class PagedTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "Top", show=False, id="table.top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="table.bottom"),
        Binding("home", "scroll_top", "First row", show=False, id="table.first"),
        Binding("end", "scroll_bottom", "Last row loaded (loads the next page)", show=False, id="table.last"),
    ]

    MARGIN = 30  # ask for more when the cursor is this close to the end

    class NeedMore(Message):
        def __init__(self, table: PagedTable, offset: int):
            super().__init__()
            self.table = table
            self.offset = offset

        @property
        def control(self) -> PagedTable:
            return self.table

    class Viewport(Message):
        def __init__(self, table: PagedTable):
            super().__init__()
            self.table = table

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)
        self.exhausted = False
        self.fetching = False  # a page is being read (Widget.loading shows the spinner on first load)

    def reset(self) -> None:
        self.clear()
        self.exhausted = False
        self.fetching = False

    @contextmanager
    def rebuilding(self):
        """Clear the table, columns and all, for the block to lay out its columns and refill its
        rows; then the cursor goes back to the row it was on."""
        cursor = self.cursor_row
        self.clear(columns=True)
        yield
        self.move_cursor(row=cursor)

    def add_page(self, rows: list[tuple[str, list]], page_size: int) -> None:
        for key, cells in rows:
            if key in self.rows:
                continue
            self.add_row(*cells, key=key)
        self.exhausted = len(rows) < page_size
        self.fetching = False
        self.loading = False

    def maybe_more(self) -> None:
        if not self.exhausted and not self.fetching and self.cursor_row >= self.row_count - self.MARGIN:
            self.fetching = True
            self.post_message(self.NeedMore(self, self.row_count))

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        self.maybe_more()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.post_message(self.Viewport(self))

    def visible_rows(self) -> range:
        top = int(self.scroll_y)
        height = self.size.height or 50  # before the first layout: a screenful
        return range(max(top, 0), min(top + height, self.row_count))

    def current_key(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None


def cell(value, style: str = "", justify: str = "left") -> Text:
    return Text(str(value), style=style, justify=justify)
