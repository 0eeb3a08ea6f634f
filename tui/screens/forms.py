"""The small forms of triage: resolve, link, note, assign. Each returns its values (or None)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui import data
from tui.screens.base import Loaded, Reading
from tui.text import safe
from verifier.views import VERDICTS

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
    help_line = "enter: next / save   ctrl+s: save   esc: cancel"

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
            yield Static(Text(self.help_line, style="dim"), classes="form-help")

    def fields(self) -> ComposeResult:  # pragma: no cover - overridden
        yield from ()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """enter in a box: on to the next box, or save from the last one."""
        boxes = list(self.query(Input))
        later = boxes[boxes.index(event.input) + 1:] if event.input in boxes else []
        if later:
            later[0].focus()
        else:
            self.action_submit()

    def values(self) -> dict | None:  # pragma: no cover - overridden
        return None

    def action_submit(self) -> None:
        values = self.values()
        if values is not None:
            self.dismiss(values)


class ChoiceForm(Form):
    """A form whose first field is a pick-one list (digits pick directly)."""

    choices: tuple[str, ...] = ()

    def choice_list(self) -> OptionList:
        return self.query_one(OptionList)

    def on_key(self, event) -> None:
        if self.focused is self.choice_list() and event.character and event.character.isdigit():
            i = int(event.character) - 1
            if 0 <= i < len(self.choices):
                self.choice_list().highlighted = i
                self.focus_next()
                event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.focus_next()

    def choice(self) -> str | None:
        ol = self.choice_list()
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

    def values(self) -> dict | None:
        return {"verdict": self.choice(), "rationale": self.query_one("#rationale", Input).value.strip(),
                "evidence": self.query_one("#evidence", Input).value.strip()}


class LinkForm(Reading, ChoiceForm):
    """The other claim by id, or found by words (the matches are listed under the box; ↓
    picks one). A missing id keeps the form open with what was typed and says so."""

    heading = "Link this claim to another"
    choices = RELATIONS
    BINDINGS = [Binding("down", "to_candidates", "Matches", show=False, id="form.link.matches")]

    def __init__(self, claim: str, text: str | None):
        super().__init__(claim, text)
        self.token = 0
        self._timer = None

    def fields(self) -> ComposeResult:
        yield Label("Relation: this claim … the other (1-3 or arrows, enter)")
        yield OptionList(*_choices(RELATIONS), id="relation")
        yield Label("Other claim: its id, or words to find it (↓ picks a match)")
        yield Input(placeholder="e.g. c12, or militants Deir ez-Zor", id="target", compact=True)
        yield Static(id="target-error")
        yield OptionList(id="candidates")
        yield Label("Note")
        yield Input(placeholder="optional", id="note", compact=True)

    def choice_list(self) -> OptionList:
        return self.query_one("#relation", OptionList)

    def on_mount(self) -> None:
        self.choice_list().highlighted = 0
        self.choice_list().focus()
        self.query_one("#candidates").display = False
        self.query_one("#target-error").display = False

    # the other claim: matches as the analyst types
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "target":
            return
        self.query_one("#target-error", Static).display = False
        if self._timer is not None:
            self._timer.stop()
        value = event.value.strip()
        self._timer = self.set_timer(0.25, lambda: self.find(value))

    def find(self, query: str) -> None:
        self.token += 1
        self.lookup(query, self.token, check=False)

    @work(thread=True, group="link-target", exclusive=True, exit_on_error=False)
    def lookup(self, query: str, token: int, check: bool) -> None:
        found = self.read(data.search, query, 8)["claims"] if query else []
        self.deliver("check" if check else "matches", (query, found), token)

    def on_loaded(self, message: Loaded) -> None:
        if message.token != self.token:
            return
        query, found = message.data
        found = [c for c in found if c["id"] != self.claim]
        if message.what == "check":
            if any(c["id"] == query and c["how"] == "id" for c in found):
                self.dismiss(self.pending)
                return
            error = self.query_one("#target-error", Static)
            error.update(safe(f"No claim with id {query!r}" + (": pick one of the matches below (↓)" if found else ""),
                              style="bold red"))
            error.display = True
            self.query_one("#target", Input).focus()
        self.show_matches(found)

    def show_matches(self, found: list[dict]) -> None:
        ol = self.query_one("#candidates", OptionList)
        ol.clear_options()
        for c in found[:6]:
            prompt = safe(c["id"], style="bold", limit=12)
            prompt.append("  ")
            prompt.append_text(safe(c["text"], limit=60))
            ol.add_option(Option(prompt, id=c["id"]))
        ol.display = bool(found)

    def action_to_candidates(self) -> None:
        ol = self.query_one("#candidates", OptionList)
        if self.focused is self.query_one("#target") and ol.display and ol.option_count:
            ol.focus()
            ol.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "candidates":
            self.query_one("#target", Input).value = event.option.id or ""
            if self._timer is not None:
                self._timer.stop()
            self.query_one("#note", Input).focus()
            event.stop()
        else:
            self.focus_next()

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

    def action_submit(self) -> None:
        """Close only once the other claim is known to exist (checked in a worker)."""
        values = self.values()
        if values is None:
            return
        if self._timer is not None:
            self._timer.stop()
        self.pending = values
        self.token += 1
        self.lookup(values["target"], self.token, check=True)


class OneBoxForm(Form):
    """A form of one box (``box``: its id), under its ``label``."""

    label = ""
    placeholder = ""
    box = ""

    def fields(self) -> ComposeResult:
        yield Label(self.label)
        yield Input(placeholder=self.placeholder, id=self.box, compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()


class NoteForm(OneBoxForm):
    heading = "Add a note to this claim"
    label, placeholder, box = "Note", "what you noticed", "note"

    def values(self) -> dict | None:
        text = self.query_one("#note", Input).value.strip()
        if not text:
            self.notify("The note is empty", severity="warning")
            return None
        return {"note": text}


class AssignForm(OneBoxForm):
    """To whom: an analyst's user name, ``me`` (or nothing: the analyst signed in), or
    ``nobody`` to unassign; the service checks the name (an analyst who is not disabled)."""

    heading = "Assign this claim"
    label, placeholder, box = "To: an analyst's name, or nobody (empty: you)", "me", "to"

    def values(self) -> dict | None:
        return {"to": self.query_one("#to", Input).value.strip() or "me"}
