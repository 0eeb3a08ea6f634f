"""SQL for a team on one server: users, claim assignments, watches and the inbox."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from verifier.adapters import orm
from verifier.adapters.batches import chunks
from verifier.domain import team

U, A, W, IN, C, S, E = orm.users, orm.claim_assignments, orm.watches, orm.inbox, orm.claims, orm.sources, orm.events
WS, T = orm.web_sessions, orm.sign_in_throttle
SIGN_IN_LOCK = 720195  # PostgreSQL advisory lock: one sign-in attempt is counted at a time (WRITER_LOCK + 1)


class TeamRepository:
    def __init__(self, session: Session):
        self.session = session

    # ------------------------------------------------------------------ users
    def user(self, name: str):
        return self.session.execute(select(U).where(U.c.name == name)).mappings().first()

    def add_user(self, **values) -> None:
        self.session.execute(insert(U).values(**values))

    def update_user(self, name: str, **values) -> None:
        self.session.execute(update(U).where(U.c.name == name).values(**values))

    def users(self) -> list[dict]:
        return [dict(r) for r in self.session.execute(select(U).order_by(U.c.name)).mappings()]

    # ------------------------------------------------------------------ sign-in throttle
    def throttle(self, buckets: Sequence[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """The rows of these (account, address) buckets, locked until the caller's write
        transaction ends, so that checking and counting an attempt is one step (SQLite: its
        write transaction already is; PostgreSQL: an advisory lock of the sign-in's own)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(select(func.pg_advisory_xact_lock(SIGN_IN_LOCK)))
        out = {}
        for account, address in buckets:
            row = self.session.execute(select(T).where(T.c.account == account, T.c.address == address)).mappings().first()
            if row is not None:
                out[(account, address)] = dict(row)
        return out

    def set_throttle(self, account: str, address: str, failures: int, locked_until, now, *, new: bool) -> None:
        values = {"failures": failures, "locked_until": locked_until, "updated_at": now}
        if new:
            self.session.execute(insert(T).values(account=account, address=address, **values))
        else:
            self.session.execute(update(T).where(T.c.account == account, T.c.address == address).values(**values))

    def forget_throttle(self, *, account: str | None = None, address: str | None = None, before=None) -> None:
        """Drop a typed name's buckets (from ``address`` only, if given), or those untouched since ``before``."""
        q = delete(T)
        if account is not None:
            q = q.where(T.c.account == account)
            if address is not None:
                q = q.where(T.c.address == address)
        else:
            q = q.where(T.c.updated_at < before)
        self.session.execute(q)

    def count_failure(self, name: str) -> None:
        """One more failed sign-in on the user's own record (``user list``); nothing for an unknown name."""
        self.session.execute(update(U).where(U.c.name == name).values(failures=U.c.failures + 1))

    # ------------------------------------------------------------------ web sessions
    def add_session(self, **values) -> None:
        self.session.execute(insert(WS).values(**values))

    def session_user(self, sid: str, now):
        """The user of a live session (not expired, user not disabled), else None."""
        return self.session.execute(
            select(WS.c.id, WS.c.expires_at, U.c.name, U.c.role).join(U, U.c.name == WS.c.analyst)
            .where(WS.c.id == sid, WS.c.expires_at > now, U.c.disabled.is_(False))).mappings().first()

    def live_sessions(self, sids: Sequence[str], now) -> set[str]:
        out: set[str] = set()
        for chunk in chunks(list(sids)):
            out.update(self.session.execute(
                select(WS.c.id).join(U, U.c.name == WS.c.analyst)
                .where(WS.c.id.in_(chunk), WS.c.expires_at > now, U.c.disabled.is_(False))).scalars())
        return out

    def end_sessions(self, *, sid: str | None = None, user: str | None = None, before=None) -> int:
        """End one session, every session of a user, or those expired ``before``."""
        q = delete(WS)
        if sid is not None:
            q = q.where(WS.c.id == sid)
        elif user is not None:
            q = q.where(WS.c.analyst == user)
        else:
            q = q.where(WS.c.expires_at < before)
        return self.session.execute(q).rowcount

    # ------------------------------------------------------------------ claims
    def claim_ids(self, keys: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in chunks(list(keys)):
            out.update(self.session.execute(select(C.c.key, C.c.id).where(C.c.key.in_(chunk))).all())
        return out

    def new_claims(self, ids: Sequence[int]) -> list[team.NewClaim]:
        """The claims as watches see them, in id order."""
        out = []
        for chunk in chunks(sorted(ids)):
            via: dict[int, list[str]] = defaultdict(list)
            relays = orm.claim_relays
            for cid, key in self.session.execute(
                select(relays.c.claim_id, S.c.key).join(S, S.c.id == relays.c.source_id)
                .where(relays.c.claim_id.in_(chunk)).order_by(relays.c.claim_id, relays.c.position)
            ):
                via[cid].append(key)
            for r in self.session.execute(
                select(C.c.id, C.c.key, C.c.text, C.c.subject, C.c.tags, S.c.key.label("source"))
                .join(S, S.c.id == C.c.source_id).where(C.c.id.in_(chunk)).order_by(C.c.id)
            ):
                out.append(team.NewClaim(r.id, r.key, r.text, r.source, tuple(via.get(r.id, ())), r.subject,
                                         tuple(r.tags or ())))
        return out

    # ------------------------------------------------------------------ assignment
    def assignees(self, claim_ids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for chunk in chunks(list(claim_ids)):
            out.update(self.session.execute(select(A.c.claim_id, A.c.analyst).where(A.c.claim_id.in_(chunk))).all())
        return out

    def assign(self, claim_ids: Sequence[int], analyst: str | None, by: str, at) -> None:
        for chunk in chunks(list(claim_ids)):
            self.session.execute(delete(A).where(A.c.claim_id.in_(chunk)))
        if analyst is not None and claim_ids:
            self.session.execute(insert(A), [{"claim_id": i, "analyst": analyst, "assigned_by": by, "at": at}
                                             for i in claim_ids])

    # ------------------------------------------------------------------ watches
    def watches(self, analyst: str | None = None) -> list[team.Watch]:
        q = select(W).order_by(W.c.id)
        if analyst is not None:
            q = q.where(W.c.analyst == analyst)
        return [team.Watch(r.id, r.analyst, team.WatchKind(r.kind), r.value) for r in self.session.execute(q)]

    def find_watch(self, analyst: str, kind: str, value: str) -> int | None:
        return self.session.execute(select(W.c.id).where(W.c.analyst == analyst, W.c.kind == kind,
                                                         W.c.value == value)).scalar()

    def add_watch(self, analyst: str, kind: str, value: str, at) -> int:
        self.session.execute(insert(W).values(analyst=analyst, kind=kind, value=value, created_at=at))
        return self.find_watch(analyst, kind, value)

    def remove_watch(self, watch_id: int) -> None:
        self.session.execute(delete(W).where(W.c.id == watch_id))

    # ------------------------------------------------------------------ inbox
    def add_to_inbox(self, hits: Sequence[team.Hit], at) -> int:
        """Hits not already in their analyst's inbox; returns how many were added."""
        if not hits:
            return 0
        have: set[tuple[str, int]] = set()
        for chunk in chunks(sorted({h.claim.id for h in hits})):
            have.update(self.session.execute(select(IN.c.analyst, IN.c.claim_id).where(IN.c.claim_id.in_(chunk))).all())
        rows = [{"analyst": h.watch.analyst, "claim_id": h.claim.id, "watch_id": h.watch.id, "why": h.why,
                 "score": h.score, "created_at": at, "read_at": None}
                for h in hits if (h.watch.analyst, h.claim.id) not in have]
        if rows:
            self.session.execute(insert(IN), rows)
        return len(rows)

    def inbox(self, analyst: str, *, unread: bool = False, limit: int | None = None) -> list[dict]:
        q = (select(IN.c.id, IN.c.why, IN.c.score, IN.c.created_at, IN.c.read_at, IN.c.watch_id, W.c.kind, W.c.value,
                    C.c.key.label("claim"), C.c.text, C.c.status, S.c.key.label("source"))
             .join(C, C.c.id == IN.c.claim_id).join(S, S.c.id == C.c.source_id).outerjoin(W, W.c.id == IN.c.watch_id)
             .where(IN.c.analyst == analyst).order_by(IN.c.id.desc()))
        if unread:
            q = q.where(IN.c.read_at.is_(None))
        if limit is not None:
            q = q.limit(limit)
        return [dict(r) for r in self.session.execute(q).mappings()]

    def unread_count(self, analyst: str) -> int:
        return self.session.execute(select(func.count()).select_from(IN).where(
            IN.c.analyst == analyst, IN.c.read_at.is_(None))).scalar_one()

    def inbox_ids(self, analyst: str, ids: Sequence[int]) -> set[int]:
        return set(self.session.execute(select(IN.c.id).where(IN.c.analyst == analyst, IN.c.id.in_(list(ids)))).scalars())

    def mark_read(self, analyst: str, ids: Sequence[int], at) -> int:
        return self.session.execute(update(IN).where(IN.c.analyst == analyst, IN.c.id.in_(list(ids)),
                                                    IN.c.read_at.is_(None)).values(read_at=at)).rowcount

    # ------------------------------------------------------------------ changes
    def last_seq(self) -> int:
        """The newest audit event (no lock: a cheap poll for "did anything change")."""
        return self.session.execute(select(func.max(E.c.seq))).scalar() or 0

    def change_since(self, entity: str, key: str, seq: int, not_by: str | None, actions: Sequence[str] | None = None):
        """The first event on (entity, key) after ``seq`` by someone other than ``not_by``
        (None: by anyone)."""
        q = select(E.c.seq, E.c.at, E.c.analyst, E.c.action).where(
            and_(E.c.entity == entity, E.c.key == key, E.c.seq > seq))
        if not_by is not None:
            q = q.where(E.c.analyst != not_by)
        if actions:
            q = q.where(E.c.action.in_(list(actions)))
        return self.session.execute(q.order_by(E.c.seq).limit(1)).first()
