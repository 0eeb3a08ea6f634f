"""The read side: queries that return plain data for the CLI, the TUI and reports.

Each function takes a SQLAlchemy session (from a read-only unit of work) and returns
dicts/lists of JSON-ready values. Big listings page (limit/offset) in the database.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime

import numpy as np
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from verifier.adapters import exporters, orm, records, settings, textindex
from verifier.adapters.repository import event_row
from verifier.domain import display, matching, reliability, similarity, vocabulary
from verifier.domain.checks import iso
from verifier.domain.values import value_record

S, C, L, R, E = orm.sources, orm.claims, orm.links, orm.resolutions, orm.events
VERDICTS = vocabulary.VERDICTS


# --------------------------------------------------------------------------- sources

def _source_keys(session, ids) -> dict[int, str]:
    ids = [i for i in set(ids) if i is not None]
    out = {}
    for i in range(0, len(ids), 500):
        out.update(session.execute(select(S.c.id, S.c.key).where(S.c.id.in_(ids[i:i + 500]))).all())
    return out


def _contains(column, term: str):
    """``column`` contains ``term`` (any case), ``%`` and ``_`` in the term taken literally."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def sources(session, *, search: str | None = None, limit: int | None = None, offset: int = 0,
            order: str = "score", keys=None, topic: str | None = None) -> list[dict]:
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
        q = q.where(or_(_contains(S.c.name, search), _contains(S.c.key, search)))
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
    out = [{
        "id": r.key, "name": r.name, "type": r.kind, "affiliation": r.affiliation,
        "parent": r.parent_id, "grade": r.grade, "aliases": list(r.aliases or []),
        "claims": totals.get(r.id, 0), "resolved": int(sum(counts[r.id].values())),
        "verdicts": {v: counts[r.id].get(v, 0) for v in VERDICTS},
        "score": round(float(mean[i]), 4),
        "letter": reliability.letter_for(float(mean[i]), int(n_counted[i]), r.grade),
        "borrows_from": prior.group.get(r.id),
        **({"topic": topic} if topic is not None else {}),
    } for i, r in enumerate(rows)]
    low_all = reliability.posterior_many(pa, pb, pos, neg)[1] if order == "low" else None  # every interval
    order_key = _SOURCE_ORDER.get(order, lambda s, _low: s[order] if order in s else s["name"])
    idx = sorted(range(len(out)), key=lambda i: order_key(out[i], None if low_all is None else low_all[i]))
    if limit is not None:
        idx = idx[offset:offset + limit]
    out = [out[i] for i in idx]
    if idx:  # the 90% intervals (Beta quantiles) only for the rows returned
        sel = np.array(idx, dtype=np.int64)
        _m, low, high = reliability.posterior_many(pa[sel], pb[sel], pos[sel], neg[sel])
        parents = _source_keys(session, [o["parent"] for o in out])
        for o, lo, hi in zip(out, low, high, strict=False):
            o["low"], o["high"] = round(float(lo), 4), round(float(hi), 4)
            o["parent"] = parents.get(o["parent"])
    return out


