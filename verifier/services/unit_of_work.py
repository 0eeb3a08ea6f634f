"""The unit of work: one transaction, its repositories, and the audit events it records.

Everything done inside ``with uow:`` commits together (with its audit events, chained)
or not at all. ``AbstractUnitOfWork`` is what the services see: the repositories it
exposes, the audit queue, commit and rollback, and ``upkeep`` (what a change of claims,
links or verdicts makes the store compute again: derived links, near-duplicate
suggestions, watchers' inboxes, belief). ``SqlUnitOfWork`` is the SQLAlchemy one; the unit
tests use a fake one with in-memory repositories (``tests/unit/fakes.py``), as
cosmicpython's ``service_layer/unit_of_work.py`` does.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable
from typing import Any, Protocol

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


class AbstractUnitOfWork(abc.ABC):
    """The repositories a service may use, the audit queue, commit and rollback."""

    analyst: str
    readonly: bool = False
    seen: int | None = None
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
        self._events: list[tuple] = []
        self._base_seq: int | None = None

    def __exit__(self, exc_type, exc, tb) -> None:
        # leaving the block without commit() means nothing is kept
        self.rollback()

    def guard(self, entity: str, key: str, actions=None) -> None:
        """Optimistic check for several analysts at once: refuse to act on (entity, key) if
        someone else changed it after the audit seq this analyst's screen reflects."""
        if self.seen is None:
            return
        found = self.team.change_since(entity, key, self.seen, self.analyst, actions)
        if found is not None:
            raise team.Conflict(entity, key, found.analyst, found.action, found.at)

    def record(self, action: str, entity: str, key: str | None, before: Any = None, after: Any = None) -> int:
        """Queue an audit event; it is written, chained, in the same transaction at commit.
        Returns a handle for seq_of()/amend()/discard()."""
        self._events.append((utcnow(), action, entity, key, before, after))
        return len(self._events) - 1

    def seq_of(self, handle: int) -> int:
        """The sequence number the queued event will get (takes the audit lock now)."""
        if self._base_seq is None:
            self._base_seq = self.events.last_seq()
        return self._base_seq + 1 + handle

    def log_now(self, action: str, entity: str, key: str | None, before: Any = None, after: Any = None) -> int:
        """Queue an event first in line and return its future sequence number."""
        if self._events:
            raise RuntimeError("log_now() must come before any other record()")
        return self.seq_of(self.record(action, entity, key, before, after))

    def amend_logged(self, seq: int, after: Any) -> None:
        i = seq - self._base_seq - 1
        at, action, entity, key, before, _ = self._events[i]
        self._events[i] = (at, action, entity, key, before, after)

    def discard_logged(self, seq: int) -> None:
        i = seq - self._base_seq - 1
        if i != len(self._events) - 1 and i != 0:
            raise RuntimeError("only a lone event can be discarded")
        del self._events[i]

    def commit(self) -> None:
        if self.readonly:
            raise RuntimeError("read-only unit of work")
        self.flush()
        written = self.events.append(self._events, self.analyst)
        if self._base_seq is not None and written and written[0].seq != self._base_seq + 1:
            raise RuntimeError("the audit log moved under a held lock")  # cannot happen while locked
        self._events = []
        self._base_seq = None
        self._commit()

    def rollback(self) -> None:
        self._events = []
        self._base_seq = None
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
                 role: team.Role | None = None, seen: int | None = None):
        self._sessions = sessions
        self.analyst = analyst
        self.readonly = readonly
        self.role = role  # None: the database's owner at a command line (no sign-in)
        self.seen = seen  # the audit seq the acting analyst's screen reflects (see guard())
        self._events: list[tuple] = []
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
