"""Track records as the store holds them: each source's evidence (overall, on a topic, as of a
date, old resolutions decayed) and its prior (the analyst's grade, or what sources of its group
do: ``domain.pooling``). The read side (``views.sources``, ``views.source_detail``) reports them."""

from __future__ import annotations

from datetime import datetime, time

import numpy as np
from attrs import frozen
from sqlalchemy import func, select

from verifier.adapters import orm
from verifier.domain import pooling, reliability
from verifier.domain.checks import utcnow
from verifier.domain.vocabulary import VERDICTS

MIN_POOL = pooling.MIN_POOL
RESOLVED = VERDICTS

S, C, R = orm.sources, orm.claims, orm.resolutions


def moment(as_of) -> datetime:
    """The reference moment of a record: the end of ``as_of``'s day, or now."""
    if as_of is None:
        return utcnow().replace(tzinfo=None)
    if isinstance(as_of, datetime):
        return as_of.replace(tzinfo=None)
    return datetime.combine(as_of, time.max)


def latest_resolutions(session, *, source_id: int | None = None, topic: str | None = None, as_of=None):
    """(claim key, source id, verdict, at) of each claim's latest resolution (as of a date), on a topic."""
    q = (select(C.c.key, C.c.source_id, R.c.verdict, R.c.at, C.c.tags, C.c.subject)
         .join(R, R.c.claim_id == C.c.id).order_by(R.c.at, R.c.id))
    if source_id is not None:
        q = q.where(C.c.source_id == source_id)
    else:
        q = q.where(C.c.status.in_(RESOLVED))
    limit = moment(as_of) if as_of is not None else None
    latest: dict[str, tuple] = {}
    for key, sid, verdict, at, tags, subject in session.execute(q):
        if limit is not None and at > limit:
            continue
        if topic is not None and not pooling.on_topic(tags, subject, topic):
            continue
        latest[key] = (key, sid, verdict, at)  # later rows overwrite: the latest verdict counts
    return list(latest.values())


def weights(ats, half_life_days: float | None, as_of=None) -> np.ndarray:
    ref = moment(as_of)
    ages = [(ref - at).total_seconds() / 86400.0 for at in ats]
    return pooling.decay_weights(np.asarray(ages, dtype=np.float64), half_life_days)


def evidence(session, *, topic: str | None = None, as_of=None, half_life_days: float | None = None):
    """{source id: [positive, negative, resolutions counted, sum of squared scores]} (weighted)."""
    out: dict[int, list[float]] = {}
    if topic is None and as_of is None and not half_life_days:
        # the common case walks the queue index: counts by source and status, resolved claims only
        for sid, status, n in session.execute(select(C.c.source_id, C.c.status, func.count())
                                              .where(C.c.status.in_(RESOLVED)).group_by(C.c.source_id, C.c.status)):
            s = reliability.verdict_score(status)
            if s is not None:
                e = out.setdefault(sid, [0.0, 0.0, 0.0, 0.0])
                e[0] += s * n
                e[1] += (1 - s) * n
                e[2] += n
                e[3] += s * s * n
        return out
    if topic is None:
        sid, score, age = _latest_scores(session, as_of)
        w = pooling.decay_weights(age, half_life_days)
    else:
        rows = [(r[1], reliability.verdict_score(r[2]), r[3]) for r in latest_resolutions(session, topic=topic, as_of=as_of)]
        rows = [r for r in rows if r[1] is not None]
        sid = np.array([r[0] for r in rows], dtype=np.int64)
        score = np.array([r[1] for r in rows], dtype=np.float64)
        w = weights([r[2] for r in rows], half_life_days, as_of)
    if not len(sid):
        return out
    ids, inverse = np.unique(sid, return_inverse=True)
    sums = [np.bincount(inverse, weights=v, minlength=len(ids)) for v in (w * score, w * (1 - score), np.ones(len(sid)),
                                                                          w * score * score)]
    for k, i in enumerate(ids.tolist()):
        out[i] = [float(sums[0][k]), float(sums[1][k]), float(sums[2][k]), float(sums[3][k])]
    return out


EPOCH = datetime(1970, 1, 1)


