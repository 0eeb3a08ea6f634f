"""The analyst's triage actions, each through ``verifier.services`` (so audited under the
analyst's name), each returning a ``Done`` that knows how to undo itself.

These run in worker threads; each opens its own unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tui import data
from verifier.services import commands, team
from verifier.services.errors import DomainError


@dataclass
class Done:
    """An action that was carried out: what to tell the analyst, and its reverse."""

    label: str
    undo: Callable[[object], Done] | None = None
    claims: tuple[str, ...] = field(default_factory=tuple)  # the claims it changed
    reload: bool = False  # screens reload everything (an undo may bring rows back)


def resolve(store, claim: str, verdict: str, rationale: str | None = None, evidence: str | None = None) -> Done:
    snap = commands.resolve(store.uow(), claim, verdict, rationale=rationale or None, evidence=evidence or None)

    def undo(store) -> Done:
        commands.unresolve(store.uow(), claim)
        return Done(f"undone: {claim} is unresolved again", claims=(claim,), reload=True)

    return Done(f"resolved {claim} as {snap['verdict']}", undo, (claim,))


def _state_undo(a: str, b: str, relation: str, previous: str) -> Callable[[object], Done]:
    def undo(store) -> Done:
        commands.set_link_state(store.uow(), a, b, previous, relation)
        return Done(f"undone: {a} {relation} {b} is {previous} again", claims=(a, b), reload=True)

    return undo


def link(store, a: str, b: str, relation: str, note: str | None = None) -> Done:
    """``relation``: one of the form's (canonical) relations; the service checks it and
    both claims (a missing one is "no claim X")."""
    with store.uow(readonly=True) as uow:
        previous = data.link_state(uow, a, b, relation)
    snap = commands.link(store.uow(), a, b, relation, note or None)
    rel = snap["relation"]
    if previous is None:
        def undo(store) -> Done:
            commands.unlink(store.uow(), a, b, rel)
            return Done(f"undone: link {a} {rel} {b} removed", claims=(a, b), reload=True)
    else:
        undo = _state_undo(a, b, rel, previous)
    return Done(f"linked {a} {snap['relation']} {b}", undo, (a, b))


def decide(store, a: str, b: str, accept: bool, relation: str | None = None, previous: str = "suggested") -> Done:
    """Accept (confirm) or reject a suggested duplicate / possible contradiction."""
    state = "confirmed" if accept else "rejected"
    snap = commands.set_link_state(store.uow(), a, b, state, relation)
    word = "accepted" if accept else "rejected"
    return Done(f"{word} {snap['from']} {snap['relation']} {snap['to']}",
                _state_undo(a, b, snap["relation"], previous), (a, b))


def note(store, claim: str, text: str) -> Done:
    """An analyst's note on a claim: an audited event in the claim's history."""
    snap = commands.note(store.uow(), claim, text)

    def undo(store) -> Done:
        commands.withdraw_note(store.uow(), claim, snap["note"])
        return Done(f"undone: note on {claim} withdrawn", claims=(claim,), reload=True)

    return Done(f"note added to {claim}", undo, (claim,))


def decide_top(store, claim: str, accept: bool) -> Done:
    """Accept or reject the best suggestion waiting for this claim."""
    with store.uow(readonly=True) as uow:
        pending = data.pending_suggestions(uow, claim)
    if not pending:
        raise DomainError("claim", f"{claim} has no suggested duplicate waiting for review")
    top = pending[0]
    return decide(store, claim, top.other, accept, top.relation)


def assign(store, claim: str, to: str) -> Done:
    """Assign a claim to an analyst (``me``; ``nobody`` unassigns), audited under the
    analyst at the keyboard (the signed-in user when served)."""
    with store.uow(readonly=True) as uow:
        row = data.claim_row(uow, claim)
    previous = row.assignee if row is not None else None
    out = team.assign(store.uow(), [claim], to)

    def undo(store) -> Done:
        team.assign(store.uow(), [claim], previous or "nobody")  # the word `assign --to` takes for no one
        return Done(f"undone: {claim} assigned to {previous or 'nobody'} again", claims=(claim,))

    return Done(f"{claim} assigned to {out['assignee'] or 'nobody'}", undo, (claim,))
