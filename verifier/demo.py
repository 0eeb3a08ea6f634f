"""The demo database: a SQLite file of its own, built from the bundled fixtures.

The demo never destroys data: it is built beside its target and moved into place only
when the target is missing, empty, or an untouched previous demo. A demo database is
recognised by a setting (``MARK``) holding the sequence number of the audit event that
marked it; any later event means someone worked in it, and then it is not replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import func, select

from verifier import bootstrap
from verifier.adapters import orm
from verifier.services import importing

FIXTURES = ("seed-field-report-2020-05.jsonl", "demo-scenario.jsonl")
MARK = "demo.built_through"  # setting: the audit event that marked the database as a demo


class Refused(bootstrap.SchemaError):
    """The demo will not build there (one line for the user)."""


def default_path() -> Path:
    return bootstrap.default_db_path().with_name("demo.db")


def fixture_paths() -> list[Path]:
    base = bootstrap.packaged_dir("verifier.fixtures", "fixtures")
    return [base / name for name in FIXTURES]


def refusal(path: Path) -> str | None:
    """Why the demo may not replace the file at ``path``, or None when it may (missing,
    empty, or an untouched previous demo)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        store = bootstrap.connect(path, "demo", ensure=False, create=False)
    except bootstrap.SchemaError as exc:
        return str(exc)
    try:
        if bootstrap.current_is_none(store):
            return None
        with store.uow(readonly=True) as uow:
            s = uow.session
            mark = s.execute(select(orm.settings.c.value).where(orm.settings.c.name == MARK)).scalar()
            last = s.execute(select(func.max(orm.events.c.seq))).scalar() or 0
    except Exception:  # not a verifier database at all (or not a database)
        mark, last = None, None
    finally:
        store.dispose()
    if mark is None:
        return (f"{path} holds a database that is not a demo; the demo never replaces one "
                "(run `verifier demo` without --db and VERIFIER_DB, or give it a new file)")
    if last != int(mark):
        return (f"{path} is a demo database someone has worked in since ({last - int(mark)} audit event(s)); "
                "the demo does not replace it (give it a new file, or delete this one yourself)")
    return None


def build(db: str | None, analyst: str | None) -> Path:
    """(Re)build the demo database at ``db`` (a SQLite path; None: the default demo file)
    and return its path. Refuses (DomainError) to replace anything but an untouched demo."""
    if db and "://" in str(db):
        raise Refused("the demo builds a SQLite file of its own; give --db a file path")
    path = (Path(db).expanduser() if db else default_path()).absolute()
    if db and not path.parent.is_dir():
        raise Refused(f"no folder {path.parent}: the demo is built only in an existing folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    why = refusal(path)
    if why:
        raise Refused(why)
    building = path.with_name(f".{path.name}.building{os.getpid()}")
    _remove(building)
    store = bootstrap.connect(building, analyst or "demo")
    try:
        for fixture in fixture_paths():
            uow = store.uow()
            with uow:
                importing.import_file(uow, fixture, shown_as=f"demo/{fixture.name}")
                uow.commit()
        _mark(store)
    except BaseException:
        store.dispose()
        _remove(building)
        raise
    store.dispose()  # the last connection checkpoints the WAL into the file
    why = refusal(path)  # checked again: nothing may have appeared there meanwhile
    if why:
        _remove(building)
        raise Refused(why)
    _remove(path)
    os.replace(building, path)
    _remove(building)  # its vector-index cache, if any: rebuilt beside the demo when needed
    return path


def _mark(store: bootstrap.Store) -> None:
    uow = store.uow()
    with uow:
        # the demo's file is written by this process alone (SQLite's one write lock is held):
        # the event recorded first in this transaction is the one after the newest
        seq = uow.events.last_seq() + 1
        uow.record("setting", "setting", MARK, None, str(seq))
        uow.session.execute(orm.settings.insert().values(name=MARK, value=str(seq)))
        uow.commit()


def _remove(path: Path) -> None:
    for suffix in bootstrap.SQLITE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)
