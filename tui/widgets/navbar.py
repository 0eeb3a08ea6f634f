"""The one-line bar at the top: where you are, how to get elsewhere, who is working."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.text import safe

MODES = (("queue", "app.queue", "1", "Queue"), ("sources", "app.sources", "2", "Sources"),
         ("duplicates", "app.duplicates", "3", "Duplicates"), ("ingest", "app.ingest", "4", "Reports"))


class NavBar(Static):
    def __init__(self, here: str, *, id: str | None = None):
        super().__init__(id=id)
        self.here = here

    def on_mount(self) -> None:
        self.show()

    def on_resize(self) -> None:
        self.show()  # the database path takes what room is left

    def show(self) -> None:
        app = self.app
        here = self.here if self.here in {m[0] for m in MODES} else getattr(app, "current_mode", None)
        out = Text(" verifier ", style="bold reverse", no_wrap=True, overflow="ellipsis")
        narrow = (self.size.width or 120) < 110  # 80 columns: the keys closer, so the analyst and database fit
        out.append("" if narrow else " ")
        for mode, binding_id, key, label in MODES:
            k = app.key_for(binding_id, key) if hasattr(app, "key_for") else key
            style = "bold reverse" if mode == here else ""
            out.append(f" {k} {label}" + ("" if narrow else " "), style=style)
        out.append(" " if narrow else "  ")
        for binding_id, key, label in (("app.search", "/", "search"), ("app.help", "?", "keys")):
            k = app.key_for(binding_id, key) if hasattr(app, "key_for") else key
            out.append(f"{k} {label}" + (" " if narrow else "  "), style="dim")
        unread = getattr(app, "unread", 0)
        if unread:  # new claims matched the analyst's watches
            out.append(f" {app.key_for('app.inbox', 'i')} inbox {unread} ", style="bold reverse yellow")
            out.append(" ")
        store = getattr(app, "store", None)
        if store is not None:
            out.append("" if narrow else "analyst ", style="dim")
            out.append_text(safe(store.analyst, limit=20))
            self._append_where(out, store)
        self.update(out)

    def _append_where(self, out: Text, store) -> None:
        """The database (its file, or its URL without the password), cut from the left to the
        room the bar has left: the file's name is the part that tells two stores apart."""
        try:
            where = store.where()
        except Exception:  # a store that cannot say (a test double) shows none
            return
        room = (self.size.width or 120) - out.cell_len - 3
        if room < 6 or not where:
            return
        if len(where) > room:
            where = "…" + where[-(room - 1):]
        out.append("  ")
        out.append_text(safe(where, style="dim"))
