"""The keys, screen by screen, as the analyst's keymap has them, with the ids to remap them.
The app hands the list in (``tui.registry.binding_groups``)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.config import keymap_path


def _key_label(key: str) -> str:
    names = {"slash": "/", "question_mark": "?", "escape": "esc", "enter": "enter"}
    return ",".join(names.get(k.strip(), k.strip()) for k in key.split(","))


class HelpScreen(ModalScreen):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, groups: list[tuple[str, list[Binding]]]):
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        keymap = getattr(self.app, "user_keymap", {})
        out = Text()
        out.append("Keys", style="bold")
        out.append("   (esc closes)\n", style="dim")
        for title, bindings in self.groups:
            out.append(f"\n{title}\n", style="bold underline")
            seen = set()
            for b in bindings:
                if (b.id, b.description) in seen:
                    continue
                seen.add((b.id, b.description))
                key = keymap.get(b.id, b.key_display or b.key) if b.id else b.key
                out.append(f"  {_key_label(key):<12}", style="bold")
                out.append(f"{b.description:<24}")
                if b.id and b.id != "-":
                    out.append(b.id, style="dim")
                out.append("\n")
                if b.tooltip:
                    out.append(f"  {'':<12}{b.tooltip}\n", style="italic dim")
        out.append("\nRemap any key by its id in ", style="dim")
        out.append(str(keymap_path()))
        out.append(' (JSON: {"triage.resolve": "R"}) or the file named by VERIFIER_KEYMAP.\n', style="dim")
        out.append("Every action is recorded in the audit log under your name; u undoes the last one.\n", style="dim")
        out.append("In the queue: ✗N contradicted by N claims, ≈N duplicate suggestions waiting;"
                   " belief = probability the claim is true; cred = Admiralty credibility 1 (confirmed) – 6 (cannot be judged).",
                   style="dim")
        with VerticalScroll(id="help"):
            yield Static(out)

    def on_mount(self) -> None:
        self.query_one("#help").focus()
