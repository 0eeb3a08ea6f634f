"""The demo database: a fresh SQLite file built from the bundled fixtures."""

from __future__ import annotations

from pathlib import Path

from verifier import bootstrap
from verifier.services import importing

FIXTURES = ("seed-field-report-2020-05.jsonl", "demo-scenario.jsonl")


def default_path() -> Path:
    return bootstrap.default_db_path().with_name("demo.db")


def fixture_paths() -> list[Path]:
    base = bootstrap.packaged_dir("verifier.fixtures", "fixtures")
    return [base / name for name in FIXTURES]


def build(db: str | None, analyst: str | None) -> Path:
    """(Re)build the demo database at ``db`` (a SQLite path) and return its path."""
    path = Path(db) if db else default_path()
    if "://" in str(path):
        raise ValueError("the demo builds a SQLite file; give --db a file path")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = bootstrap.connect(path, analyst or "demo")
    try:
        for fixture in fixture_paths():
            uow = store.uow()
            with uow:
                importing.import_file(uow, fixture)
                uow.commit()
    finally:
        store.dispose()
    return path
