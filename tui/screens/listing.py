"""What the two listings (the queue, the sources) share: one paged table of rows keyed by id,
a filter box (``#filter``) and a fixed-height preview of the row under the cursor (``#preview``)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from tui.screens.base import VerifierScreen
from tui.widgets.keybar import KeyBar
from tui.widgets.navbar import NavBar
from tui.widgets.paged_table import PagedTable

WIDE = 110  # columns from which a listing shows its extra columns


class ListingScreen(VerifierScreen):
    """A screen says how a row looks (``cells``, ``preview``), finds a row by its key
    (``row_for``) and rebuilds its columns (``rebuild_columns``); the filter and the preview
    work the same way on both listings."""

    NAV = ""  # its place in the navigation bar, and its table's id
    AUTO_FOCUS = "PagedTable"  # the listing's table
    FILTER = ""  # what the filter box says when empty
    search: str | None = None
    _wide: bool | None = None

    def compose(self) -> ComposeResult:
        yield NavBar(self.NAV)
        yield Static(id="summary", classes="title")
        yield Input(placeholder=self.FILTER, id="filter")
        yield PagedTable(id=self.NAV)
        yield Static(id="preview", classes="preview")
        yield KeyBar()

    def row_for(self, key: str):  # pragma: no cover - overridden
        return None

    def preview(self, row) -> Text:  # pragma: no cover - overridden
        return Text()

    def rebuild_columns(self) -> None:  # pragma: no cover - overridden
        pass

    def restart(self) -> None:
        """Read the listing again from its top (after the filter changed)."""
        self.reload()

    # ------------------------------------------------------------------ layout
    def on_resize(self) -> None:
        if self._wide is None or self._wide == (self.app.size.width >= WIDE):
            return
        self.rebuild_columns()

    # ------------------------------------------------------------------ preview
    def show_preview(self) -> None:
        key = self.query_one(PagedTable).current_key()
        row = self.row_for(key) if key else None
        # fixed height: no relayout per cursor move
        self.query_one("#preview", Static).update("" if row is None else self.preview(row), layout=False)

    def on_data_table_row_highlighted(self, event) -> None:
        self.show_preview()

    # ------------------------------------------------------------------ filter
    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("shown")
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.search = event.value.strip() or None
        if not self.search:
            event.input.remove_class("shown")
        self.query_one(PagedTable).focus()
        self.restart()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("shown") or self.search:
            box.value = ""
            box.remove_class("shown")
            self.query_one(PagedTable).focus()
            if self.search:
                self.search = None
                self.reload()
