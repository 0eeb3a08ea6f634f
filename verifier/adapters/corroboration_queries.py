"""The reads behind ``services.corroboration`` (``check`` and ``copies``): a claim's
support and contradictions through links, the reports' rows, sources and the analysts'
copy verdicts and dependencies."""

from __future__ import annotations

from sqlalchemy import or_, select

from verifier.adapters import orm
from verifier.adapters.batches import chunks

SUPPORTING = ("duplicates", "corroborates")


def claim_head(session, key: str):
    """(id, belief, status) of the claim with this key, or None."""
    C, T = orm.claims, orm.claim_scores
    return session.execute(select(C.c.id, T.c.belief, C.c.status).outerjoin(T, T.c.claim_id == C.c.id)
                           .where(C.c.key == key)).first()


def source_of(session, claim_id: int) -> int:
    return session.execute(select(orm.claims.c.source_id).where(orm.claims.c.id == claim_id)).scalar()


def supporting_neighbours(session, claim_id: int) -> list[tuple[int, int]]:
    """(from, to) of the confirmed duplicates/corroborates links on this claim."""
    L = orm.links
    return session.execute(select(L.c.from_id, L.c.to_id).where(
        L.c.state == "confirmed", L.c.relation.in_(SUPPORTING), or_(L.c.from_id == claim_id, L.c.to_id == claim_id))).all()


def supporting_links(session) -> list[tuple[int, int]]:
    """(from, to) of every confirmed duplicates/corroborates link."""
    L = orm.links
    return session.execute(select(L.c.from_id, L.c.to_id).where(L.c.state == "confirmed",
                                                                 L.c.relation.in_(SUPPORTING))).all()


def contradictions(session, claim_ids: list[int]) -> list[tuple[int, int, str]]:
    """(from, to, state) of the contradicts links on these claims that no analyst rejected."""
    L = orm.links
    return [r for chunk in chunks(claim_ids) for r in session.execute(
        select(L.c.from_id, L.c.to_id, L.c.state).where(L.c.relation == "contradicts", L.c.state != "rejected",
                                                        or_(L.c.from_id.in_(chunk), L.c.to_id.in_(chunk))))]


def confirmed_duplicates_from(session, claim_ids: list[int]) -> list[tuple[int, int]]:
    L = orm.links
    return session.execute(select(L.c.from_id, L.c.to_id).where(
        L.c.state == "confirmed", L.c.relation == "duplicates", L.c.from_id.in_(claim_ids))).all()


def sources(session) -> list[tuple[int, str, int | None, str | None]]:
    """(id, key, parent id, grade) of every source."""
    S = orm.sources
    return session.execute(select(S.c.id, S.c.key, S.c.parent_id, S.c.grade)).all()


def dependencies(session) -> list[tuple[int, int]]:
    """(source id, id of the source it depends on) of every declared dependency."""
    D = orm.source_dependencies
    return session.execute(select(D.c.source_id, D.c.on_id)).all()


def copy_verdicts(session, verdict: str) -> list[tuple[int, int]]:
    """The claim id pairs of the analysts' "overrule" or "confirm" copy verdicts."""
    table = {"overrule": orm.copy_overrules, "confirm": orm.copy_confirmations}[verdict]
    return session.execute(select(table.c.a_id, table.c.b_id)).all()


def relays(session, claim_ids: list[int]) -> dict[int, list[int]]:
    """Claim id -> its relays' source ids, nearest first."""
    R = orm.claim_relays
    out: dict[int, list[int]] = {}
    for chunk in chunks(claim_ids):
        for cid, sid in session.execute(select(R.c.claim_id, R.c.source_id).where(R.c.claim_id.in_(chunk))
                                        .order_by(R.c.claim_id, R.c.position)):
            out.setdefault(cid, []).append(sid)
    return out


def report_rows(session, claim_ids: list[int]) -> list:
    """(id, key, source_id, text, published) of these claims."""
    C = orm.claims
    return [r for chunk in chunks(claim_ids) for r in session.execute(
        select(C.c.id, C.c.key, C.c.source_id, C.c.text, C.c.published).where(C.c.id.in_(chunk)))]


def published(session, keys: list[str]) -> dict:
    """Claim key -> its publication date, for these claims."""
    C = orm.claims
    return dict(session.execute(select(C.c.key, C.c.published).where(C.c.key.in_(keys))).all())
