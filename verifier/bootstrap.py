"""The one place that builds the engine and wires the application together.

Nothing here runs at import time: ``connect()`` is called by the CLI, the TUI and tests.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from verifier.adapters import orm
from verifier.domain import team
from verifier.services.unit_of_work import SqlUnitOfWork

APP_NAME = "verifier"


class SchemaError(RuntimeError):
    """The database is not at the schema this version of verifier expects."""


class NoDatabase(SchemaError):
    """There is no database where one was named (and this command does not create one)."""


SUPPORTED_SCHEMES = ("sqlite", "postgresql")
# a SQLite store on disk: the file, its WAL and shared memory, the vector index cache beside it
SQLITE_FILES = ("", "-wal", "-shm", ".vectors.usearch", ".vectors.usearch.json")


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "verifier.db"


def default_analyst() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still audit something
        return "unknown"


def database_url(db: str | os.PathLike | None) -> str:
    """A SQLAlchemy URL from a path or URL; a bare path means a SQLite file."""
    if db is None or str(db) == "":
        db = default_db_path()
    text = str(db)
    if "://" in text:
        scheme, rest = text.split("://", 1)
        if scheme.lower() in ("postgresql", "postgres"):
            return "postgresql+psycopg://" + rest
        if scheme.lower().split("+")[0] not in SUPPORTED_SCHEMES:
            raise SchemaError(f"unsupported database URL {scheme}://...: give a SQLite file path "
                              "or a postgresql+psycopg://user@host/dbname URL")
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def _sqlite_file(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def make_engine(url: str, *, db_role: str | None = None, on_wait: Callable[[], None] | None = None) -> Engine:
    """The engine for ``url``. ``on_wait``: called once when a SQLite writer has waited
    :data:`WAIT_NOTICE_MS` for another's transaction and goes on waiting (the CLI says so)."""
    sqlite_path = _sqlite_file(url)
    if sqlite_path is not None:
        if not sqlite_path.exists():
            # created readable by its owner only; SQLite gives -wal/-shm the same mode
            os.close(os.open(sqlite_path, os.O_CREAT | os.O_WRONLY, 0o600))
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})
        _configure_sqlite(engine, on_wait)
        return engine
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:  # the driver is a default dependency; a trimmed install may lack it
        raise SchemaError(f"no driver for {make_url(url).drivername} URLs ({exc.name} is not installed); verifier's "
                          "PostgreSQL driver is psycopg: use a postgresql+psycopg:// URL, and if psycopg is missing, "
                          "pip install 'verifier[postgres]'") from None
    if engine.dialect.name == "postgresql":
        _configure_postgres(engine, db_role)
    return engine


def _configure_postgres(engine: Engine, db_role: str | None = None) -> None:
    if db_role:
        @event.listens_for(engine, "connect")
        def on_connect(dbapi_conn, _record):
            # a signed-in reader's sessions: the database refuses their writes too
            # (`verifier grant-readonly ROLE` made the role; the server's role must be a member)
            quoted = engine.dialect.identifier_preparer.quote_identifier(db_role)
            cur = dbapi_conn.cursor()
            cur.execute(f"SET SESSION ROLE {quoted}")
            cur.close()
            dbapi_conn.commit()

    # No lock at BEGIN: writers proceed side by side under PostgreSQL's row locks and MVCC.
    # What must not interleave is serialised where it happens: a change to a claim locks that
    # claim's row first (ClaimRepository.lock, in id order), and the audit log's events are
    # numbered in a short step at commit (adapters.repository.EventLog).


BUSY_TIMEOUT_MS = 60_000  # how long a SQLite writer waits for another's transaction
WAIT_NOTICE_MS = 1_000  # after this long it says it is waiting (``on_wait``), then waits on

SQLITE_PRAGMAS = (
    "journal_mode=WAL",
    "foreign_keys=ON",
    f"busy_timeout={BUSY_TIMEOUT_MS}",
    "synchronous=NORMAL",
    # 64 MiB of page cache, not 2: a bulk import keeps its indexes' pages in memory
    # instead of writing and re-reading them (200k claims are written 25% faster)
    "cache_size=-65536",
)


def _configure_sqlite(engine: Engine, on_wait: Callable[[], None] | None = None) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn, _record):
        # take transaction control from the driver: we emit BEGIN ourselves
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        # writers take the write lock up front, so two writers never deadlock on upgrade;
        # readers (execution option readonly=True) take none.
        if conn.get_execution_options().get("readonly"):
            conn.exec_driver_sql("BEGIN DEFERRED")
        elif on_wait is None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            _begin_writer_saying_so(conn.connection.dbapi_connection, on_wait)


