"""Near-duplicate detection and the review queue.

On arrival every new claim is compared with its few best candidates from the text index;
pairs scoring at or above T1 become *suggested* links: ``duplicates`` when the texts say
the same thing, ``contradicts`` (a possible contradiction) when they match except for a
number, a date or a negation. A pair that already has any link of that relation, in any
state, is never suggested again (a rejected suggestion stays rejected).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from verifier.adapters import orm, textindex
from verifier.domain import matching, model

CANDIDATES = 20
SETTING_T1, SETTING_T2 = "match.t1", "match.t2"


def thresholds(session) -> tuple[float, float]:
    rows = dict(session.execute(select(orm.settings.c.name, orm.settings.c.value)
                                .where(orm.settings.c.name.in_([SETTING_T1, SETTING_T2]))).all())
    return float(rows.get(SETTING_T1, matching.T1)), float(rows.get(SETTING_T2, matching.T2))


def band(score: float, t1: float, t2: float) -> str | None:
    if score >= t2:
        return "near-certain"
    if score >= t1:
        return "review"
    return None


def _linked_pairs(session, ids: list[int]) -> set[tuple[int, int]]:
    L = orm.links
    out: set[tuple[int, int]] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for a, b in session.execute(select(L.c.from_id, L.c.to_id).where(
                L.c.relation.in_(("duplicates", "contradicts")), (L.c.from_id.in_(chunk)) | (L.c.to_id.in_(chunk)))):
            out.add((min(a, b), max(a, b)))
    return out


def suggestions_for(session, claim_id: int, text: str, t1: float, limit: int = CANDIDATES) -> list[tuple[int, matching.Comparison]]:
    """The tracked claims that this claim's text repeats or may contradict, score >= t1."""
    cands = textindex.candidates(session, text, limit=limit, exclude=claim_id)
    out = []
    for c in cands:
        cmp = matching.compare(text, c.text)
        if cmp.kind is not None and cmp.score >= t1:
            out.append((c.id, cmp))
    return out


def detect(uow, claim_ids: list[int], progress: Callable[[int], None] | None = None) -> int:
    """Suggest links for these claims against everything tracked; returns how many."""
    s = uow.session
    t1, _t2 = thresholds(s)
    texts: dict[int, str] = {}
    for i in range(0, len(claim_ids), 500):
        texts.update(s.execute(select(orm.claims.c.id, orm.claims.c.text)
                               .where(orm.claims.c.id.in_(claim_ids[i:i + 500]))).all())
    found: dict[tuple[int, int], matching.Comparison] = {}
    for cid in claim_ids:
        for other, cmp in suggestions_for(s, cid, texts[cid], t1):
            pair = (min(cid, other), max(cid, other))
            if pair not in found or found[pair].score < cmp.score:
                found[pair] = cmp
        if progress:
            progress(1)
    if not found:
        return 0
    have = _linked_pairs(s, sorted({x for p in found for x in p}))
    now = model.utcnow()
    rows = []
    for (a, b), cmp in found.items():
        if (a, b) in have:
            continue
        rows.append({
            "from_id": b, "to_id": a, "relation": "duplicates" if cmp.kind == "duplicate" else "contradicts",
            "origin": "detector", "state": "suggested", "score": round(cmp.score, 1), "note": cmp.reason,
            "analyst": None, "created_at": now, "updated_at": now,
        })
    if rows:
        s.execute(orm.links.insert(), rows)
    return len(rows)
