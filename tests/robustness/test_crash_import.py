"""Crashes: an import of 200,000 claims SIGKILLed at random points, several times.

Afterwards the database opens, passes its integrity checks, holds all of the file or none
of it, and a final import completes. On a SQLite file and on PostgreSQL.

The kill points are random (seeded: VERIFIER_CRASH_SEED reproduces a run) and spread over
the phases of an import: start-up and parsing, early writing, late writing. The write phase
is detected, not guessed: on SQLite the WAL file starts growing, on PostgreSQL the import's
backend gets a transaction id.
"""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from tests.robustness import crashkit

N_CLAIMS = int(os.environ.get("VERIFIER_CRASH_CLAIMS", "200000"))
# a 200,000-claim import grows the WAL by about 70 MB (about 355 bytes a claim)
WAL_BYTES_PER_CLAIM = 340
SEED = int(os.environ.get("VERIFIER_CRASH_SEED", str(random.randrange(1 << 30))))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    return crashkit.write_claims_file(tmp_path_factory.mktemp("crash") / "claims-200k.jsonl", N_CLAIMS)


def _all_or_none(counts: dict, imports: int) -> str:
    everything = {"sources": crashkit.N_SOURCES, "claims": N_CLAIMS, "claim_relays": N_CLAIMS}
    nothing = dict.fromkeys(everything, 0)
    got = {k: counts[k] for k in everything}
    if got == nothing and imports == 0:
        return "none"
    if got == everything and imports == 1:
        return "all"
    raise AssertionError(f"a partial import survived the crash: {got}, {imports} import event(s) (seed {SEED})")


def _final_import_and_checks(db: str, path) -> None:
    done = crashkit.run_cli(db, "--analyst", "crash", "import", "--no-detect", "--json", str(path))
    assert done.returncode == 0, done.stderr
    verify = crashkit.run_cli(db, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    listed = crashkit.run_cli(db, "claims", "--limit", "3", "--json")
    assert listed.returncode == 0, listed.stderr


def test_sigkilled_sqlite_import_leaves_all_or_nothing(big_file, tmp_path):
    rng = random.Random(SEED)
    db = tmp_path / "crash.db"
    assert crashkit.run_cli(str(db), "init").returncode == 0
    # kill points: a time after process start (start-up, parsing, planning), then points of
    # progress through the write phase measured by the WAL's growth (a machine's speed does
    # not move them): early, middle, and late (around the commit and its checkpoint)
    full_wal = WAL_BYTES_PER_CLAIM * N_CLAIMS
    plan = [("start", rng.uniform(0.2, 3.0)), ("wal", rng.uniform(0.01, 0.3) * full_wal),
            ("wal", rng.uniform(0.3, 0.8) * full_wal), ("wal", rng.uniform(0.8, 1.0) * full_wal)]
    crashes = 0
    for phase, point in plan:
        base_wal = crashkit.wal_size(db)
        proc = crashkit.start_import(str(db), big_file)
        if phase == "start":
            time.sleep(point)
        else:
            assert crashkit.wait_for(lambda base_wal=base_wal, point=point, proc=proc: crashkit.wal_size(db) - base_wal >= point
                                     or proc.poll() is not None,
                                     300, 0.01), "the import stalled"
        killed = crashkit.kill(proc)
        crashes += killed
        state = crashkit.sqlite_check(db)
        print(f"sqlite: {phase} {point:.2f} killed={killed} -> {state['counts']} (seed {SEED})")
        assert state["integrity"] == ["ok"], (state, SEED)
        assert state["fk"] == [], (state, SEED)
        outcome = _all_or_none(state["counts"], state["imports"])
        if outcome == "all":  # it committed before the kill: nothing left to crash
            break
    assert crashes >= 1, f"every import finished before its kill; nothing was tested (seed {SEED})"

    _final_import_and_checks(str(db), big_file)
    state = crashkit.sqlite_check(db)
    assert state["integrity"] == ["ok"]
    assert _all_or_none(state["counts"], state["imports"]) == "all"

    from verifier import bootstrap

    store = bootstrap.connect(db, "check")  # opens, at head, no repair needed
    try:
        assert store.current_revision() == store.head_revision()
    finally:
        store.dispose()


@pytest.mark.postgres
def test_sigkilled_postgres_import_leaves_all_or_nothing(big_file, pg_url):
    rng = random.Random(SEED + 1)
    assert crashkit.run_cli(pg_url, "init").returncode == 0
    plan = [rng.uniform(0.5, 4.0), rng.uniform(4.0, 12.0)]  # seconds after the first write
    crashes = 0
    for i, delay in enumerate(plan):
        app = f"verifier_crash_{os.getpid()}_{i}"
        url = crashkit.with_app_name(pg_url, app)
        proc = crashkit.start_import(url, big_file)
        assert crashkit.wait_for(lambda proc=proc, app=app: proc.poll() is not None or crashkit.pg_has_written(pg_url, app),
                              120, 0.05), \
            "the import never started writing"
        time.sleep(delay)
        killed = crashkit.kill(proc)
        crashes += killed
        # the server rolls back the orphaned transaction when it notices the client is gone;
        # only then is the outcome final (a COMMIT already received would still be applied)
        assert crashkit.wait_for(lambda app=app: crashkit.pg_backends(pg_url, app) == 0, 120, 0.1), "backend never ended"
        counts = crashkit.pg_counts(pg_url)
        print(f"postgres: write+{delay:.2f}s killed={killed} -> {counts} (seed {SEED})")
        outcome = _all_or_none(counts, counts["imports"])
        if outcome == "all":
            break
    assert crashes >= 1, f"every import finished before its kill; nothing was tested (seed {SEED})"

    _final_import_and_checks(pg_url, big_file)
    counts = crashkit.pg_counts(pg_url)
    assert _all_or_none(counts, counts["imports"]) == "all"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc to list processes")
def test_sigkilled_import_leaves_no_process_behind(tmp_path):
    """Killed while its near-duplicates are scored by two processes, the import leaves no
    scoring child running (it would hold the import's memory and the deleted WAL files).
    The child is stopped before the kill, so that it cannot finish its work and leave on
    its own: only its parent's death can end it (PR_SET_PDEATHSIG)."""
    path = crashkit.write_near_duplicates_file(tmp_path / "near-duplicates.jsonl", 40_000)
    db = tmp_path / "crash.db"
    proc = crashkit.start_import(str(db), path, detect=True)
    seen: set[int] = set()

    def forked() -> bool:
        seen.update(crashkit.descendants(proc.pid))
        return bool(seen) or proc.poll() is not None

    try:
        assert crashkit.wait_for(forked, 600, 0.01) and seen, "the import finished without forking; nothing was tested"
        # once set up, the child runs a thread watching its parent (the code before that fixes
        # what ends it); stopped, it can neither finish nor leave by itself
        crashkit.wait_for(lambda: all(crashkit.threads(pid) != 1 for pid in seen), 30)
        for pid in seen:
            os.kill(pid, signal.SIGSTOP)
        assert crashkit.kill(proc), "the import finished before its kill; nothing was tested"
        assert crashkit.wait_for(lambda: not any(map(crashkit.running, seen)), 10), \
            f"processes outlived the killed import: {sorted(p for p in seen if crashkit.running(p))}"
    finally:
        for pid in [proc.pid, *seen]:
            if crashkit.running(pid):
                os.kill(pid, signal.SIGKILL)
    state = crashkit.sqlite_check(db)  # killed before its commit: nothing of the file
    assert state["integrity"] == ["ok"] and state["counts"]["claims"] == 0 and state["imports"] == 0
