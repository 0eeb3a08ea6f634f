"""What the read side's modules share: the tables, and small queries over them."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from verifier.adapters import orm
from verifier.adapters.batches import chunks
from verifier.adapters.repository import event_row
from verifier.domain import vocabulary
from verifier.views.rows import AuditEvent

S, C, L, R, E = orm.sources, orm.claims, orm.links, orm.resolutions, orm.events
SCORES = orm.claim_scores
VERDICTS = vocabulary.VERDICTS


def source_keys(session, ids) -> dict[int, str]:
    """The key of each of these sources' row ids (None ignored)."""
    out = {}
    for chunk in chunks([i for i in set(ids) if i is not None]):
        out.update(session.execute(select(S.c.id, S.c.key).where(S.c.id.in_(chunk))).all())
    return out


def contains(column, term: str):
    """``column`` contains ``term`` (any case), ``%`` and ``_`` in the term taken literally."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def count(session, table, *where) -> int:
    """How many rows of ``table`` (meeting ``where``)."""
    return session.execute(select(func.count()).select_from(table).where(*where)).scalar()


def history(session, entity: str, key: str, created_event: int | None) -> tuple[AuditEvent, ...]:
    """The audit events of one claim, source or document, oldest first (with the import that
    created it); an import names its file only (not where it lay, nor its counts)."""
    conds = [and_(E.c.entity == entity, E.c.key == key)]
    if created_event and created_event > 0:
        conds.append(E.c.seq == created_event)
    elif created_event:  # -ref: the event was numbered at commit (orm.event_refs)
        R = orm.event_refs
        conds.append(E.c.seq == select(R.c.seq).where(R.c.ref == -created_event).scalar_subquery())
    out = []
    for r in session.execute(select(E).where(or_(*conds)).order_by(E.c.seq)).mappings():
        ev = event_row(r)
        if ev["action"] == "import":
            path = (ev["after"] or {}).get("file")
            ev["after"] = {"file": None if path is None else str(path).replace("\\", "/").rsplit("/", 1)[-1]}
        out.append(AuditEvent.from_record(ev))
    return tuple(out)
