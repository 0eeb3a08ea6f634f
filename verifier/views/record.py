"""The read side of one source: its track record (as of a date, on a topic), its topics,
dependencies, score history and recent claims."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from verifier.adapters import orm, records, settings
from verifier.domain import reliability
from verifier.domain.checks import iso
from verifier.views.claim import claims
from verifier.views.common import VERDICTS, C, S, count, history, source_keys
from verifier.views.rows import Dependency, Move, Reliability, ScoreStep, SourceDetail, Topic, TopicRecord


def track_record(session, source_id: int, grade: str | None, as_of=None, *, topic: str | None = None,
                 half_life_days: float | None = None, prior=None) -> reliability.TrackRecord:
    """The track record from the latest verdict of each claim (as of a date, on a topic if given),
    old resolutions weighed down by the half-life, from ``prior`` (default: the grade's)."""

    rows = records.latest_resolutions(session, source_id=source_id, topic=topic, as_of=as_of)
    w = records.weights([r[3] for r in rows], half_life_days, as_of)
    reports = [reliability.ResolvedReport(claim=key, verdict=verdict, at=at, weight=wt)
               for (key, _sid, verdict, at), wt in zip(rows, w.tolist(), strict=False)]
    return reliability.track_record(grade, reports, as_of=as_of, prior=prior)


def track_records(session, sources) -> list[reliability.TrackRecord]:
    """The current record of each ``(source id, grade)``, as ``sources`` scores them (the
    half-life setting, the learned priors), the priors learned once for all."""

    if not sources:
        return []
    half_life = settings.half_life(session)
    prior = records.priors(session, records.evidence(session, half_life_days=half_life)).prior
    return [track_record(session, sid, grade, half_life_days=half_life, prior=prior.get(sid)) for sid, grade in sources]


def source_detail(session, key: str, *, as_of: date | None = None, claims_limit: int = 50,
                  topic: str | None = None, by_topic: int = 0) -> SourceDetail | None:
    """One source's record (on ``topic`` if given) and, for its ``by_topic`` most resolved
    topics, its record on each."""

    row = session.execute(select(S).where(S.c.key == key)).first()
    if row is None:
        return None
    half_life = settings.half_life(session)
    found = records.evidence(session, topic=topic, as_of=as_of, half_life_days=half_life)
    overall = records.evidence(session, as_of=as_of, half_life_days=half_life) if topic is not None else None
    prior = records.priors(session, found, overall, topic=topic, as_of=as_of, half_life_days=half_life)
    record = track_record(session, row.id, row.grade, as_of, topic=topic, half_life_days=half_life,
                          prior=prior.prior.get(row.id))
    its_topics = topics(session, row.id)
    per_topic = []
    for t in its_topics[:by_topic]:
        found_t = records.evidence(session, topic=t.topic, as_of=as_of, half_life_days=half_life)
        if overall is None:
            overall = records.evidence(session, as_of=as_of, half_life_days=half_life)
        rec_t = track_record(session, row.id, row.grade, as_of, topic=t.topic, half_life_days=half_life,
                             prior=records.priors(session, found_t, overall, topic=t.topic, as_of=as_of,
                                                 half_life_days=half_life).prior.get(row.id))
        per_topic.append(TopicRecord(topic=t.topic, score=round(rec_t.score, 4), low=round(rec_t.low, 4),
                                     high=round(rec_t.high, 4), counted=rec_t.n))
    D = orm.source_dependencies
    deps_out = session.execute(select(S.c.key, D.c.note).join(D, D.c.on_id == S.c.id).where(D.c.source_id == row.id))
    deps_in = session.execute(select(S.c.key, D.c.note).join(D, D.c.source_id == S.c.id).where(D.c.on_id == row.id))
    return SourceDetail(
        id=row.key, name=row.name, type=row.kind, aliases=tuple(row.aliases or ()), affiliation=row.affiliation,
        parent=source_keys(session, [row.parent_id]).get(row.parent_id),
        children=tuple(k for (k,) in session.execute(select(S.c.key).where(S.c.parent_id == row.id).order_by(S.c.key))),
        grade=row.grade, notes=row.notes, claims=count(session, C, C.c.source_id == row.id),
        relayed=count(session, orm.claim_relays, orm.claim_relays.c.source_id == row.id),
        depends_on=tuple(Dependency(source=k, note=n) for k, n in deps_out),
        depended_on_by=tuple(Dependency(source=k, note=n) for k, n in deps_in),
        as_of=iso(as_of), topic=topic, half_life_days=half_life, topics=tuple(its_topics), by_topic=tuple(per_topic),
        reliability=Reliability(
            score=round(record.score, 4), low=round(record.low, 4), high=round(record.high, 4), letter=record.letter,
            counted=record.n, counts=record.counts, prior=tuple(record.prior),
            words=reliability.estimative_words(record.score), borrows_from=prior.group.get(row.id),
        ),
        score_history=tuple(
            ScoreStep(at=iso(s.at), claim=s.claim, verdict=s.verdict, before=round(s.score_before, 4),
                      after=round(s.score_after, 4), delta=round(s.delta, 4)) for s in record.history
        ),
        moved_most=tuple(Move(at=iso(s.at), claim=s.claim, verdict=s.verdict, delta=round(s.delta, 4))
                         for s in reliability.moved_most(record, 3)),
        recent_claims=tuple(claims(session, source=key, limit=claims_limit)),
        history=history(session, "source", key, row.created_event),
    )


def topics(session, source_id: int, limit: int = 20) -> list[Topic]:
    """The tags and subjects of a source's resolved claims, most resolved first: what
    ``--topic`` can ask about."""
    n: dict[str, int] = defaultdict(int)
    q = select(C.c.tags, C.c.subject).where(C.c.source_id == source_id, C.c.status.in_(VERDICTS))
    for tags, subject in session.execute(q):
        for t in {*(str(t).strip().casefold() for t in tags or ()), *([subject.strip().casefold()] if subject else [])}:
            n[t] += 1
    return [Topic(topic=t, resolved=k) for t, k in sorted(n.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
