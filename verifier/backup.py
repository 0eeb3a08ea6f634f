"""A case file moves whole: ``verifier backup DEST`` and ``verifier restore SRC``.

Every table goes, between SQLite and PostgreSQL in either direction (``adapters.store_copy``):
the target then holds the same rows, and ``audit verify`` there reports the same head.
Nothing is half-written: a SQLite target is written under a temporary name beside it and
renamed into place when complete; a PostgreSQL target is filled in one transaction. A target
holding anything is refused unless ``force``. The source is read in one snapshot while
others go on writing: SQLite to SQLite through SQLite's online backup API, otherwise one
read transaction (REPEATABLE READ on PostgreSQL).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import func, select

from verifier import bootstrap
from verifier.adapters import orm, store_copy


class Refused(RuntimeError):
    """The copy would overwrite something, or has nothing to copy."""


def copy_store(src_db: str, dst_db: str, *, force: bool = False) -> dict:
    """Copy the store at ``src_db`` to ``dst_db`` (paths or URLs). Returns what the target
    holds: rows per table and the audit log's head."""
    src_url, dst_url = bootstrap.database_url(src_db), bootstrap.database_url(dst_db)
    if src_url == dst_url:
        raise Refused("the source and the target are the same database")
    src = bootstrap.connect(src_db, create=False)
    try:
        dst_path = bootstrap._sqlite_file(dst_url)
        if dst_path is not None:
            _copy_to_file(src, dst_path, force)
        else:
            _copy_to_server(src, dst_url, force)
    finally:
        src.dispose()
    return _summary(dst_url)


def _refuse_unless_empty(store: bootstrap.Store, force: bool, where: str) -> None:
    with store.engine.connect().execution_options(readonly=True) as conn:
        holding = store_copy.non_empty(conn)
    if holding and not force:
        raise Refused(f"{where} is not empty ({', '.join(holding[:4])}{'...' if len(holding) > 4 else ''} "
                      "hold rows): give --force to replace what it holds")


def _copy_to_file(src: bootstrap.Store, path: Path, force: bool) -> None:
    if path.exists():
        try:
            existing = bootstrap.connect(str(path), create=False)
        except bootstrap.SchemaError as exc:
            if not force:
                raise Refused(f"{path} exists and is not an empty verifier database ({exc}): give --force to "
                              "replace it") from None
        else:
            try:
                _refuse_unless_empty(existing, force, str(path))
            finally:
                existing.dispose()
    elif not path.parent.is_dir():
        raise Refused(f"no folder {path.parent}")
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    _remove(partial)
    try:
        source_file = bootstrap._sqlite_file(src.url)
        if source_file is not None:
            _online_backup(source_file, partial)
        else:
            target = bootstrap.connect(str(partial))
            try:
                _copy_rows(src, target)
            finally:
                target.dispose()  # the last connection checkpoints the WAL into the file
        for suffix in bootstrap.SQLITE_FILES[1:]:
            Path(f"{path}{suffix}").unlink(missing_ok=True)  # the old file's, if replaced
        os.replace(partial, path)
    finally:
        _remove(partial)


def _online_backup(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while others write to ``source``."""
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))  # readable by its owner only, as the store
    src = sqlite3.connect(source, timeout=60)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _copy_to_server(src: bootstrap.Store, url: str, force: bool) -> None:
    target = bootstrap.connect(url)
    try:
        _refuse_unless_empty(target, force, target.where())
        _copy_rows(src, target, clear=force)
    finally:
        target.dispose()


def _copy_rows(src: bootstrap.Store, target: bootstrap.Store, *, clear: bool = False) -> None:
    options = {"readonly": True}
    if src.dialect == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"  # one snapshot for every table
    with src.engine.connect().execution_options(**options) as reading, reading.begin(), \
            target.engine.connect() as writing, writing.begin():
        if clear:
            store_copy.clear(writing)
        store_copy.copy_rows(reading, writing)


def _summary(url: str) -> dict:
    store = bootstrap.connect(url, create=False)
    try:
        with store.engine.connect().execution_options(readonly=True) as conn:
            rows = {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                    for t in store_copy.tables()}
            head = conn.execute(select(orm.events.c.seq, orm.events.c.hash).order_by(orm.events.c.seq.desc())
                                .limit(1)).first()
        return {"target": store.where(), "rows": rows, "head": f"{head.seq}:{head.hash}" if head else None}
    finally:
        store.dispose()


def _remove(path: Path) -> None:
    for suffix in bootstrap.SQLITE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)