def _begin_writer_saying_so(dbapi_conn, on_wait: Callable[[], None]) -> None:
    """BEGIN IMMEDIATE; when another writer holds the lock past WAIT_NOTICE_MS, tell ``on_wait``
    and wait the rest of BUSY_TIMEOUT_MS (SQLite has one writer at a time: waiting is by design,
    waiting in silence is not)."""
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout={WAIT_NOTICE_MS}")
        try:
            cur.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        on_wait()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS - WAIT_NOTICE_MS}")
        cur.execute("BEGIN IMMEDIATE")
    finally:
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()


def packaged_dir(package: str, checkout_dir: str) -> Path:
    """A data folder shipped inside the installed package (``verifier.migrations``,
    ``verifier.fixtures``), or, when running from a source checkout, the top-level folder."""
    from importlib import resources

    try:
        return Path(str(resources.files(package)))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[1] / checkout_dir


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(packaged_dir("verifier.migrations", "migrations")))
    cfg.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


class Store:
    """An open database: the engine, the session factory and the schema operations."""

    def __init__(self, url: str, analyst: str | None = None, *, role=None, db_role: str | None = None,
                 on_wait: Callable[[], None] | None = None):
        orm.start_mappers()
        self.url = url
        self.engine = make_engine(url, db_role=db_role, on_wait=on_wait)
        self.analyst = analyst or default_analyst()
        self.role = role  # a signed-in user's verifier.domain.team.Role; None at the command line
        self.seen: int | None = None  # the audit seq an open app's screens reflect (optimistic checks)
        self.sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.created = False  # this process made the database (a new file, or the schema in an empty one)

    def where(self) -> str:
        """The SQLite file, or the URL without its password."""
        url = make_url(self.url)
        return url.database if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # ---------------------------------------------------------------- schema
    def head_revision(self) -> str:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(alembic_config()).get_current_head()

    def knows_revision(self, revision: str) -> str | None:
        """The full id of ``revision`` (a prefix will do) if this verifier's migrations know it
        (a newer verifier's are unknown here), else None."""
        from alembic.script import ScriptDirectory
        from alembic.util import CommandError

        try:
            found = ScriptDirectory.from_config(alembic_config()).get_revision(revision)
        except CommandError:
            return None
        return found.revision if found is not None else None

    def revisions_up_to(self, revision: str) -> set[str]:
        """``revision`` and every revision before it."""
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config())
        return {r.revision for r in script.walk_revisions(base="base", head=revision)}

    def refuse_newer_schema(self, current: str | None) -> None:
        """A database a newer verifier made: say so, instead of alembic's "Can't locate revision"."""
        if current is not None and not self.knows_revision(current):
            raise SchemaError(f"this verifier is older than the database: its schema is at {current}, which this "
                              f"verifier does not know (its newest is {self.head_revision()}); "
                              "use the newer verifier that wrote it, or upgrade this one")

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        # a reader: on SQLite it must not take the write lock (BEGIN IMMEDIATE), or every
        # command, even a read, would wait behind a running import
        with self.engine.connect().execution_options(readonly=True) as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self, revision: str = "head") -> None:
        from alembic import command

        with self.engine.connect() as conn:
            command.upgrade(alembic_config(conn), revision)

    def downgrade(self, revision: str) -> None:
        from alembic import command

        with self.engine.connect() as conn:
            command.downgrade(alembic_config(conn), revision)

    def ensure_schema(self, *, create: bool = True) -> None:
        """Create the schema in an empty database (unless ``create`` is false: then an empty
        database is refused too); refuse one that is behind or unknown."""
        current = self.current_revision()
        if current is None:
            with self.engine.connect().execution_options(readonly=True) as conn:
                tables = set(inspect(conn).get_table_names())
                if self.dialect == "postgresql" and conn.exec_driver_sql("SELECT current_schema()").scalar() is None:
                    # the role may not use the schema on its search path: it sees no tables at all
                    raise SchemaError("permission denied: this database role may not use the store's schema "
                                      "(its owner can run `verifier grant-readonly ROLE`)")
            if tables - {"alembic_version"}:
                raise SchemaError("this database was not made by verifier (no schema version); refusing to touch it")
            if not create:
                raise NoDatabase(f"no verifier database at {self.where()} (it is empty): "
                                 "create one with `verifier init`")
            self.upgrade()
            self.created = True
            return
        self.refuse_newer_schema(current)
        head = self.head_revision()
        if current != head:
            raise SchemaError(f"the database schema is at {current}, this verifier needs {head}: run `verifier upgrade`")

    # ---------------------------------------------------------------- work
    def uow(self, *, readonly: bool = False, seen: int | None = None, unchanged_since: int | None = None) -> SqlUnitOfWork:
        """A unit of work; ``unchanged_since``: refuse to act on what anyone (this analyst's
        name included) changed after that audit seq (a script's ``--if-unchanged-since``)."""
        if unchanged_since is not None:
            return SqlUnitOfWork(self.sessions, analyst=self.analyst, readonly=readonly, role=self.role,
                                 seen=unchanged_since, seen_by_anyone=True)
        return SqlUnitOfWork(self.sessions, analyst=self.analyst, readonly=readonly, role=self.role,
                             seen=self.seen if seen is None else seen)

    def dispose(self) -> None:
        self.engine.dispose()

    def open_as(self, principal: dict, *, reader_role: str | None = None) -> Store:
        """This store acting as the signed-in user ``principal`` (see :func:`open_as`): what
        an app handed this store (as the gate that checks passwords) opens after sign-in."""
        return open_as(self, principal, reader_role=reader_role)

    def is_empty(self) -> bool:
        """Nothing was ever recorded here (no audit event, no claim, no source)."""
        from sqlalchemy import select

        try:
            with self.uow(readonly=True) as uow:
                return all(uow.session.execute(select(t.c[col]).limit(1)).first() is None
                           for t, col in ((orm.events, "seq"), (orm.claims, "id"), (orm.sources, "id")))
        except Exception:  # no schema yet, or not a database: not ours to judge as empty
            return current_is_none(self)

    def remove_if_empty(self) -> bool:
        """Delete this SQLite file (and its -wal/-shm) when it holds nothing; True if it went."""
        path = _sqlite_file(self.url)
        if path is None or not path.exists() or not self.is_empty():
            self.dispose()
            return False
        self.dispose()
        for suffix in SQLITE_FILES:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return True


