"""The one-line bar at the top: where you are, how to get elsewhere, who is working."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.text import safe

MODES = (("queue", "app.queue", "1", "Queue"), ("sources", "app.sources", "2", "Sources"),
         ("duplicates", "app.duplicates", "3", "Duplicates"))


class NavBar(Static):
    def __init__(self, here: str, *, id: str | None = None):
        super().__init__(id=id)
        self.here = here

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        app = self.app
        here = self.here if self.here in {m[0] for m in MODES} else getattr(app, "current_mode", None)
        out = Text(" verifier ", style="bold reverse")
        out.append(" ")
        for mode, binding_id, key, label in MODES:
            k = app.key_for(binding_id, key) if hasattr(app, "key_for") else key
            style = "bold reverse" if mode == here else ""
            out.append(f" {k} {label} ", style=style)
        out.append("  ")
        for binding_id, key, label in (("app.search", "/", "search"), ("app.help", "?", "keys")):
            k = app.key_for(binding_id, key) if hasattr(app, "key_for") else key
            out.append(f"{k} {label}  ", style="dim")
        unread = getattr(app, "unread", 0)
        if unread:  # new claims matched the analyst's watches
            out.append(f" {app.key_for('app.inbox', 'i')} inbox {unread} ", style="bold reverse yellow")
            out.append(" ")
        store = getattr(app, "store", None)
        if store is not None:
            out.append("analyst ", style="dim")
            out.append_text(safe(store.analyst, limit=20))
        self.update(out)
