"""The keys of the current screen in one line: a light Footer (one widget, one Text), so
opening a screen costs no more than it must. The keys follow the analyst's keymap."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

KEY_STYLE = "bold dark_orange"


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._show()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen) -> None:
        self._show()

    def _show(self) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append(f" {self.app.get_key_display(binding)} ", style=KEY_STYLE)
            out.append(binding.description, style="" if enabled else "dim")
            out.append(" ")
        out.append(" ^p ", style=KEY_STYLE)
        out.append("palette")
        self.update(out)
