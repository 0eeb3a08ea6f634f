"""Where proposals and ingested reports are kept (SQL for the ingest service and its views).

Proposals live in their own table: no query of claims, links, scores or exports reads it,
which is what keeps them out of every count until an analyst accepts one.
"""

from __future__ import annotations

from attrs import frozen
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, aliased

from verifier.adapters import orm
from verifier.domain import model
from verifier.domain.checks import utcnow
from verifier.domain.errors import NotFound
from verifier.domain.proposals import Proposal, SourceRef
from verifier.domain.recognition import KnownSource

P, D, S, C = orm.proposals, orm.documents, orm.sources, orm.claims


def _select():
    return (
        select(P, D.c.key.label("document_key"), S.c.key.label("source_key"), C.c.key.label("claim_key"))
        .join(D, D.c.id == P.c.document_id)
        .outerjoin(S, S.c.id == P.c.source_id)
        .outerjoin(C, C.c.id == P.c.claim_id)
    )


def _from_row(r) -> Proposal:
    source = None
    if r.source_key is not None or r.source_name:
        source = SourceRef(r.source_key, r.source_name or r.source_key, r.source_kind, r.affiliation)
    value = orm.value_factory(r.qualifier, r.value_num, r.value_high, r.value_text, r.unit)
    return Proposal(
        id=r.id, document=r.document_key, text=r.text, source=source, start=r.start, end=r.end, via=r.via or [],
        source_mention=r.source_mention, source_start=r.source_start, source_end=r.source_end, cue=r.cue,
        confidence=r.confidence, value=value, event_date=r.event_date, location=r.location, denial=r.denial,
        state=r.state,
        claim=r.claim_key, created_at=r.created_at,
    )


@frozen
class ClaimTies:
    """What holds on to a claim an acceptance made (its undo removes the claim only when
    nothing does), and the claims linked to it (their counts change when it goes)."""

    resolved: bool
    decided: bool  # a link an analyst made, confirmed or rejected (derived links aside)
    neighbours: frozenset[int]


class ProposalRepository:
    def __init__(self, session: Session):
        self.session = session

    # ---------------------------------------------------------------- documents
    def document_by_digest(self, digest: str) -> str | None:
        return self.session.execute(select(D.c.key).where(D.c.digest == digest)).scalar()

    def set_report(self, document: str, digest: str, body: str) -> None:
        self.session.flush()
        self.session.execute(update(D).where(D.c.key == document).values(digest=digest, body=body))

    def report(self, document: str) -> dict | None:
        """An ingested document: its key, title, publisher, date and text."""
        pub = aliased(S)
        r = self.session.execute(
            select(D.c.key, D.c.title, D.c.url, D.c.published, D.c.body, D.c.digest, pub.c.key.label("publisher"))
            .outerjoin(pub, pub.c.id == D.c.publisher_id).where(D.c.key == document)
        ).first()
        return dict(r._mapping) if r else None

    def reports(self) -> list[dict]:
        """Every ingested document with its proposals counted by state, newest first."""
        rows = self.session.execute(
            select(D.c.key, D.c.title, D.c.published, P.c.state, func.count(P.c.id))
            .join(P, P.c.document_id == D.c.id, isouter=True).where(D.c.digest.is_not(None))
            .group_by(D.c.id, D.c.key, D.c.title, D.c.published, P.c.state).order_by(D.c.id.desc())
        )
        out: dict[str, dict] = {}
        for key, title, published, state, n in rows:
            doc = out.setdefault(key, {"document": key, "title": title, "published": published,
                                       "proposed": 0, "accepted": 0, "rejected": 0})
            if state:
                doc[state] = n
        return list(out.values())

    # ---------------------------------------------------------------- proposals
    def _ids(self, p: Proposal) -> dict:
        src = p.source.key if p.source else None
        return {
            "document_id": self.session.execute(select(D.c.id).where(D.c.key == p.document)).scalar_one(),
            "source_id": self.session.execute(select(S.c.id).where(S.c.key == src)).scalar() if src else None,
            "claim_id": self.session.execute(select(C.c.id).where(C.c.key == p.claim)).scalar() if p.claim else None,
        }

    def _row(self, p: Proposal) -> dict:
        value = p.value
        return {
            **self._ids(p), "text": p.text,
            "source_name": p.source.name if p.source else None, "source_kind": p.source.kind if p.source else None,
            "affiliation": p.source.affiliation if p.source else None,
            "source_mention": p.source_mention, "source_start": p.source_start, "source_end": p.source_end,
            "via": list(p.via), "cue": p.cue, "start": p.start, "end": p.end, "confidence": p.confidence,
            "qualifier": model.value_of(value.qualifier) if value else None,
            "value_num": value.number if value else None, "value_high": value.high if value else None,
            "value_text": value.text if value else None, "unit": value.unit if value else None,
            "event_date": p.event_date, "location": p.location, "denial": p.denial, "state": p.state.value,
            "updated_at": utcnow(),
        }

    def add(self, p: Proposal) -> int:
        self.session.flush()
        row = {**self._row(p), "created_at": p.created_at}
        p.id = self.session.execute(P.insert().values(**row).returning(P.c.id)).scalar_one()
        return p.id

    def save(self, p: Proposal) -> None:
        self.session.flush()
        self.session.execute(update(P).where(P.c.id == p.id).values(**self._row(p)))

    def remove(self, pid: int) -> None:
        self.session.execute(P.delete().where(P.c.id == pid))

    def get(self, pid: int) -> Proposal | None:
        r = self.session.execute(_select().where(P.c.id == pid)).first()
        return _from_row(r) if r else None

    def require(self, pid) -> Proposal:
        try:
            pid = int(pid)
        except (TypeError, ValueError):
            raise NotFound("proposal", str(pid)) from None
        found = self.get(pid)
        if found is None:
            raise NotFound("proposal", str(pid))
        return found

    def list(self, *, document: str | None = None, state: str | None = None, limit: int | None = None,
             offset: int = 0) -> list[Proposal]:
        q = _select().order_by(P.c.document_id, P.c.start, P.c.id)
        if document is not None:
            q = q.where(D.c.key == document)
        if state is not None:
            q = q.where(P.c.state == state)
        if limit is not None:
            q = q.limit(limit).offset(offset)
        return [_from_row(r) for r in self.session.execute(q)]

    def for_claim(self, claim: str) -> Proposal | None:
        r = self.session.execute(_select().where(C.c.key == claim)).first()
        return _from_row(r) if r else None

    def claim_ties(self, claim: str) -> ClaimTies:
        R, L = orm.resolutions, orm.links
        cid = self.session.execute(select(C.c.id).where(C.c.key == claim)).scalar_one()
        resolved = self.session.execute(select(R.c.id).where(R.c.claim_id == cid).limit(1)).first() is not None
        touching = or_(L.c.from_id == cid, L.c.to_id == cid)
        decided = self.session.execute(select(L.c.id).where(
            touching, L.c.origin != "derived", or_(L.c.origin == "analyst", L.c.state != "suggested")).limit(1)
        ).first() is not None
        pairs = self.session.execute(select(L.c.from_id, L.c.to_id).where(touching))
        return ClaimTies(resolved, decided, frozenset(a if b == cid else b for a, b in pairs))

    def known_sources(self) -> list[KnownSource]:
        """Every source as recognition needs it (id, name, aliases, affiliation)."""
        rows = self.session.execute(select(S.c.key, S.c.name, S.c.aliases, S.c.affiliation).order_by(S.c.id))
        return [KnownSource(k, n, tuple(a or ()), aff) for k, n, a, aff in rows]
