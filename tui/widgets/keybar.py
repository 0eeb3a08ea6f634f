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

    def on_resize(self) -> None:
        self._show()

    def _show(self) -> None:
        items: list[tuple[str, str, bool]] = []
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            items.append((self.app.get_key_display(binding), binding.description, enabled))
        items.append(("^p", "palette", True))
        self.update(_fitted(items, self.size.width or 120))


def _line(items: list[tuple[str, str, bool]], pad: str, words) -> Text:
    out = Text(no_wrap=True, overflow="ellipsis")
    for key, description, enabled in items:
        out.append(f"{pad}{key} ", style=KEY_STYLE)
        text = words(description)
        if text:
            out.append(text, style="" if enabled else "dim")
            out.append(" ")
    return out


def _fitted(items: list[tuple[str, str, bool]], width: int) -> Text:
    """Every key in the width: the descriptions in full, then closer together; then as many
    descriptions as fit from the left, the remaining keys alone (``?`` lists what each does) —
    never a key lost off the edge."""
    for pad in (" ", ""):
        line = _line(items, pad, lambda d: d)
        if line.cell_len <= width:
            return line
    described = len(items)
    while described > 0:
        line = _line([(k, d if i < described else "", e) for i, (k, d, e) in enumerate(items)], "", lambda d: d)
        if line.cell_len <= width:
            return line
        described -= 1
    return line
