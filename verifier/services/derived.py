"""Links derived from structured values.

Claims on the same subject corroborate each other when their values are compatible
("more than 6250" and "7000") and contradict each other when not. A source restating its
own subject with another figure is a revision, not a contradiction: no link is derived
between two claims of one source.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from verifier.adapters import orm
from verifier.domain import matching, model

CHUNK = 500


def _value(row):
    if row.value_text is not None:
        return row.value_text
    if row.qualifier == model.Qualifier.BETWEEN.value:
        return (row.value_num, row.value_high)
    return row.value_num


def _qualifier(row) -> str:
    return (row.qualifier or "exact").replace("-", " ")


def derive_links(uow, claim_ids: list[int]) -> set[int]:
    """Add derived corroborates/contradicts links for these (new) claims; returns touched ids."""
    if not claim_ids:
        return set()
    s = uow.session
    C = orm.claims
    cols = (C.c.id, C.c.source_id, C.c.subject, C.c.qualifier, C.c.value_num, C.c.value_high, C.c.value_text)
    new_rows = []
    for i in range(0, len(claim_ids), CHUNK):
        new_rows += s.execute(select(*cols).where(C.c.id.in_(claim_ids[i:i + CHUNK]), C.c.subject.isnot(None),
                                                  (C.c.value_num.isnot(None)) | (C.c.value_text.isnot(None)))).all()
    if not new_rows:
        return set()
    subjects = sorted({r.subject for r in new_rows})
    by_subject: dict[str, list] = defaultdict(list)
    for i in range(0, len(subjects), CHUNK):
        for r in s.execute(select(*cols).where(C.c.subject.in_(subjects[i:i + CHUNK]),
                                               (C.c.value_num.isnot(None)) | (C.c.value_text.isnot(None)))):
            by_subject[r.subject].append(r)
    new_set = {r.id for r in new_rows}
    existing = set()
    ids = sorted({r.id for rows in by_subject.values() for r in rows})
    for i in range(0, len(ids), CHUNK):
        existing.update(s.execute(select(orm.links.c.from_id, orm.links.c.to_id).where(
            orm.links.c.from_id.in_(ids[i:i + CHUNK]), orm.links.c.relation != "duplicates")).all())
    now = model.utcnow()
    rows, touched = [], set()
    compat_cache: dict[tuple, bool] = {}
    for subject, members in by_subject.items():
        members.sort(key=lambda r: r.id)
        for j, b in enumerate(members):
            if b.id not in new_set:
                continue
            for a in members[:j]:
                if a.source_id == b.source_id:
                    continue  # a revision by the same source, not a contradiction
                if (b.id, a.id) in existing or (a.id, b.id) in existing:
                    continue
                key = (_qualifier(a), _value(a), _qualifier(b), _value(b))
                ok = compat_cache.get(key)
                if ok is None:
                    ok = compat_cache[key] = matching.values_compatible(*key)
                rows.append({
                    "from_id": b.id, "to_id": a.id, "relation": "corroborates" if ok else "contradicts",
                    "origin": "derived", "state": "confirmed", "score": None,
                    "note": f"same subject, {'compatible' if ok else 'incompatible'} values",
                    "analyst": uow.analyst, "created_at": now, "updated_at": now,
                })
                touched.update((a.id, b.id))
    if rows:
        s.execute(orm.links.insert(), rows)
    return touched
