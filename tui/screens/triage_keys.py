"""The triage keys, shared by the queue and the claim page: each a key and a small form,
each carried out through tui.triage (services) in a worker, each undoable with `u`."""

from __future__ import annotations

from textual.binding import Binding

from tui import triage
from tui.screens.forms import LinkForm, NoteForm, ResolveForm
from tui.text import plain
from verifier.views.rows import Link

TRIAGE_BINDINGS = [
    Binding("r", "resolve", "Resolve", id="triage.resolve", tooltip="give a verdict, with rationale and evidence"),
    Binding("l", "link", "Link", id="triage.link", tooltip="corroborates / contradicts / duplicates another claim"),
    Binding("a", "accept", "Accept", id="triage.accept",
            tooltip="confirm the best duplicate suggestion, or the picked link"),
    Binding("x", "reject", "Reject", id="triage.reject",
            tooltip="reject the best duplicate suggestion, or the picked link"),
    Binding("n", "note", "Note", id="triage.note", tooltip="a note in the claim's audited history"),
]


class TriageKeys:
    """Mixin for a screen with a current claim (``triage_target()``)."""

    def triage_target(self) -> tuple[str, str] | None:  # pragma: no cover - overridden
        return None

    def selected_link(self) -> Link | None:
        """A link the analyst picked (on the claim page), else None: the best suggestion."""
        return None

    def palette_actions(self) -> list[tuple[str, str, object]]:
        """The triage actions for the command palette, named after their claim."""
        target = self.triage_target()
        if target is None:
            return []
        key_for = self.app.key_for
        return [(f"{b.description} claim {plain(target[0])}", f"{b.tooltip}  (key {key_for(b.id, b.key)})",
                 getattr(self, f"action_{b.action}")) for b in TRIAGE_BINDINGS]

    def _target(self) -> tuple[str, str] | None:
        target = self.triage_target()
        if target is None:
            self.notify("No claim selected", severity="warning")
        return target

    def _open_form(self, form, perform) -> None:
        """Ask with a small form, then run ``perform(claim, values)``'s action in a worker."""
        target = self._target()
        if target is None:
            return
        key = target[0]

        def done(values: dict | None) -> None:
            if values:
                self.app.perform(*perform(key, values))

        self.app.push_screen(form(*target), done)

    def action_resolve(self) -> None:
        self._open_form(ResolveForm, lambda key, v: (triage.resolve, key, v["verdict"], v["rationale"], v["evidence"]))

    def action_link(self) -> None:
        self._open_form(LinkForm, lambda key, v: (triage.link, key, v["target"], v["relation"], v["note"]))

    def action_note(self) -> None:
        self._open_form(NoteForm, lambda key, v: (triage.note, key, v["note"]))

    def _decide(self, accept: bool) -> None:
        target = self._target()
        if target is None:
            return
        link = self.selected_link()
        if link is not None:
            self.app.perform(triage.decide, target[0], link.other, accept, link.relation, link.state)
        else:
            self.app.perform(triage.decide_top, target[0], accept)

    def action_accept(self) -> None:
        self._decide(True)

    def action_reject(self) -> None:
        self._decide(False)