def _days(session, column):
    """``column`` (a datetime) as days since 1970 in SQL: no datetime object per row."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(column) - 2440587.5
    return func.extract("epoch", column) / 86400.0


def _latest_scores(session, as_of):
    """(source id, verdict score, age in days at the reference moment) arrays of each claim's
    latest counted resolution (as of a date); numbers straight from SQL, the latest found in numpy."""
    q = select(R.c.claim_id, C.c.source_id, R.c.verdict, _days(session, R.c.at), R.c.id).select_from(R).join(
        C, R.c.claim_id == C.c.id).where(C.c.status.in_(RESOLVED))
    if as_of is not None:
        q = q.where(R.c.at <= moment(as_of))
    rows = session.execute(q).all()
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    cid, sid, day, rid = (np.array([r[k] for r in rows], dtype=np.float64) for k in (0, 1, 3, 4))
    order = np.lexsort((rid, day))
    _u, last = np.unique(cid[order][::-1], return_index=True)  # each claim's latest (at, id)
    keep = order[len(order) - 1 - last]
    scores = {v: reliability.verdict_score(v) for v in {r[2] for r in rows}}
    score = np.array([np.nan if scores[rows[k][2]] is None else scores[rows[k][2]] for k in keep.tolist()])
    counted = ~np.isnan(score)
    ref = (moment(as_of) - EPOCH).total_seconds() / 86400.0
    return sid[keep][counted].astype(np.int64), score[counted], ref - day[keep][counted]


@frozen
class Priors:
    """Per source id: its prior (a, b) and the group it borrowed from (None: its grade's prior)."""

    prior: dict
    group: dict
    pooled: pooling.Pooled | None


def priors(session, found: dict[int, list[float]], overall: dict[int, list[float]] | None = None, *,
           topic: str | None = None, as_of=None, half_life_days: float | None = None) -> Priors:
    """Graded sources keep their grade's prior; ungraded ones borrow from their group, the
    strengths learned from every ungraded record (``domain.pooling.pool``).

    With ``overall`` (every source's whole record), ``found`` is a record on one ``topic``:
    each source's topic record borrows from its whole record (its posterior mean, shifted by
    how sources fare on that topic against their whole records, ``pooling.topic_shifts``), with
    a strength learned from how much sources' topic records differ from that."""
    if overall is not None:
        return _topic_priors(session, found, overall, topic, as_of, half_life_days)
    rows = session.execute(select(S.c.id, S.c.key, S.c.grade, S.c.parent_id, S.c.affiliation, S.c.kind)).all()
    keys = {r.id: r.key for r in rows}
    groups = [pooling.group_of(keys.get(r.parent_id), r.affiliation, r.kind) for r in rows]
    none = (0.0, 0.0, 0.0, 0.0)
    pos, neg, counts, sumsq = (np.array([found.get(r.id, none)[k] for r in rows], dtype=np.float64) for k in range(4))
    pa, pb, pooled = pooling.source_priors([r.grade for r in rows], groups, pos, neg, counts, sumsq)
    prior = {r.id: (a, b) for r, a, b in zip(rows, pa.tolist(), pb.tolist(), strict=False)}
    if pooled is None:
        return Priors(prior, {}, None)
    return Priors(prior, {r.id: g for r, g in zip(rows, groups, strict=False) if r.grade in pooling.UNGRADED}, pooled)


def topic_shift(session, whole: dict[int, float], topic: str, as_of=None, half_life_days: float | None = None) -> float:
    """How much better (> 0) or worse sources do on ``topic`` than on their whole records,
    learned against every topic (``pooling.topic_shifts``); ``whole``: source id -> whole-record mean."""
    q = (select(C.c.key, C.c.source_id, R.c.verdict, R.c.at, C.c.tags, C.c.subject)
         .join(R, R.c.claim_id == C.c.id).where(C.c.status.in_(RESOLVED)).order_by(R.c.at, R.c.id))
    limit = moment(as_of) if as_of is not None else None
    latest = {}
    for row in session.execute(q):
        if limit is None or row.at <= limit:
            latest[row.key] = row
    w = weights([r.at for r in latest.values()], half_life_days, as_of)
    rows = ((r.source_id, reliability.verdict_score(r.verdict), wt,
             ({str(t).strip().casefold() for t in r.tags or ()}
              | ({r.subject.strip().casefold()} if r.subject else set())) - {""})
            for r, wt in zip(latest.values(), w.tolist(), strict=False))
    n, total, sumsq, counts = pooling.topic_residuals(rows, whole)
    return pooling.topic_shifts(n, total, sumsq, counts).get(topic.strip().casefold(), 0.0)


def _topic_priors(session, found, overall, topic, as_of, half_life_days) -> Priors:
    base = priors(session, overall)
    ids = sorted(base.prior)
    none = (0.0, 0.0, 0.0, 0.0)
    centre = pooling.whole_record_means(*(np.array([base.prior[i][k] for i in ids]) for k in (0, 1)),
                                        *(np.array([overall.get(i, none)[k] for i in ids]) for k in (0, 1)))
    shift = None
    if topic is not None:
        shift = topic_shift(session, dict(zip(ids, centre.tolist(), strict=False)), topic, as_of, half_life_days)
    pos, neg, counts, sumsq = (np.array([found.get(i, none)[k] for i in ids]) for k in range(4))
    pa, pb = pooling.topic_priors(centre, shift, pos, neg, counts, sumsq, reliability.GRADE_PRIORS[None][1], MIN_POOL)
    prior = {i: (a, b) for i, a, b in zip(ids, pa.tolist(), pb.tolist(), strict=False)}
    return Priors(prior, {i: "its record on every topic" for i in ids}, base.pooled)
