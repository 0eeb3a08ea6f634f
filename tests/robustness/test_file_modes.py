"""Files verifier creates are readable by their owner only (mode 0600), whatever the umask:
the SQLite database (and its -wal/-shm companions), exports and reports."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    # umask 0: anything not explicitly private would come out world-readable and writable
    return subprocess.run([sys.executable, "-m", "verifier", *args], capture_output=True, text=True, cwd=str(ROOT),
                          preexec_fn=lambda: os.umask(0), timeout=120)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_and_its_wal_are_private(tmp_path):
    db = tmp_path / "deep" / "er" / "store.db"
    db.parent.mkdir(parents=True)  # a database is created only in an existing folder
    done = _run("--db", str(db), "import", "--no-detect", str(SEED))
    assert done.returncode == 0, done.stderr
    assert _mode(db) == 0o600
    # while a connection is open the -wal and -shm files exist: they must be private too
    import sqlite3

    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA journal_mode").fetchone()
        con.execute("SELECT count(*) FROM claims").fetchone()
        for suffix in ("-wal", "-shm"):
            companion = Path(str(db) + suffix)
            assert companion.exists(), suffix
            assert _mode(companion) == 0o600, suffix
    finally:
        con.close()


def test_exports_and_reports_are_private(tmp_path):
    db = tmp_path / "store.db"
    assert _run("--db", str(db), "import", "--no-detect", str(SEED)).returncode == 0
    out = tmp_path / "export.jsonl"
    done = _run("--db", str(db), "export", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert _mode(out) == 0o600 and out.stat().st_size > 0

    # an existing world-readable file is replaced by a private one
    out.write_text("old\n")
    os.chmod(out, 0o644)
    assert _run("--db", str(db), "export", "-o", str(out)).returncode == 0
    assert _mode(out) == 0o600 and out.read_text() != "old\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export.jsonl.tmp")], "temporary file left behind"

    report = tmp_path / "report.md"
    done = _run("--db", str(db), "report", "-o", str(report))
    assert done.returncode == 0, done.stderr
    assert _mode(report) == 0o600


def test_a_failed_export_leaves_no_file(tmp_path):
    out = tmp_path / "no-such-dir" / "export.jsonl"
    done = _run("--db", str(tmp_path / "s.db"), "export", "-o", str(out))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert not out.exists()
