"""What a change makes the store compute again, inside the transaction that made it:
links derived from structured values, near-duplicate suggestions, watchers' inboxes,
belief and credibility. The services ask for it through ``uow.upkeep`` (an ``Upkeep`` of
``services.unit_of_work``); this is the one over the database, the unit tests' fake one
only notes what was asked."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from verifier.services import derived, duplicates, revision, scoring, team


class SqlUpkeep:
    def __init__(self, uow):
        self.uow = uow

    def derive_links(self, claim_ids: list[int]) -> set[int]:
        return derived.derive_links(self.uow, claim_ids)

    def detect(self, claim_ids: list[int], progress: Callable[[int], None] | None = None) -> int:
        return duplicates.detect(self.uow, claim_ids, progress=progress)

    def notify_watchers(self, claim_ids: list[int]) -> int:
        return team.on_new_claims(self.uow, claim_ids)

    def rescore_local(self, claim_ids: list[int]) -> None:
        scoring.rescore_local(self.uow, claim_ids)

    def rescore_all(self) -> dict:
        return scoring.rescore(self.uow)

    def after_claim_changes(self, changes: Iterable, *, detect: bool = True,
                            sources: Iterable[int] = ()) -> dict[str, int]:
        return revision.after_claim_changes(self.uow, changes, detect=detect, sources=sources)
