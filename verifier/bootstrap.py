"""The one place that builds the engine and wires the application together.

Nothing here runs at import time: ``connect()`` is called by the CLI, the TUI and tests.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from verifier.adapters import orm
from verifier.services.unit_of_work import SqlUnitOfWork

APP_NAME = "verifier"


class SchemaError(RuntimeError):
    """The database is not at the schema this version of verifier expects."""


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
        if text.startswith("postgresql://") or text.startswith("postgres://"):
            text = "postgresql+psycopg://" + text.split("://", 1)[1]
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def _sqlite_file(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def make_engine(url: str, *, db_role: str | None = None) -> Engine:
    sqlite_path = _sqlite_file(url)
    if sqlite_path is not None:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        if not sqlite_path.exists():
            # created readable by its owner only; SQLite gives -wal/-shm the same mode
            os.close(os.open(sqlite_path, os.O_CREAT | os.O_WRONLY, 0o600))
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "postgresql":
        _configure_postgres(engine, db_role)
    return engine


WRITER_LOCK = 720194  # the advisory lock the audit log's appender takes too (adapters.repository)


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

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        # like BEGIN IMMEDIATE on SQLite: one writer at a time, from its first statement, so
        # writers never read what a concurrent writer is about to change (no lost update of
        # cached counts, no duplicate-key race on links) and the audit log is in time order.
        # Readers (execution option readonly=True) take no lock and are never blocked.
        if not conn.get_execution_options().get("readonly"):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")


SQLITE_PRAGMAS = (
    "journal_mode=WAL",
    "foreign_keys=ON",
    "busy_timeout=60000",
    "synchronous=NORMAL",
    # 64 MiB of page cache, not 2: a bulk import keeps its indexes' pages in memory
    # instead of writing and re-reading them (200k claims are written 25% faster)
    "cache_size=-65536",
)


def _configure_sqlite(engine: Engine) -> None:
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
        mode = "DEFERRED" if conn.get_execution_options().get("readonly") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")


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

    def __init__(self, url: str, analyst: str | None = None, *, role=None, db_role: str | None = None):
        orm.start_mappers()
        self.url = url
        self.engine = make_engine(url, db_role=db_role)
        self.analyst = analyst or default_analyst()
        self.role = role  # a signed-in user's verifier.domain.team.Role; None at the command line
        self.seen: int | None = None  # the audit seq an open app's screens reflect (optimistic checks)
        self.sessions = sessionmaker(bind=self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # ---------------------------------------------------------------- schema
    def head_revision(self) -> str:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(alembic_config()).get_current_head()

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

    def ensure_schema(self) -> None:
        """Create the schema in an empty database; refuse one that is behind or unknown."""
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
            self.upgrade()
            return
        head = self.head_revision()
        if current != head:
            raise SchemaError(f"the database schema is at {current}, this verifier needs {head}: run `verifier upgrade`")

    # ---------------------------------------------------------------- work
    def uow(self, *, readonly: bool = False, seen: int | None = None) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, analyst=self.analyst, readonly=readonly, role=self.role,
                             seen=self.seen if seen is None else seen)

    def dispose(self) -> None:
        self.engine.dispose()


def connect(db: str | os.PathLike | None = None, analyst: str | None = None, *, ensure: bool = True,
            role=None, db_role: str | None = None) -> Store:
    store = Store(database_url(db), analyst, role=role, db_role=db_role)
    if ensure:
        store.ensure_schema()
    return store