def current_is_none(store: Store) -> bool:
    """The database has no tables at all (an empty file)."""
    with store.engine.connect().execution_options(readonly=True) as conn:
        return not inspect(conn).get_table_names()


def connect(db: str | os.PathLike | None = None, analyst: str | None = None, *, ensure: bool = True,
            create: bool = True, role=None, db_role: str | None = None,
            on_wait: Callable[[], None] | None = None) -> Store:
    """Open the store at ``db`` (a SQLite path or a URL; None: the default file).

    ``create``: a missing SQLite file is created, but only inside an existing folder (the
    default location's folder excepted, made on first use); else a missing file, or an
    empty database, is refused with ``NoDatabase``. ``store.created`` tells whether this
    call made it."""
    url = database_url(db)
    path = _sqlite_file(url)
    new_file = path is not None and not path.exists()
    if new_file:
        if not create:
            raise NoDatabase(f"no database at {path}: check the path, or create one with `verifier init`")
        if not path.parent.is_dir():
            if db is None or str(db) == "":
                path.parent.mkdir(parents=True, exist_ok=True)
            else:
                raise NoDatabase(f"no folder {path.parent}: the database {path} is created only in an existing folder")
    store = Store(url, analyst, role=role, db_role=db_role, on_wait=on_wait)
    store.created = new_file
    if ensure:
        store.ensure_schema(create=create)
    return store


def open_as(gate, principal: dict, *, reader_role: str | None = None):
    """A store acting as the signed-in user, from the store that checked the password.

    A reader's unit of work refuses every change; on PostgreSQL their sessions also run
    under the read-only role ``reader_role`` (``verifier grant-readonly``), so the
    database refuses too. Without that role on PostgreSQL a reader cannot sign in."""
    role = team.Role.parse(principal["role"], "role")
    db_role = None
    if role is team.Role.READER and gate.dialect == "postgresql":
        if not reader_role:
            raise team.SignInRefused("readers cannot sign in here yet: this server has no read-only PostgreSQL role "
                                     "(`verifier grant-readonly ROLE`, then `verifier serve --reader-role ROLE`)")
        db_role = reader_role
    return connect(gate.url, principal["name"], role=role, db_role=db_role)