_SOURCE_ORDER = {
    "score": lambda s, _low: (-s["score"], -s["claims"], s["name"].lower()),
    "low": lambda s, low: (-low, -s["score"], s["name"].lower()),
    "name": lambda s, _low: s["name"].lower(),
    "claims": lambda s, _low: (-s["claims"], s["name"].lower()),
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
                  topic: str | None = None, by_topic: int = 0) -> dict | None:
    """One source's record (on ``topic`` if given) and, for its ``by_topic`` most resolved
    topics, its record on each."""

    row = session.execute(select(S).where(S.c.key == key)).first()
    if row is None:
        return None
    parent = _source_keys(session, [row.parent_id]).get(row.parent_id)
    half_life = settings.half_life(session)
    found = records.evidence(session, topic=topic, as_of=as_of, half_life_days=half_life)
    overall = records.evidence(session, as_of=as_of, half_life_days=half_life) if topic is not None else None
    prior = records.priors(session, found, overall, topic=topic, as_of=as_of, half_life_days=half_life)
    record = track_record(session, row.id, row.grade, as_of, topic=topic, half_life_days=half_life,
                          prior=prior.prior.get(row.id))
    its_topics = topics(session, row.id)
    per_topic = []
    for t in its_topics[:by_topic]:
        found_t = records.evidence(session, topic=t["topic"], as_of=as_of, half_life_days=half_life)
        if overall is None:
            overall = records.evidence(session, as_of=as_of, half_life_days=half_life)
        rec_t = track_record(session, row.id, row.grade, as_of, topic=t["topic"], half_life_days=half_life,
                             prior=records.priors(session, found_t, overall, topic=t["topic"], as_of=as_of,
                                                 half_life_days=half_life).prior.get(row.id))
        per_topic.append({"topic": t["topic"], "score": round(rec_t.score, 4), "low": round(rec_t.low, 4),
                          "high": round(rec_t.high, 4), "counted": rec_t.n})
    deps_out = session.execute(
        select(S.c.key, orm.source_dependencies.c.note).join(orm.source_dependencies, orm.source_dependencies.c.on_id == S.c.id)
        .where(orm.source_dependencies.c.source_id == row.id)).all()
    deps_in = session.execute(
        select(S.c.key, orm.source_dependencies.c.note).join(orm.source_dependencies, orm.source_dependencies.c.source_id == S.c.id)
        .where(orm.source_dependencies.c.on_id == row.id)).all()
    children = [k for (k,) in session.execute(select(S.c.key).where(S.c.parent_id == row.id).order_by(S.c.key))]
    n_claims = session.execute(select(func.count()).select_from(C).where(C.c.source_id == row.id)).scalar()
    relayed = session.execute(select(func.count()).select_from(orm.claim_relays).where(orm.claim_relays.c.source_id == row.id)).scalar()
    history = _history(session, "source", key, row.created_event)
    return {
        "id": row.key, "name": row.name, "type": row.kind, "aliases": list(row.aliases or []),
        "affiliation": row.affiliation, "parent": parent, "children": children, "grade": row.grade, "notes": row.notes,
        "claims": n_claims, "relayed": relayed,
        "depends_on": [{"source": k, "note": n} for k, n in deps_out],
        "depended_on_by": [{"source": k, "note": n} for k, n in deps_in],
        "as_of": iso(as_of), "topic": topic, "half_life_days": half_life,
        "topics": its_topics, "by_topic": per_topic,
        "reliability": {
            "score": round(record.score, 4), "low": round(record.low, 4), "high": round(record.high, 4),
            "letter": record.letter, "counted": record.n, "counts": record.counts, "prior": list(record.prior),
            "words": reliability.estimative_words(record.score), "borrows_from": prior.group.get(row.id),
        },
        "score_history": [
            {"at": iso(s.at), "claim": s.claim, "verdict": s.verdict, "before": round(s.score_before, 4),
             "after": round(s.score_after, 4), "delta": round(s.delta, 4)} for s in record.history
        ],
        "moved_most": [
            {"at": iso(s.at), "claim": s.claim, "verdict": s.verdict, "delta": round(s.delta, 4)}
            for s in reliability.moved_most(record, 3)
        ],
        "recent_claims": claims(session, source=key, limit=claims_limit),
        "history": history,
    }


