"""The read side of the audit log, the store's totals, and documents."""

from __future__ import annotations

from sqlalchemy import select

from verifier.adapters import orm
from verifier.adapters.repository import event_row
from verifier.domain.audit import Event
from verifier.domain.checks import iso
from verifier.views.claim import count_claims
from verifier.views.common import C, E, L, S, count, history, source_keys
from verifier.views.rows import AuditEvent, DocumentClaim, DocumentDetail, Summary


def audit_events(session, *, limit: int | None = 100, entity: str | None = None, key: str | None = None,
                 analyst: str | None = None) -> list[AuditEvent]:
    """The latest ``limit`` events (of one entity, key or analyst), oldest first."""
    q = select(E)
    if entity:
        q = q.where(E.c.entity == entity)
    if key:
        q = q.where(E.c.key == key)
    if analyst:
        q = q.where(E.c.analyst == analyst)
    q = q.order_by(E.c.seq.desc())
    if limit is not None:
        q = q.limit(limit)
    return [AuditEvent.from_record(event_row(r)) for r in session.execute(q).mappings()][::-1]


def all_events(session):
    """Every event as the audit chain hashed it, oldest first (to verify the chain)."""
    for r in session.execute(select(E).order_by(E.c.seq)).mappings():
        yield Event(r["seq"], r["at"], r["analyst"], r["action"], r["entity"], r["key"], r["before"], r["after"],
                    r["prev_hash"], r["hash"])


def audit_head(session) -> tuple[int, str] | None:
    """The newest event's seq and hash (the chain's head), or None for an empty log."""
    row = session.execute(select(E.c.seq, E.c.hash).order_by(E.c.seq.desc()).limit(1)).first()
    return None if row is None else (row.seq, row.hash)


def summary(session) -> Summary:
    return Summary(
        sources=count(session, S), claims=count(session, C), unresolved=count_claims(session, unresolved=True),
        links=count(session, L), suggested=count(session, L, L.c.state == "suggested"), events=count(session, E),
    )


def document_detail(session, key: str, claims_limit: int = 200) -> DocumentDetail | None:
    """One document: where it came from, and the claims read in it."""
    D = orm.documents
    d = session.execute(select(D).where(D.c.key == key)).first()
    if d is None:
        return None
    rows = session.execute(select(C.c.key, C.c.text).where(C.c.document_id == d.id).order_by(C.c.id).limit(claims_limit))
    return DocumentDetail(
        id=d.key, title=d.title, url=d.url, publisher=source_keys(session, [d.publisher_id]).get(d.publisher_id),
        published=iso(d.published), retrieved=iso(d.retrieved), claims=tuple(DocumentClaim(id=k, text=t) for k, t in rows),
        claim_count=count(session, C, C.c.document_id == d.id), history=history(session, "document", key, None),
    )
