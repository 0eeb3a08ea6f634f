"""The read side of sources: the listing with track records, and the exports that grade them."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from attrs import evolve
from sqlalchemy import func, or_, select

from verifier.adapters import exporters, records, settings
from verifier.domain import reliability
from verifier.views.common import VERDICTS, C, S, contains, source_keys
from verifier.views.convert import plain
from verifier.views.rows import SourceRow


def sources(session, *, search: str | None = None, limit: int | None = None, offset: int = 0,
            order: str = "score", keys=None, topic: str | None = None) -> list[SourceRow]:
    """Every source with its claim count, verdict counts and reliability (Beta posterior).

    The record counts every resolved claim, or only those on ``topic`` (a tag or subject); old
    resolutions weigh less when the ``reliability.half_life_days`` setting is on; ungraded
    sources borrow strength from their group (``adapters.records``). ``order="low"`` ranks by
    the lower end of the 90% interval, so three true verdicts do not top the list.
    """

    q = select(S.c.id, S.c.key, S.c.name, S.c.kind, S.c.affiliation, S.c.parent_id, S.c.grade, S.c.aliases)
    if keys is not None:
        q = q.where(S.c.key.in_(sorted(keys)))
        search = search or None
    if search:
        q = q.where(or_(contains(S.c.name, search), contains(S.c.key, search)))
    rows = session.execute(q).all()
    if not rows:
        return []
    totals, counts = _source_counts(session, [r.id for r in rows], filtered=bool(search) or keys is not None, topic=topic)
    half_life = settings.half_life(session)
    found = records.evidence(session, topic=topic, half_life_days=half_life)
    overall = records.evidence(session, half_life_days=half_life) if topic is not None else None
    prior = records.priors(session, found, overall, topic=topic, half_life_days=half_life)
    none = (0.0, 0.0, 0.0)
    pa = np.array([prior.prior[r.id][0] for r in rows])
    pb = np.array([prior.prior[r.id][1] for r in rows])
    pos = np.array([found.get(r.id, none)[0] for r in rows])
    neg = np.array([found.get(r.id, none)[1] for r in rows])
    n_counted = [found.get(r.id, none)[2] for r in rows]
    mean = (pa + pos) / (pa + pos + pb + neg)
    out = [SourceRow(
        id=r.key, name=r.name, type=r.kind, affiliation=r.affiliation, parent=None, grade=r.grade,
        aliases=tuple(r.aliases or ()), claims=totals.get(r.id, 0), resolved=int(sum(counts[r.id].values())),
        verdicts={v: counts[r.id].get(v, 0) for v in VERDICTS}, score=round(float(mean[i]), 4),
        letter=reliability.letter_for(float(mean[i]), int(n_counted[i]), r.grade), borrows_from=prior.group.get(r.id),
        topic=topic, low=0.0, high=0.0,
    ) for i, r in enumerate(rows)]
    low_all = reliability.posterior_many(pa, pb, pos, neg)[1] if order == "low" else None  # every interval
    order_key = _SOURCE_ORDER.get(order, lambda s, _low: getattr(s, order, s.name))
    idx = sorted(range(len(out)), key=lambda i: order_key(out[i], None if low_all is None else low_all[i]))
    if limit is not None:
        idx = idx[offset:offset + limit]
    if not idx:
        return []
    # the 90% intervals (Beta quantiles) only for the rows returned
    sel = np.array(idx, dtype=np.int64)
    _m, low, high = reliability.posterior_many(pa[sel], pb[sel], pos[sel], neg[sel])
    parents = source_keys(session, [rows[i].parent_id for i in idx])
    return [evolve(out[i], low=round(float(lo), 4), high=round(float(hi), 4), parent=parents.get(rows[i].parent_id))
            for i, lo, hi in zip(idx, low, high, strict=True)]


_SOURCE_ORDER = {
    "score": lambda s, _low: (-s.score, -s.claims, s.name.lower()),
    "low": lambda s, low: (-low, -s.score, s.name.lower()),
    "name": lambda s, _low: s.name.lower(),
    "claims": lambda s, _low: (-s.claims, s.name.lower()),
}


def _source_counts(session, ids: list[int], *, filtered: bool, topic: str | None):
    """Per source: how many claims, and how many of each verdict (on ``topic`` if given)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    # two index walks instead of one pass over every claim: totals from the source_id index,
    # verdict counts from the queue index (resolved claims only)
    tq = select(C.c.source_id, func.count()).group_by(C.c.source_id)
    cq = select(C.c.source_id, C.c.status, func.count()).where(C.c.status.in_(VERDICTS)).group_by(C.c.source_id, C.c.status)
    if filtered:
        tq, cq = tq.where(C.c.source_id.in_(ids)), cq.where(C.c.source_id.in_(ids))
    totals = dict(session.execute(tq).all())
    if topic is None:
        for sid, status, n in session.execute(cq):
            counts[sid][status] = n
    else:
        for _key, sid, verdict, _at in records.latest_resolutions(session, topic=topic):
            counts[sid][verdict] = counts[sid].get(verdict, 0) + 1
    return totals, counts


def source_ids(session) -> dict[str, int]:
    """Every source's id -> its row id."""
    return dict(session.execute(select(S.c.key, S.c.id)).all())


def export(session, fmt: str) -> str:
    """The text of a ClaimReview or STIX export, its sources graded as :func:`sources` lists them."""
    graded = {s.id: plain(s) for s in sources(session)} if fmt == "stix" else {}
    return exporters.export(session, fmt, graded)
