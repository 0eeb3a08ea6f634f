"""What a changed claim or source needs, in the transaction that changed it.

Everything computed from the old content is computed again: the links derived from
structured values (on the old and the new subject), the detector's open suggestions and
the claim's embedding (when its text changed), the queue's cached counts, and belief and
credibility around it (copy judgements are made from the texts each time they are needed,
by ``corroboration.check`` and by the scoring). What analysts decided stays: a confirmed
or rejected link is kept; ``views`` flags a confirmed one for review when a claim's text
changed after it was confirmed.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from verifier.adapters import link_queries
from verifier.adapters.bulk import refresh_link_counts
from verifier.services import derived, duplicates, scoring

# a change of these moves the claim's derived links (no link is derived between claims of one source)
DERIVED_FROM = frozenset({"subject", "value", "source"})


@frozen
class ClaimChange:
    claim_id: int
    fields: frozenset[str]  # as model.changed_fields names them
    old_subject: str | None


def after_claim_changes(uow, changes: Iterable[ClaimChange], *, detect: bool = True,
                        sources: Iterable[int] = ()) -> dict[str, int]:
    """Recompute what depended on these claims' old content (and on these sources' old
    record: their claims are scored again). Returns counts: links derived, suggestions."""
    changes = list(changes)
    s = uow.session
    ids = sorted({c.claim_id for c in changes})
    of_sources = sorted(sources)
    if of_sources:
        ids = sorted(set(ids) | set(link_queries.claims_of_sources(s, of_sources)))
    if not ids:
        return {"derived": 0, "suggested": 0}
    uow.flush()
    leaned_on = scoring.neighbourhood(s, ids)  # before the old links go: they lean on the old content
    subjects = {c.old_subject for c in changes if c.fields & DERIVED_FROM}
    moved = [c.claim_id for c in changes if c.fields & DERIVED_FROM]
    if moved:
        subjects.update(link_queries.subjects_of(s, moved))
    touched = derived.rederive(uow, sorted(x for x in subjects if x))
    reworded = sorted(c.claim_id for c in changes if "text" in c.fields)
    if reworded:
        touched |= withdraw_suggestions(s, reworded)
        _forget_embeddings(s, reworded)
    refresh_link_counts(s, touched | set(ids))
    suggested = duplicates.detect(uow, reworded) if detect and reworded else 0
    if leaned_on is None:
        scoring.rescore(uow)
    else:
        scoring.rescore_local(uow, sorted(set(leaned_on) | touched | set(ids)))
    return {"derived": len(touched), "suggested": suggested}


def withdraw_suggestions(session, claim_ids: list[int]) -> set[int]:
    """Remove the detector's open suggestions on these claims (made from their old text);
    confirmed and rejected ones are the analyst's and stay. Returns the claims touched."""
    return link_queries.remove_touching(session, claim_ids, origin="detector", state="suggested")


def _forget_embeddings(session, claim_ids: list[int]) -> None:
    """A reworded claim's sentence embedding is made again on detection."""
    from verifier.adapters import embeddings

    embeddings.forget(session, claim_ids)
