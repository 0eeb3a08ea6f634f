"""The unit of work: one transaction, its repositories, and the audit events it records.

Everything done inside ``with uow:`` commits together (with its audit events, numbered and
chained in a short step at commit) or not at all. ``AbstractUnitOfWork`` is what the services
see: the repositories it exposes, the audit queue, commit and rollback, and ``upkeep`` (what a change of claims,
links or verdicts makes the store compute again: derived links, near-duplicate
suggestions, watchers' inboxes, belief). ``SqlUnitOfWork`` is the SQLAlchemy one; the unit
tests use a fake one with in-memory repositories (``tests/unit/fakes.py``), as
cosmicpython's ``service_layer/unit_of_work.py`` does.
"""

from __future__ import annotations

import abc
import functools
import random
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from verifier.adapters import import_store, proposals, repository
from verifier.adapters import team as team_repository
from verifier.domain import team
from verifier.domain.checks import utcnow
from verifier.services.upkeep import SqlUpkeep


class Upkeep(Protocol):
    """What the store computes again after a change, inside the same transaction."""

    def derive_links(self, claim_ids: list[int]) -> set[int]: ...
    def detect(self, claim_ids: list[int], progress: Callable[[int], None] | None = None) -> int: ...
    def notify_watchers(self, claim_ids: list[int]) -> int: ...
    def rescore_local(self, claim_ids: list[int]) -> None: ...
    def rescore_all(self) -> dict: ...
    def after_claim_changes(self, changes: Iterable, *, detect: bool = True,
                            sources: Iterable[int] = ()) -> dict[str, int]: ...


# PostgreSQL's answers to writers side by side that a fresh transaction resolves: a deadlock
# (two writers each holding a row the other wants), a serialisation failure, and a row
# another writer inserted first (a source or a link both were adding)
RETRIED = frozenset({"40P01", "40001", "23505"})
ATTEMPTS = 5


