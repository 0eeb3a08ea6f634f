"""SQLite files use WAL, enforce foreign keys, and are private to their owner."""

import os
import stat

from sqlalchemy import text

from verifier import bootstrap


def test_wal_foreign_keys_and_private_file(tmp_path):
    path = tmp_path / "v.db"
    store = bootstrap.connect(path, "t")
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    finally:
        store.dispose()
