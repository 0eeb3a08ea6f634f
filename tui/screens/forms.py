"""The small forms of triage: resolve, link, note. Each returns its values (or None)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.text import safe

VERDICTS = ("true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable")
RELATIONS = ("corroborates", "contradicts", "duplicates")


def _choices(values: tuple[str, ...]) -> list[Option]:
    return [Option(Text(f"{i}  {v}"), id=v) for i, v in enumerate(values, 1)]


class Form(ModalScreen[dict | None]):
    """A modal with the claim it is about on top; ctrl+s submits, escape cancels."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.submit"),
    ]
    heading = ""

    def __init__(self, claim: str, text: str | None):
        super().__init__()
        self.claim = claim
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text(self.heading, style="bold"), classes="form-title")
            about = Text(f"{self.claim}  ", style="bold")
            about.append_text(safe(self.text, limit=300))
            yield Static(about, classes="form-claim")
            yield from self.fields()
            yield Static(Text("enter: next / save   ctrl+s: save   esc: cancel", style="dim"), classes="form-help")

    def fields(self) -> ComposeResult:  # pragma: no cover - overridden
        yield from ()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def values(self) -> dict | None:  # pragma: no cover - overridden
        return None

    def action_submit(self) -> None:
        values = self.values()
        if values is not None:
            self.dismiss(values)


class ChoiceForm(Form):
    """A form whose first field is a pick-one list (digits pick directly)."""

    choices: tuple[str, ...] = ()

    def on_key(self, event) -> None:
        if isinstance(self.focused, OptionList) and event.character and event.character.isdigit():
            i = int(event.character) - 1
            if 0 <= i < len(self.choices):
                self.query_one(OptionList).highlighted = i
                self.focus_next()
                event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.focus_next()

    def choice(self) -> str | None:
        ol = self.query_one(OptionList)
        return None if ol.highlighted is None else self.choices[ol.highlighted]


class ResolveForm(ChoiceForm):
    heading = "Resolve: the verdict on this claim"
    choices = VERDICTS

    def fields(self) -> ComposeResult:
        yield Label("Verdict (1-6 or arrows, enter)")
        yield OptionList(*_choices(VERDICTS), id="verdict")
        yield Label("Rationale")
        yield Input(placeholder="why (optional)", id="rationale", compact=True)
        yield Label("Evidence URL")
        yield Input(placeholder="https://… (optional)", id="evidence", compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "rationale":
            self.query_one("#evidence", Input).focus()
        else:
            self.action_submit()

    def values(self) -> dict | None:
        return {"verdict": self.choice(), "rationale": self.query_one("#rationale", Input).value.strip(),
                "evidence": self.query_one("#evidence", Input).value.strip()}


class LinkForm(ChoiceForm):
    heading = "Link this claim to another"
    choices = RELATIONS

    def fields(self) -> ComposeResult:
        yield Label("Relation: this claim … the other (1-3 or arrows, enter)")
        yield OptionList(*_choices(RELATIONS), id="relation")
        yield Label("Other claim id")
        yield Input(placeholder="e.g. c12", id="target", compact=True)
        yield Label("Note")
        yield Input(placeholder="optional", id="note", compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "target":
            self.query_one("#note", Input).focus()
        else:
            self.action_submit()

    def values(self) -> dict | None:
        target = self.query_one("#target", Input).value.strip()
        if not target:
            self.notify("Give the other claim's id", severity="warning")
            self.query_one("#target", Input).focus()
            return None
        if target == self.claim:
            self.notify("A claim cannot be linked to itself", severity="warning")
            return None
        return {"relation": self.choice(), "target": target, "note": self.query_one("#note", Input).value.strip()}


class NoteForm(Form):
    heading = "Add a note to this claim"

    def fields(self) -> ComposeResult:
        yield Label("Note")
        yield Input(placeholder="what you noticed", id="note", compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_submit()

    def values(self) -> dict | None:
        text = self.query_one("#note", Input).value.strip()
        if not text:
            self.notify("The note is empty", severity="warning")
            return None
        return {"note": text}