def retried(service):
    """Run ``service(uow, ...)`` again, on a new transaction, when PostgreSQL aborted it for
    a concurrent writer (``RETRIED``); the retry sees what the other committed and decides
    again (a conflict check refuses then, a duplicate becomes an edit). A few attempts, each
    after a short random pause; the last error is raised."""
    @functools.wraps(service)
    def run(uow, *args, **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return service(uow, *args, **kwargs)
            except DBAPIError as exc:
                if attempt == ATTEMPTS or getattr(exc.orig, "sqlstate", None) not in RETRIED:
                    raise
                time.sleep(random.uniform(0.005, 0.05) * attempt)  # noqa: S311 -- a back-off, not a secret
        raise AssertionError("unreachable")
    return run


class AbstractUnitOfWork(abc.ABC):
    """The repositories a service may use, the audit queue, commit and rollback."""

    analyst: str
    readonly: bool = False
    seen: int | None = None
    seen_by_anyone: bool = False  # guard(): a change by this analyst's own name counts too (scripts)
    sources: repository.SourceRepository
    documents: repository.DocumentRepository
    claims: repository.ClaimRepository
    links: repository.LinkRepository
    resolutions: repository.ResolutionRepository
    dependencies: repository.DependencyRepository
    copy_verdicts: repository.CopyVerdictRepository
    settings: repository.SettingsRepository
    events: repository.EventLog
    proposals: proposals.ProposalRepository
    team: team_repository.TeamRepository
    imports: import_store.ImportStore
    upkeep: Upkeep

    def _begin(self) -> None:
        self._events: list[tuple | None] = []
        self._refs: dict[int, int] = {}  # reserved ref -> index of its queued event

    def __exit__(self, exc_type, exc, tb) -> None:
        # leaving the block without commit() means nothing is kept
        self.rollback()

    def guard(self, entity: str, key: str, actions=None) -> None:
        """Optimistic check for several analysts at once: refuse to act on (entity, key) if
        someone else changed it after the audit seq this analyst's screen reflects."""
        if self.seen is None:
            return
        found = self.team.change_since(entity, key, self.seen, None if self.seen_by_anyone else self.analyst, actions)
        if found is not None:
            raise team.Conflict(entity, key, found.analyst, found.action, found.at)

    def record(self, action: str, entity: str, key: str | None, before: Any = None, after: Any = None) -> int:
        """Queue an audit event; it is numbered, chained and written at commit, in the same
        transaction. Returns a handle for seq_of()."""
        self._events.append((utcnow(), action, entity, key, before, after))
        return len(self._events) - 1

    def seq_of(self, handle: int) -> int:
        """What stands for the queued event's seq in a row written now (``created_event``):
        ``-ref``, a reserved ref that the commit binds to the seq the event gets. Events are
        numbered at commit, so nothing waits for the audit log before then."""
        ref = self.events.reserve_ref()
        self._refs[ref] = handle
        return -ref

    def log_now(self, action: str, entity: str, key: str | None, before: Any = None, after: Any = None) -> int:
        """Queue an event and return what stands for its seq (see seq_of)."""
        return self.seq_of(self.record(action, entity, key, before, after))

    def amend_logged(self, ref: int, after: Any) -> None:
        i = self._refs[-ref]
        at, action, entity, key, before, _ = self._events[i]
        self._events[i] = (at, action, entity, key, before, after)

    def discard_logged(self, ref: int) -> None:
        self._events[self._refs[-ref]] = None

    def commit(self) -> None:
        if self.readonly:
            raise RuntimeError("read-only unit of work")
        self.flush()
        kept = [i for i, ev in enumerate(self._events) if ev is not None]
        # the short serialised step: number and chain this transaction's events after the
        # head, then COMMIT at once (the sequencer is held until then)
        written = self.events.append([self._events[i] for i in kept], self.analyst)
        seq_at = {i: ev.seq for i, ev in zip(kept, written, strict=True)}
        if self._refs:
            self.events.bind_refs({ref: seq_at.get(i) for ref, i in self._refs.items()})
        self._events, self._refs = [], {}
        self._commit()

    def rollback(self) -> None:
        self._events, self._refs = [], {}
        self._rollback()

    @abc.abstractmethod
    def flush(self) -> None: ...

    @abc.abstractmethod
    def _commit(self) -> None: ...

    @abc.abstractmethod
    def _rollback(self) -> None: ...


# The SQLAlchemy repositories, each on the unit of work's session, by the name services use
# (the attributes ``AbstractUnitOfWork`` declares).
REPOSITORIES = {
    "sources": repository.SourceRepository,
    "documents": repository.DocumentRepository,
    "claims": repository.ClaimRepository,
    "links": repository.LinkRepository,
    "resolutions": repository.ResolutionRepository,
    "dependencies": repository.DependencyRepository,
    "copy_verdicts": repository.CopyVerdictRepository,
    "settings": repository.SettingsRepository,
    "events": repository.EventLog,
    "proposals": proposals.ProposalRepository,
    "team": team_repository.TeamRepository,
    "imports": import_store.ImportStore,
}


class SqlUnitOfWork(AbstractUnitOfWork):
    def __init__(self, sessions: sessionmaker, analyst: str, readonly: bool = False, *,
                 role: team.Role | None = None, seen: int | None = None, seen_by_anyone: bool = False):
        self._sessions = sessions
        self.analyst = analyst
        self.readonly = readonly
        self.role = role  # None: the database's owner at a command line (no sign-in)
        self.seen = seen  # the audit seq the acting analyst's screen reflects (see guard())
        self.seen_by_anyone = seen_by_anyone  # a script's --if-unchanged-since: its own name's changes count too
        self._events: list[tuple | None] = []
        self._refs: dict[int, int] = {}
        self.session: Session | None = None

    def __enter__(self) -> SqlUnitOfWork:
        if not self.readonly and self.role is team.Role.READER:
            raise team.ReadOnlyUser(self.analyst)  # before any session or lock
        self.session = self._sessions()
        # the first statement begins the transaction; readonly ones take no write lock on SQLite
        self.session.connection(execution_options={"readonly": self.readonly})
        for name, repository_class in REPOSITORIES.items():
            setattr(self, name, repository_class(self.session))
        self.upkeep = SqlUpkeep(self)
        self._begin()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None and self.session.in_transaction() and not self.readonly:
                # leaving the block without commit() means nothing is kept
                self.rollback()
            elif exc_type is not None:
                self.rollback()
        finally:
            self.session.close()

    def flush(self) -> None:
        self.session.flush()

    def _commit(self) -> None:
        self.session.commit()

    def _rollback(self) -> None:
        self.session.rollback()

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name
