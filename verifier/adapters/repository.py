"""Repositories: how the services find and keep domain objects."""

from __future__ import annotations

import json
from typing import Generic, TypeVar

from sqlalchemy import Table, delete, func, select, text, update
from sqlalchemy.orm import Session

from verifier.adapters import orm, settings
from verifier.adapters.bulk import lock_claims, refresh_link_counts, refresh_status
from verifier.domain import audit, model
from verifier.domain.checks import utcnow
from verifier.domain.errors import NotFound
from verifier.domain.vocabulary import Relation

T = TypeVar("T")


class _Keyed(Generic[T]):
    """A repository of one entity found by its key (the id users type)."""

    entity: type[T]
    table: Table
    kind: str  # what NotFound calls it

    def __init__(self, session: Session):
        self.session = session

    def get(self, key: str) -> T | None:
        return self.session.scalars(select(self.entity).where(self.table.c.key == key)).first()

    def require(self, key: str) -> T:
        found = self.get(key)
        if found is None:
            raise NotFound(self.kind, key)
        return found

    def add(self, obj: T) -> None:
        self.session.add(obj)


class SourceRepository(_Keyed[model.Source]):
    entity, table, kind = model.Source, orm.sources, "source"

    def find(self, name_or_key: str) -> model.Source | None:
        """By id, then by exact name, then by alias (case-insensitive)."""
        found = self.get(name_or_key)
        if found is not None:
            return found
        lowered = name_or_key.strip().lower()
        found = self.session.scalars(
            select(model.Source).where(func.lower(orm.sources.c.name) == lowered)
        ).first()
        return found

    def id_of(self, source: model.Source) -> int:
        self.session.flush()
        return self.session.execute(select(orm.sources.c.id).where(orm.sources.c.key == source.key)).scalar_one()

    def set_created_event(self, key: str, seq: int) -> None:
        """The audit event that created this source (its history starts there)."""
        self.session.flush()
        self.session.execute(update(orm.sources).where(orm.sources.c.key == key).values(created_event=seq))


class DocumentRepository(_Keyed[model.Document]):
    entity, table, kind = model.Document, orm.documents, "document"


class ClaimRepository(_Keyed[model.Claim]):
    entity, table, kind = model.Claim, orm.claims, "claim"

    def id_of(self, key: str) -> int:
        """The stored id of the claim with this key (NotFound if none)."""
        self.session.flush()
        cid = self.session.execute(select(orm.claims.c.id).where(orm.claims.c.key == key)).scalar()
        if cid is None:
            raise NotFound("claim", key)
        return cid

    def ids(self) -> list[int]:
        """Every claim's id, in order."""
        return [r[0] for r in self.session.execute(select(orm.claims.c.id).order_by(orm.claims.c.id))]

    def set_created_event(self, claim_id: int, seq: int) -> None:
        self.session.execute(update(orm.claims).where(orm.claims.c.id == claim_id).values(created_event=seq))

    def lock(self, keys) -> None:
        """Lock these claims (by key) until commit, before reading what a change depends on:
        two analysts changing one claim take turns; others proceed (PostgreSQL row locks)."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        keys = sorted(set(keys))
        ids = self.session.execute(select(orm.claims.c.id).where(orm.claims.c.key.in_(keys))).scalars().all()
        lock_claims(self.session, ids)

    def refresh_status(self, claim_ids) -> None:
        """Each claim's status: its latest verdict."""
        self.session.flush()
        refresh_status(self.session, claim_ids)

    def refresh_link_counts(self, claim_ids) -> None:
        """The queue's cached counts of supporting and contradicting links."""
        self.session.flush()
        refresh_link_counts(self.session, claim_ids)

    def remove(self, claim: model.Claim) -> None:
        self.session.delete(claim)

    def next_key(self, prefix: str = "c") -> str:
        """A fresh claim id for claims added without one: c<N>, N above every id in use."""
        n = self.session.execute(select(func.max(orm.claims.c.id))).scalar() or 0
        while True:
            n += 1
            key = f"{prefix}{n}"
            if self.get(key) is None:
                return key


class LinkRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, a: model.Claim, b: model.Claim, relation: Relation) -> model.Link | None:
        return self.session.scalars(
            select(model.Link).where(
                orm.links.c.from_id == _claim_id(self.session, a),
                orm.links.c.to_id == _claim_id(self.session, b),
                orm.links.c.relation == relation.value,
            )
        ).first()

    def between(self, a: model.Claim, b: model.Claim, relation: Relation | None = None) -> list[model.Link]:
        """Links between two claims in either direction."""
        ia, ib = _claim_id(self.session, a), _claim_id(self.session, b)
        q = select(model.Link).where(
            ((orm.links.c.from_id == ia) & (orm.links.c.to_id == ib))
            | ((orm.links.c.from_id == ib) & (orm.links.c.to_id == ia))
        )
        if relation is not None:
            q = q.where(orm.links.c.relation == relation.value)
        return list(self.session.scalars(q))

    def add(self, link: model.Link) -> None:
        self.session.add(link)

    def remove(self, link: model.Link) -> None:
        self.session.delete(link)


class ResolutionRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, resolution: model.Resolution) -> None:
        self.session.add(resolution)

    def for_claim(self, claim: model.Claim) -> list[model.Resolution]:
        return list(self.session.scalars(
            select(model.Resolution)
            .where(orm.resolutions.c.claim_id == _claim_id(self.session, claim))
            .order_by(orm.resolutions.c.at, orm.resolutions.c.id)
        ))

    def latest(self, claim: model.Claim) -> model.Resolution | None:
        found = self.for_claim(claim)
        return found[-1] if found else None

    def remove(self, resolution: model.Resolution) -> None:
        self.session.delete(resolution)


class DependencyRepository:
    """Analysts' declarations that a source depends on another (their reports count once)."""

    def __init__(self, session: Session):
        self.session = session
        self._sources = SourceRepository(session)

    def _ids(self, source: model.Source, on: model.Source) -> tuple[int, int]:
        return self._sources.id_of(source), self._sources.id_of(on)

    def exists(self, source: model.Source, on: model.Source) -> bool:
        D = orm.source_dependencies
        ia, ib = self._ids(source, on)
        return self.session.execute(select(D.c.id).where(D.c.source_id == ia, D.c.on_id == ib)).first() is not None

    def add(self, source: model.Source, on: model.Source, note: str | None, analyst: str) -> None:
        ia, ib = self._ids(source, on)
        self.session.execute(orm.source_dependencies.insert().values(
            source_id=ia, on_id=ib, note=note, analyst=analyst, created_at=utcnow()))

    def remove(self, source: model.Source, on: model.Source) -> None:
        D = orm.source_dependencies
        ia, ib = self._ids(source, on)
        self.session.execute(delete(D).where(D.c.source_id == ia, D.c.on_id == ib))


class CopyVerdictRepository:
    """Analysts' verdicts on whether two claims copy each other ("confirm" or "overrule");
    a pair holds at most one of them, the latest."""

    TABLES = {"confirm": orm.copy_confirmations, "overrule": orm.copy_overrules}

    def __init__(self, session: Session):
        self.session = session

    def put(self, verdict: str, a: int, b: int, note: str | None, analyst: str) -> bool:
        """Record the verdict on claims a and b (ids); False if it was already recorded."""
        ia, ib = sorted((a, b))
        table = self.TABLES[verdict]
        other = self.TABLES["overrule" if verdict == "confirm" else "confirm"]
        self.session.execute(delete(other).where(other.c.a_id == ia, other.c.b_id == ib))
        if self.session.execute(select(table.c.id).where(table.c.a_id == ia, table.c.b_id == ib)).first() is not None:
            return False
        self.session.execute(table.insert().values(a_id=ia, b_id=ib, note=note, analyst=analyst,
                                                   created_at=utcnow()))
        return True


