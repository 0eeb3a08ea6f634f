"""Helpers for the crash tests (and bench/crash_import.py): generate a large import file,
run `python -m verifier import` as a child process, SIGKILL it, inspect what is left.

Not a test module: imported by tests/robustness/test_crash_import.py.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
N_SOURCES = 50


def write_claims_file(path: Path, n_claims: int, n_sources: int = N_SOURCES) -> Path:
    """n_sources sources and n_claims claims, each relayed by one other source."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n_sources):
            fh.write(json.dumps({"kind": "source", "id": f"s{i}", "name": f"Source {i}", "type": "outlet"}) + "\n")
        for i in range(n_claims):
            fh.write(json.dumps({
                "kind": "claim", "id": f"c{i}", "source": f"s{i % n_sources}", "via": [f"s{(i + 1) % n_sources}"],
                "text": f"Report {i}: {i % 997} fighters seen near checkpoint {i % 89} on the river road",
                "published": f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}",
            }) + "\n")
    return path


def write_near_duplicates_file(path: Path, n_claims: int, seed: int = 3) -> Path:
    """n_claims claims in clusters of five near-duplicates (made-up words, one changed per
    variant): enough candidate pairs for the detector to score them in two processes."""
    import random

    rnd = random.Random(seed)
    vocab = ["".join(rnd.choice("bdfgklmnprstvz") + rnd.choice("aeiou") for _ in range(4)) for _ in range(20_000)]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n_claims):
            if i % 5 == 0:
                words = rnd.sample(vocab, 9)
            variant = list(words)
            variant[rnd.randrange(9)] = rnd.choice(vocab)
            fh.write(json.dumps({"kind": "claim", "id": f"c{i}", "source": f"s{i % N_SOURCES}",
                                 "text": " ".join(variant).capitalize()}) + "\n")
    return path


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("VERIFIER_DEBUG", None)
    return env


def start_import(db: str, path: Path, *extra: str, detect: bool = False) -> subprocess.Popen:
    """``detect``: with lexical near-duplicate detection (the semantic extra's embedding, if
    installed, is left out: it would take minutes)."""
    no_detect = () if detect else ("--no-detect",)
    env = {**child_env(), "VERIFIER_SEMANTIC": "0"} if detect else child_env()
    return subprocess.Popen(
        [sys.executable, "-m", "verifier", "--db", db, "--analyst", "crash", "import", str(path), *no_detect, *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(ROOT),
    )


def run_cli(db: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "verifier", "--db", db, *args], capture_output=True, text=True,
                          env=child_env(), cwd=str(ROOT), timeout=timeout)


def kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the child; True when it was still running (a real crash), False when it had finished."""
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stdout.close()
    proc.stderr.close()
    return proc.returncode == -signal.SIGKILL


# --------------------------------------------------------------------------- processes

def running(pid: int) -> bool:
    """The process exists and has not ended (a zombie waiting for its reaper has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def threads(pid: int) -> int:
    """How many threads the process runs (0 once it is gone)."""
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def descendants(pid: int) -> set[int]:
    """The processes this one started, and theirs (from /proc; Linux)."""
    found, todo = set(), [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            try:
                kids = {int(x) for x in task.read_text().split()}
            except OSError:
                continue
            todo += kids - found
            found |= kids
    return found


def wait_for(predicate, timeout: float, interval: float = 0.02) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(interval)
    return False


# --------------------------------------------------------------------------- SQLite

def wal_size(db: Path) -> int:
    try:
        return os.path.getsize(str(db) + "-wal")
    except OSError:
        return 0


def sqlite_check(db: Path) -> dict:
    """Open the file with plain sqlite3 (as after a crash): integrity, FTS consistency, counts."""
    con = sqlite3.connect(str(db), timeout=60)
    try:
        integrity = [r[0] for r in con.execute("PRAGMA integrity_check")]
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        # the external-content FTS5 index must agree with the claims table
        con.execute("INSERT INTO claim_fts(claim_fts) VALUES ('integrity-check')")
        con.commit()
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("sources", "claims", "claim_relays", "events")}
        imports = con.execute("SELECT count(*) FROM events WHERE action = 'import'").fetchone()[0]
    finally:
        con.close()
    return {"integrity": integrity, "fk": fk, "counts": counts, "imports": imports}


# --------------------------------------------------------------------------- PostgreSQL

def pg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def with_app_name(url: str, name: str) -> str:
    return url + ("&" if "?" in url else "?") + f"application_name={name}"


def pg_backends(url: str, app_name: str) -> int:
    import psycopg

    with psycopg.connect(pg_dsn(url), autocommit=True) as con:
        return con.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (app_name,)).fetchone()[0]


def pg_has_written(url: str, app_name: str) -> bool:
    """The import's backend has started writing: it holds a transaction id (its first
    INSERT assigns one; reading and parsing do not)."""
    import psycopg

    with psycopg.connect(pg_dsn(url), autocommit=True) as con:
        return con.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND backend_xid IS NOT NULL",
                           (app_name,)).fetchone()[0] > 0


def pg_counts(url: str) -> dict:
    import psycopg

    with psycopg.connect(pg_dsn(url), autocommit=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("sources", "claims", "claim_relays", "events")}
        counts["imports"] = con.execute("SELECT count(*) FROM events WHERE action = 'import'").fetchone()[0]
        # indexes still usable: a unique-index lookup and a full-text lookup
        con.execute("SELECT id FROM claims WHERE key = 'c1'").fetchall()
        con.execute("SELECT id FROM claims WHERE to_tsvector('simple', norm) @@ to_tsquery('simple', 'checkpoint') LIMIT 1").fetchall()
    return counts
