"""The queries of the services that make and unmake links (``services.derived``,
``services.revision``, ``services.duplicates``): claims by subject or source, the pairs
already linked, and links removed in bulk. Ids are read and removed in chunks (SQLite
allows 32766 variables a statement)."""

from __future__ import annotations

from sqlalchemy import delete, select

from verifier.adapters import orm
from verifier.adapters.batches import chunks


def _valued():
    C = orm.claims
    return select(C.c.id, C.c.source_id, C.c.subject, C.c.qualifier, C.c.value_num, C.c.value_high, C.c.value_text)


def _has_value():
    C = orm.claims
    return (C.c.value_num.isnot(None)) | (C.c.value_text.isnot(None))


def valued_claims(session, claim_ids: list[int]) -> list:
    """These claims' rows (id, source_id, subject, qualifier and value columns), those with
    a subject and a value only."""
    C = orm.claims
    rows: list = []
    for chunk in chunks(claim_ids):
        rows += session.execute(_valued().where(C.c.id.in_(chunk), C.c.subject.isnot(None), _has_value())).all()
    return rows


def valued_claims_of_subjects(session, subjects: list[str]) -> list:
    """The rows of every claim with a value on these subjects (as ``valued_claims``)."""
    rows: list = []
    for chunk in chunks(subjects):
        rows += session.execute(_valued().where(orm.claims.c.subject.in_(chunk), _has_value())).all()
    return rows


def claims_of_subjects(session, subjects: list[str]) -> list[int]:
    C = orm.claims
    return [r[0] for chunk in chunks(subjects) for r in session.execute(select(C.c.id).where(C.c.subject.in_(chunk)))]


def claims_of_sources(session, source_ids: list[int]) -> list[int]:
    C = orm.claims
    return [r[0] for chunk in chunks(source_ids) for r in session.execute(select(C.c.id).where(C.c.source_id.in_(chunk)))]


def subjects_of(session, claim_ids: list[int]) -> set[str | None]:
    C = orm.claims
    return {r[0] for chunk in chunks(claim_ids) for r in session.execute(select(C.c.subject).where(C.c.id.in_(chunk)))}


def linked_from(session, claim_ids: list[int], *, besides: str) -> set[tuple[int, int]]:
    """(from, to) of the links from these claims, those of relation ``besides`` aside."""
    L = orm.links
    return {tuple(r) for chunk in chunks(claim_ids)
            for r in session.execute(select(L.c.from_id, L.c.to_id).where(L.c.from_id.in_(chunk), L.c.relation != besides))}


def remove_touching(session, claim_ids: list[int], *, origin: str, state: str) -> set[int]:
    """Remove the links of this origin and state on these claims; returns the claims they joined."""
    L = orm.links
    touched: set[int] = set()
    for chunk in chunks(claim_ids):
        where = (L.c.origin == origin, L.c.state == state, (L.c.from_id.in_(chunk)) | (L.c.to_id.in_(chunk)))
        for a, b in session.execute(select(L.c.from_id, L.c.to_id).where(*where)):
            touched.update((a, b))
        session.execute(delete(L).where(*where))
    return touched


def remove_links(session, link_ids: list[int]) -> None:
    for chunk in chunks(link_ids):
        session.execute(delete(orm.links).where(orm.links.c.id.in_(chunk)))


def similarity_links(session, claim_ids: list[int]) -> list[tuple[int, int, int, float | None, bool]]:
    """The duplicates/contradicts links on these claims: (from, to, link id, score, whether
    it is the detector's suggestion waiting for review)."""
    L = orm.links
    q = (select(L.c.from_id, L.c.to_id, L.c.id, L.c.score, (L.c.origin == "detector") & (L.c.state == "suggested"))
         .where(L.c.relation.in_(("duplicates", "contradicts"))))
    if len(claim_ids) > 20_000:  # a big batch: one pass over those links
        wanted = set(claim_ids)
        return [r for r in session.execute(q) if r[0] in wanted or r[1] in wanted]
    rows: list = []
    for chunk in chunks(claim_ids):
        rows += session.execute(q.where((L.c.from_id.in_(chunk)) | (L.c.to_id.in_(chunk)))).all()
    return rows