class SettingsRepository:
    """The store's settings (name -> value as text)."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, name: str) -> str | None:
        return self.session.execute(select(orm.settings.c.value).where(orm.settings.c.name == name)).scalar()

    def put(self, name: str, value: str) -> None:
        S = orm.settings
        if self.get(name) is None:
            self.session.execute(S.insert().values(name=name, value=value))
        else:
            self.session.execute(update(S).where(S.c.name == name).values(value=value))

    def thresholds(self) -> tuple[float, float]:
        return settings.thresholds(self.session)


def _claim_id(session: Session, claim: model.Claim) -> int:
    session.flush()
    return session.execute(select(orm.claims.c.id).where(orm.claims.c.key == claim.key)).scalar_one()


AUDIT_LOCK = 720194  # PostgreSQL advisory lock: the audit log's sequencer, held from append() to COMMIT


class EventLog:
    """Appends hash-chained events, numbered at commit.

    A writer's events wait in its unit of work until it commits; then ``append`` takes the
    sequencer (PostgreSQL: a transaction-level advisory lock, released by the COMMIT that
    follows at once; SQLite: the writer already holds the database's one write lock), reads
    the head, chains the events after it and writes them. Only this step is serialised, so
    the log holds every committed event once, in commit order, with no gap for a writer that
    rolled back (it never took a number). See ARCHITECTURE.md, "The audit log"."""

    def __init__(self, session: Session):
        self.session = session

    def _lock(self) -> None:
        if self.session.get_bind().dialect.name == "postgresql":
            # one sequencer at a time, until this transaction's COMMIT: the chain never forks
            self.session.execute(text(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK})"))

    def last_seq(self) -> int:
        """The newest committed event's seq (no lock: a later commit may follow at once)."""
        return self.session.execute(select(func.max(orm.events.c.seq))).scalar() or 0

    def append(self, records: list[tuple], analyst: str) -> list[audit.Event]:
        """records: (at, action, entity, key, before, after) with before/after as plain data.
        Call last in the transaction, just before COMMIT: it holds the sequencer until then.
        An event's time is never earlier than its predecessor's (a writer that began first
        may commit second: its events are stamped no earlier than the head's)."""
        if not records:
            return []
        self._lock()
        last = self.session.execute(
            select(orm.events.c.seq, orm.events.c.hash, orm.events.c.at).order_by(orm.events.c.seq.desc()).limit(1)
        ).first()
        seq, prev, floor = (last.seq, last.hash, last.at) if last else (0, audit.GENESIS, None)
        rows, out = [], []
        for at, action, entity, key, before, after in records:
            seq += 1
            if floor is not None and at < floor:
                at = floor
            b, a = audit.canonical(before), audit.canonical(after)
            h = audit.event_hash(prev, seq, at, analyst, action, entity, key, b, a)
            ev = audit.Event(seq, at, analyst, action, entity, key, b, a, prev, h)
            rows.append({
                "seq": seq, "at": at, "analyst": analyst, "action": action, "entity": entity, "key": key,
                "before": b, "after": a, "prev_hash": prev, "hash": h,
            })
            out.append(ev)
            prev = h
        self.session.execute(orm.events.insert(), rows)
        return out

    def reserve_ref(self) -> int:
        """A number that stands for an event not yet numbered (``bind_refs`` fills it at
        commit); rows store it negated in ``created_event``. No lock: a sequence hands it out."""
        return self.session.execute(orm.event_refs.insert().values(seq=None)).inserted_primary_key[0]

    def bind_refs(self, seqs: dict[int, int | None]) -> None:
        """Each reserved ref's event seq (None: the event was discarded, the ref goes)."""
        R = orm.event_refs
        for ref, seq in seqs.items():
            if seq is None:
                self.session.execute(delete(R).where(R.c.ref == ref))
            else:
                self.session.execute(update(R).where(R.c.ref == ref).values(seq=seq))

    def for_key(self, entity: str, key: str) -> list[dict]:
        rows = self.session.execute(
            select(orm.events).where(orm.events.c.entity == entity, orm.events.c.key == key).order_by(orm.events.c.seq)
        ).mappings()
        return [event_row(r) for r in rows]


def event_row(r) -> dict:
    return {
        "seq": r["seq"], "at": r["at"].isoformat(), "analyst": r["analyst"], "action": r["action"],
        "entity": r["entity"], "key": r["key"],
        "before": json.loads(r["before"]) if r["before"] else None,
        "after": json.loads(r["after"]) if r["after"] else None,
    }
