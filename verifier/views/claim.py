"""The read side of claims: the queue and other listings, one claim in detail, its links."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from verifier.adapters import orm
from verifier.domain import reliability
from verifier.domain.checks import iso
from verifier.domain.errors import NotFound
from verifier.domain.team import NOBODY
from verifier.domain.values import value_record
from verifier.views.common import SCORES, C, E, L, R, S, chunks, contains, history
from verifier.views.rows import ClaimDetail, ClaimRow, DocumentRef, Figure, Link, Resolution
from verifier.views.source import sources


def _claim_rows(session, rows) -> list[ClaimRow]:
    ids = [r.id for r in rows]
    relays, assignments = orm.claim_relays, orm.claim_assignments
    via: dict[int, list[str]] = defaultdict(list)
    pending_dups: dict[int, int] = defaultdict(int)
    assignee: dict[int, str] = {}
    for chunk in chunks(ids):
        for cid, key in session.execute(
            select(relays.c.claim_id, S.c.key).join(S, S.c.id == relays.c.source_id)
            .where(relays.c.claim_id.in_(chunk)).order_by(relays.c.claim_id, relays.c.position)
        ):
            via[cid].append(key)
        for a, b in session.execute(select(L.c.from_id, L.c.to_id).where(
                L.c.origin == "detector", L.c.state == "suggested", or_(L.c.from_id.in_(chunk), L.c.to_id.in_(chunk)))):
            pending_dups[a] += 1
            pending_dups[b] += 1
        assignee.update(session.execute(select(assignments.c.claim_id, assignments.c.analyst)
                                        .where(assignments.c.claim_id.in_(chunk))).all())
    # a claim nobody has scored yet (no links, no verdict) is as credible as its source
    fallback = {}
    unscored = {r.source_key for r in rows if r.belief is None}
    if unscored:
        fallback = {s.id: s.score for s in sources(session, keys=unscored)}
    return [_claim_row(r, via.get(r.id, ()), pending_dups.get(r.id, 0), assignee.get(r.id), fallback) for r in rows]


def _claim_row(r, via, pending: int, assignee: str | None, fallback: dict[str, float]) -> ClaimRow:
    belief = r.belief if r.belief is not None else fallback.get(r.source_key)
    return ClaimRow(
        id=r.key, text=r.text, source=r.source_key, source_name=r.source_name, via=tuple(via),
        status=r.status, published=iso(r.published), event_date=iso(r.event_date),
        location=r.location, tags=tuple(r.tags or ()), subject=r.subject,
        support=r.support, contradicted=r.contradicted,
        belief=None if belief is None else round(belief, 4),
        credibility=r.credibility if r.credibility is not None else 6,
        words=reliability.estimative_words(belief) if belief is not None else "cannot be judged",
        suggested_duplicates=pending, assignee=assignee,
        figure=Figure.from_record(value_record(r.qualifier, r.value_num, r.value_high, r.value_text, r.unit)),
        language=r.language,
    )


def _claim_select():
    return select(
        C.c.id, C.c.key, C.c.text, C.c.status, C.c.published, C.c.event_date, C.c.location, C.c.tags, C.c.subject,
        C.c.qualifier, C.c.value_num, C.c.value_high, C.c.value_text, C.c.unit, C.c.support, C.c.contradicted,
        C.c.language, SCORES.c.belief, SCORES.c.credibility, S.c.key.label("source_key"), S.c.name.label("source_name"),
    ).join(S, S.c.id == C.c.source_id).outerjoin(SCORES, SCORES.c.claim_id == C.c.id)


def claims(session, *, unresolved: bool = False, source: str | None = None, search: str | None = None,
           limit: int | None = None, offset: int = 0, order: str = "queue", search_sources: bool = False,
           assigned_to: str | None = None) -> list[ClaimRow]:
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
            raise NotFound("source", source)
        q = q.where(C.c.source_id == sid)
    if search:
        match = contains(C.c.text, search)
        if search_sources:
            named = select(S.c.id).where(or_(contains(S.c.name, search), contains(S.c.key, search)))
            relayed = select(orm.claim_relays.c.claim_id).where(orm.claim_relays.c.source_id.in_(named))
            match = or_(match, C.c.source_id.in_(named), C.c.id.in_(relayed))
        q = q.where(match)
    if order == "queue":
        q = q.order_by(C.c.contradicted.desc(), C.c.support.desc(), C.c.published.desc(), C.c.id.desc())
    else:
        q = q.order_by(C.c.id)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return _claim_rows(session, session.execute(q).all())


def _assigned(who: str):
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


def linked_claim_keys(session) -> list[str]:
    """The claims with a confirmed corroboration or contradiction, in the order they were added."""
    return [k for (k,) in session.execute(
        select(C.c.key).where(or_(C.c.support > 0, C.c.contradicted > 0)).order_by(C.c.id))]


# --------------------------------------------------------------------------- one claim

def claim_links(session, claim_id: int) -> list[Link]:
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
        out.append(Link(
            from_=r.a_key, to=r.b_key, other=other_key, other_text=other_text, relation=r.relation,
            origin=r.origin, state=r.state, score=r.score, note=r.note, analyst=r.analyst,
            kind="duplicate" if r.relation == "duplicates" else ("conflict" if r.relation == "contradicts" else "support"),
            review=_review(r, reworded),
        ))
    return out


def _reworded_at(session, keys: set[str]) -> dict[str, datetime]:
    """When each of these claims' text last changed by an edit (from the audit log)."""
    out: dict[str, datetime] = {}
    for chunk in chunks(sorted(keys)):
        q = select(E.c.key, E.c.at, E.c.before, E.c.after).where(
            E.c.entity == "claim", E.c.action == "edit", E.c.key.in_(chunk))
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


def claim_detail(session, key: str) -> ClaimDetail | None:
    row = session.execute(_claim_select().add_columns(C.c.created_event, C.c.document_id).where(C.c.key == key)).first()
    if row is None:
        return None
    listed = _claim_rows(session, [row])[0]
    document = None
    if row.document_id:
        d = session.execute(select(orm.documents).where(orm.documents.c.id == row.document_id)).first()
        document = DocumentRef(id=d.key, title=d.title, url=d.url, published=iso(d.published))
    resolutions = tuple(
        Resolution(verdict=r.verdict, at=iso(r.at), rationale=r.rationale, evidence=r.evidence, analyst=r.analyst)
        for r in session.execute(select(R).where(R.c.claim_id == row.id).order_by(R.c.at, R.c.id))
    )
    return ClaimDetail.from_row(listed, document=document, resolutions=resolutions,
                                links=tuple(claim_links(session, row.id)), history=history(session, "claim", key, row.created_event),
                                as_of=session.execute(select(func.max(orm.events.c.seq))).scalar() or 0)