def topics(session, source_id: int, limit: int = 20) -> list[dict]:
    """The tags and subjects of a source's resolved claims, most resolved first: what
    ``--topic`` can ask about."""
    n: dict[str, int] = defaultdict(int)
    q = select(C.c.tags, C.c.subject).where(C.c.source_id == source_id, C.c.status.in_(VERDICTS))
    for tags, subject in session.execute(q):
        for t in {*(str(t).strip().casefold() for t in tags or ()), *([subject.strip().casefold()] if subject else [])}:
            n[t] += 1
    return [{"topic": t, "resolved": k} for t, k in sorted(n.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


# --------------------------------------------------------------------------- claims

def _claim_rows_to_json(session, rows) -> list[dict]:
    ids = [r.id for r in rows]
    via: dict[int, list[str]] = defaultdict(list)
    if ids:
        for i in range(0, len(ids), 500):
            for cid, key in session.execute(
                select(orm.claim_relays.c.claim_id, S.c.key).join(S, S.c.id == orm.claim_relays.c.source_id)
                .where(orm.claim_relays.c.claim_id.in_(ids[i:i + 500])).order_by(orm.claim_relays.c.claim_id, orm.claim_relays.c.position)
            ):
                via[cid].append(key)
    pending_dups: dict[int, int] = defaultdict(int)
    if ids:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for a, b in session.execute(select(L.c.from_id, L.c.to_id).where(
                    L.c.origin == "detector", L.c.state == "suggested", or_(L.c.from_id.in_(chunk), L.c.to_id.in_(chunk)))):
                pending_dups[a] += 1
                pending_dups[b] += 1
    assignee: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        assignee.update(session.execute(select(orm.claim_assignments.c.claim_id, orm.claim_assignments.c.analyst)
                                        .where(orm.claim_assignments.c.claim_id.in_(chunk))).all())
    # a claim nobody has scored yet (no links, no verdict) is as credible as its source
    fallback = {}
    unscored = {r.source_key for r in rows if r.belief is None}
    if unscored:
        fallback = {s["id"]: s["score"] for s in sources(session, keys=unscored)}
    out = []
    for r in rows:
        belief = r.belief if r.belief is not None else fallback.get(r.source_key)
        item = {
            "id": r.key, "text": r.text, "source": r.source_key, "source_name": r.source_name, "via": via.get(r.id, []),
            "status": r.status, "published": iso(r.published), "event_date": iso(r.event_date),
            "location": r.location, "tags": list(r.tags or []), "subject": r.subject,
            "support": r.support, "contradicted": r.contradicted,
            "belief": None if belief is None else round(belief, 4),
            "credibility": r.credibility if r.credibility is not None else 6,
            "words": reliability.estimative_words(belief) if belief is not None else "cannot be judged",
            "suggested_duplicates": pending_dups.get(r.id, 0),
            "assignee": assignee.get(r.id),
        }
        item.update(value_record(r.qualifier, r.value_num, r.value_high, r.value_text, r.unit))
        out.append(item)
    return out


def _claim_select():
    return select(
        C.c.id, C.c.key, C.c.text, C.c.status, C.c.published, C.c.event_date, C.c.location, C.c.tags, C.c.subject,
        C.c.qualifier, C.c.value_num, C.c.value_high, C.c.value_text, C.c.unit, C.c.support, C.c.contradicted,
        C.c.belief, C.c.credibility, S.c.key.label("source_key"), S.c.name.label("source_name"),
    ).join(S, S.c.id == C.c.source_id)


def claims(session, *, unresolved: bool = False, source: str | None = None, search: str | None = None,
           limit: int | None = None, offset: int = 0, order: str = "queue", search_sources: bool = False,
           assigned_to: str | None = None) -> list[dict]:
    """Claims, most in need of attention first for the queue (contradicted, most reported, newest).
    ``search``: words in the text; with ``search_sources`` also in the name or id of the
    claim's source or of a source it was relayed via ("alma" finds what came via the Alma Center).
    ``assigned_to``: an analyst's name, or ``nobody`` for the claims no one is assigned."""
    q = _claim_select()
    if assigned_to is not None:
        q = q.where(_assigned(assigned_to))
    if unresolved:
        q = q.where(C.c.status == "unresolved")
    if source:
        sid = session.execute(select(S.c.id).where(S.c.key == source)).scalar()
        if sid is None:
            from verifier.domain.errors import NotFound

            raise NotFound("source", source)
        q = q.where(C.c.source_id == sid)
    if search:
        match = _contains(C.c.text, search)
        if search_sources:
            named = select(S.c.id).where(or_(_contains(S.c.name, search), _contains(S.c.key, search)))
            relayed = select(orm.claim_relays.c.claim_id).where(orm.claim_relays.c.source_id.in_(named))
            match = or_(match, C.c.source_id.in_(named), C.c.id.in_(relayed))
        q = q.where(match)
    if order == "queue":
        q = q.order_by(C.c.contradicted.desc(), C.c.support.desc(), C.c.published.desc(), C.c.id.desc())
    else:
        q = q.order_by(C.c.id)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return _claim_rows_to_json(session, session.execute(q).all())


def _assigned(who: str):
    from verifier.domain.team import NOBODY

    A = orm.claim_assignments
    if who == NOBODY:
        return ~select(A.c.claim_id).where(A.c.claim_id == C.c.id).exists()
    return select(A.c.claim_id).where(A.c.claim_id == C.c.id, A.c.analyst == who).exists()


def count_claims(session, *, unresolved: bool = False, assigned_to: str | None = None) -> int:
    q = select(func.count()).select_from(C)
    if assigned_to is not None:
        q = q.where(_assigned(assigned_to))
    if unresolved:
        q = q.where(C.c.status == "unresolved")
    return session.execute(q).scalar()


def claim_links(session, claim_id: int) -> list[dict]:
    A, B = aliased(C), aliased(C)
    rows = session.execute(
        select(L, A.c.key.label("a_key"), A.c.text.label("a_text"), B.c.key.label("b_key"), B.c.text.label("b_text"))
        .join(A, A.c.id == L.c.from_id).join(B, B.c.id == L.c.to_id)
        .where(or_(L.c.from_id == claim_id, L.c.to_id == claim_id)).order_by(L.c.id)
    ).all()
    reworded = _reworded_at(session, {k for r in rows for k in (r.a_key, r.b_key)})
    out = []
    for r in rows:
        other_key, other_text = (r.b_key, r.b_text) if r.from_id == claim_id else (r.a_key, r.a_text)
        out.append({
            "from": r.a_key, "to": r.b_key, "other": other_key, "other_text": other_text, "relation": r.relation,
            "origin": r.origin, "state": r.state, "score": r.score, "note": r.note, "analyst": r.analyst,
            "kind": "duplicate" if r.relation == "duplicates" else ("conflict" if r.relation == "contradicts" else "support"),
            "review": _review(r, reworded),
        })
    return out


def _reworded_at(session, keys: set[str]) -> dict[str, datetime]:
    """When each of these claims' text last changed by an edit (from the audit log)."""
    out: dict[str, datetime] = {}
    keys = sorted(keys)
    for i in range(0, len(keys), 500):
        q = select(E.c.key, E.c.at, E.c.before, E.c.after).where(
            E.c.entity == "claim", E.c.action == "edit", E.c.key.in_(keys[i:i + 500]))
        for key, at, before, after in session.execute(q):
            if (json.loads(before or "null") or {}).get("text") != (json.loads(after or "null") or {}).get("text"):
                out[key] = max(out.get(key, at), at)
    return out


def _review(link, reworded: dict[str, datetime]) -> str | None:
    """Why an analyst's confirmed link needs another look: a claim's text changed after it
    was confirmed (confirming it again clears this). None when it does not."""
    if link.state != "confirmed" or link.origin == "derived":
        return None
    for key in (link.a_key, link.b_key):
        changed = reworded.get(key)
        if changed is not None and link.updated_at < changed:
            return (f"the text of {key} changed after this link was confirmed "
                    f"({changed.isoformat(timespec='seconds')}): check it still holds, then confirm it again")
    return None


def claim_detail(session, key: str) -> dict | None:
    row = session.execute(_claim_select().add_columns(C.c.created_event, C.c.document_id).where(C.c.key == key)).first()
    if row is None:
        return None
    item = _claim_rows_to_json(session, [row])[0]
    if row.document_id:
        d = session.execute(select(orm.documents).where(orm.documents.c.id == row.document_id)).first()
        item["document"] = {"id": d.key, "title": d.title, "url": d.url, "published": iso(d.published)}
    item["resolutions"] = [
        {"verdict": r.verdict, "at": iso(r.at), "rationale": r.rationale, "evidence": r.evidence, "analyst": r.analyst}
        for r in session.execute(select(R).where(R.c.claim_id == row.id).order_by(R.c.at, R.c.id))
    ]
    item["links"] = claim_links(session, row.id)
    item["history"] = _history(session, "claim", key, row.created_event)
    return item


def document_detail(session, key: str, claims_limit: int = 200) -> dict | None:
    """One document: where it came from, and the claims read in it."""
    D = orm.documents
    d = session.execute(select(D).where(D.c.key == key)).first()
    if d is None:
        return None
    publisher = _source_keys(session, [d.publisher_id]).get(d.publisher_id)
    rows = session.execute(select(C.c.key, C.c.text).where(C.c.document_id == d.id).order_by(C.c.id).limit(claims_limit))
    return {
        "id": d.key, "title": d.title, "url": d.url, "publisher": publisher, "published": iso(d.published),
        "retrieved": iso(d.retrieved), "claims": [{"id": k, "text": t} for k, t in rows],
        "claim_count": session.execute(select(func.count()).select_from(C).where(C.c.document_id == d.id)).scalar(),
        "history": _history(session, "document", key, None),
    }


def _history(session, entity: str, key: str, created_event: int | None) -> list[dict]:
    conds = [and_(E.c.entity == entity, E.c.key == key)]
    if created_event:
        conds.append(E.c.seq == created_event)
    rows = session.execute(select(E).where(or_(*conds)).order_by(E.c.seq)).mappings()
    out = []
    for r in rows:
        ev = event_row(r)
        if ev["action"] == "import":  # the file's event: its name (not where it lay, nor its counts)
            path = (ev["after"] or {}).get("file")
            ev["after"] = {"file": None if path is None else str(path).replace("\\", "/").rsplit("/", 1)[-1]}
        out.append(ev)
    return out


# --------------------------------------------------------------------------- links / duplicates

def duplicate_queue(session, *, state: str | None = "suggested", limit: int | None = None, offset: int = 0) -> list[dict]:
    A, B = aliased(C), aliased(C)
    q = (select(L.c.id, L.c.relation, L.c.score, L.c.state, L.c.note, L.c.origin, A.c.key.label("a"), A.c.text.label("a_text"),
                B.c.key.label("b"), B.c.text.label("b_text"))
         .join(A, A.c.id == L.c.to_id).join(B, B.c.id == L.c.from_id)
         .where(L.c.relation.in_(("duplicates", "contradicts")), L.c.origin == "detector"))
    if state:
        q = q.where(L.c.state == state)
    q = q.order_by(L.c.score.desc(), L.c.id)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    t1, t2 = None, None

    t1, t2 = settings.thresholds(session)
    return [{
        "a": r.a, "b": r.b, "a_text": r.a_text, "b_text": r.b_text, "score": r.score,
        "kind": "duplicate" if r.relation == "duplicates" else "conflict", "state": r.state,
        "band": matching.band(r.score or 0, t1, t2), "reason": r.note,
    } for r in session.execute(q)]


def similar(session, text: str, limit: int = 10, candidates: int = 50, *, query_vector=None,
            semantic: bool | None = None) -> list[dict]:
    """The tracked claims most like ``text``, best first: ``[{"id", "score", "text"}]``.

    Candidates come from the text index; with the ``[semantic]`` extra and stored
    embeddings (``semantic=None``: whenever both are there) also from the vector index,
    and the score fuses the pair score with the embeddings' cosine (``similarity.fuse``).
    ``query_vector``: the query's embedding when the caller embedded many at once.
    """
    cands = textindex.candidates(session, text, limit=max(candidates, limit))
    cosines = None
    if semantic is not False:
        from verifier.adapters import embeddings

        if embeddings.available() and (query_vector is not None or embeddings.has_vectors(session)):
            vector = query_vector if query_vector is not None else embeddings.embed([text])[0]
            known = {c.id for c in cands}
            near = [i for i in embeddings.search(session, vector, max(candidates, limit)) if i not in known]
            found = textindex.claims_by_id(session, near)
            cands += [similarity.Candidate(id=i, text=found[i][0], norm=found[i][1]) for i in near if i in found]
            cosines = embeddings.cosines(session, vector, [c.id for c in cands])
    # a match scored 0 is ranked only for want of others: it has nothing in common that counts
    ranked = [m for m in similarity.rerank(text, cands, limit, cosines=cosines) if m.score > 0]
    by_id = {c.id: c for c in cands}
    keys = dict(session.execute(select(C.c.id, C.c.key).where(C.c.id.in_([s.id for s in ranked]))).all()) if ranked else {}
    return [{"id": keys[s.id], "score": s.score, "text": by_id[s.id].text} for s in ranked]


def similar_to_claim(session, key: str, text: str, limit: int = 5) -> list[dict]:
    """Near-duplicates of claim ``key`` (whose text is ``text``), as :func:`similar` lists
    them, each with the detector's verdict on the pair (``kind``: duplicate, conflict or
    None) so that a possible contradiction ("about 3000" against "more than 6250") is not
    shown as a repeat."""
    found = [s for s in similar(session, text, limit=limit + 1) if s["id"] != key][:limit]
    return [{**s, "kind": matching.compare(text, s["text"]).kind} for s in found]


# --------------------------------------------------------------------------- audit

def audit_events(session, *, limit: int | None = 100, entity: str | None = None, key: str | None = None,
                 analyst: str | None = None) -> list[dict]:
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
    return [event_row(r) for r in session.execute(q).mappings()][::-1]


def all_events(session):
    from verifier.domain.audit import Event

    for r in session.execute(select(E).order_by(E.c.seq)).mappings():
        yield Event(r["seq"], r["at"], r["analyst"], r["action"], r["entity"], r["key"], r["before"], r["after"],
                    r["prev_hash"], r["hash"])


def summary(session) -> dict:
    return {
        "sources": session.execute(select(func.count()).select_from(S)).scalar(),
        "claims": session.execute(select(func.count()).select_from(C)).scalar(),
        "unresolved": count_claims(session, unresolved=True),
        "links": session.execute(select(func.count()).select_from(L)).scalar(),
        "suggested": session.execute(select(func.count()).select_from(L).where(L.c.state == "suggested")).scalar(),
        "events": session.execute(select(func.count()).select_from(E)).scalar(),
    }




def source_ids(session) -> dict[str, int]:
    """Every source's id -> its row id."""
    return dict(session.execute(select(S.c.key, S.c.id)).all())


def linked_claim_keys(session) -> list[str]:
    """The claims with a confirmed corroboration or contradiction, in the order they were added."""
    return [k for (k,) in session.execute(
        select(C.c.key).where(or_(C.c.support > 0, C.c.contradicted > 0)).order_by(C.c.id))]


# --------------------------------------------------------------------------- display

def display_pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, hostile)`` pieces, in order: a hostile piece is one
    character that must never reach a terminal as itself (``domain.display.HOSTILE``:
    controls, bidirectional overrides), for a screen to show as a visible escape."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in display.HOSTILE.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


# --------------------------------------------------------------------------- exports

def export(session, fmt: str) -> str:
    """The text of a ClaimReview or STIX export, its sources graded as :func:`sources` lists them."""
    return exporters.export(session, fmt, {s["id"]: s for s in sources(session)} if fmt == "stix" else {})
