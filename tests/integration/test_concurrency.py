"""Concurrent analysts.

SQLite: one database file, the TUI open on it (headless, in its own process, re-reading its
queue), four command-line processes importing, linking and resolving at once, and a
reader polling `claims --json` the whole time: nobody fails with "database is locked",
no change is lost.

PostgreSQL: eight analysts resolving and linking the same claims at once: no lost update
(every resolution and link kept, each claim's cached status and link counts right), the
audit log complete, contiguous, in time order and its hash chain intact.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import import_path
from verifier import bootstrap
from verifier.adapters import orm

ROOT = Path(__file__).resolve().parents[2]


def _cli(db: str, analyst: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "verifier", "--db", db, "--analyst", analyst, *args],
                          capture_output=True, text=True, cwd=str(ROOT), timeout=300)


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _table_counts(store) -> dict:
    with store.uow(readonly=True) as uow:
        return {t.name: uow.session.execute(select(func.count()).select_from(t)).scalar()
                for t in (orm.claims, orm.links, orm.resolutions, orm.events)}


def _check_cached_columns(store) -> None:
    """Each claim's cached status and link counts agree with the rows they summarise."""
    with store.uow(readonly=True) as uow:
        s = uow.session
        latest = {}
        for cid, verdict in s.execute(select(orm.resolutions.c.claim_id, orm.resolutions.c.verdict)
                                      .order_by(orm.resolutions.c.claim_id, orm.resolutions.c.at, orm.resolutions.c.id)):
            latest[cid] = verdict
        support, contra = Counter(), Counter()
        for a, b, rel in s.execute(select(orm.links.c.from_id, orm.links.c.to_id, orm.links.c.relation)
                                   .where(orm.links.c.state == "confirmed")):
            for cid in (a, b):
                (contra if rel == "contradicts" else support)[cid] += 1
        wrong = []
        for cid, key, status, sup, con in s.execute(select(orm.claims.c.id, orm.claims.c.key, orm.claims.c.status,
                                                           orm.claims.c.support, orm.claims.c.contradicted)):
            want = (latest.get(cid, "unresolved"), support[cid], contra[cid])
            if (status, sup, con) != want:
                wrong.append((key, (status, sup, con), want))
    assert not wrong, f"lost updates in cached columns (claim, stored, expected): {wrong[:10]}"


def _check_audit_log(store) -> list[dict]:
    with store.uow(readonly=True) as uow:
        rows = [dict(r) for r in uow.session.execute(select(orm.events).order_by(orm.events.c.seq)).mappings()]
    seqs = [r["seq"] for r in rows]
    assert seqs == list(range(1, len(rows) + 1)), "the audit log has gaps"
    ats = [r["at"] for r in rows]
    assert ats == sorted(ats), "audit events are not in time order"
    return rows


# --------------------------------------------------------------------------- SQLite

# The TUI, open on the same file the whole time (a headless Pilot in its own process), its
# queue re-read again and again while the analysts write. Prints what it saw as JSON.
TUI_READER = r"""
import asyncio, json, os, sys
from pathlib import Path
from verifier import bootstrap
from tui.app import VerifierApp

db, ready, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])

async def main():
    store = bootstrap.connect(db, "tui-reader")
    app = VerifierApp(store)
    seen, rounds = [], 0
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        async def settle():
            for _ in range(200):
                await pilot.pause()
                await app.workers.wait_for_complete()
                if not any(w.is_running for w in app.workers):
                    break
        await settle()
        ready.touch()
        while True:
            last = stop.exists()
            app.screen.reload()
            await settle()
            rounds += 1
            seen.append(len(getattr(app.screen, "rows", {})))
            screen = type(app.screen).__name__
            if last:
                break
            await asyncio.sleep(0.2)
    store.dispose()
    errors = [str(n.message) for n in app._notifications if n.severity == "error"]
    print(json.dumps({"rounds": rounds, "errors": errors, "rows": seen, "screen": screen}))

asyncio.run(main())
"""

@pytest.mark.slow
def test_four_cli_analysts_and_a_reader_on_one_sqlite_file(tmp_path):  # noqa: PLR0915 -- one scenario, step by step
    db = str(tmp_path / "team.db")
    n_base = 24
    base = [{"kind": "source", "id": f"s{i}", "name": f"Source {i}"} for i in range(6)]
    base += [{"kind": "claim", "id": f"b{i}", "text": f"Base claim {i} on the crossing at kilometre {i}",
              "source": f"s{i % 6}"} for i in range(n_base)]
    seed = _write_jsonl(tmp_path / "base.jsonl", base)
    assert _cli(db, "lead", "import", "--no-detect", str(seed)).returncode == 0

    n_files, per_file, n_ops = 3, 40, 4
    files = []
    for f in range(n_files):
        recs = [{"kind": "claim", "id": f"f{f}-{i}", "text": f"Imported claim {i} of batch {f} about convoy {i * 7}",
                 "source": f"s{i % 6}", "via": [f"s{(i + 1) % 6}"]} for i in range(per_file)]
        recs.append({"kind": "link", "from": f"f{f}-0", "to": f"f{f}-1", "relation": "corroborates"})
        recs.append({"kind": "resolution", "claim": f"f{f}-2", "verdict": "false"})
        files.append(_write_jsonl(tmp_path / f"batch{f}.jsonl", recs))

    # each analyst is a sequence of separate `verifier` processes; four run at any moment
    jobs = {
        "importer": [("import", "--no-detect", str(p)) for p in files],
        "linker": [("link", f"b{i}", f"b{i + 1}", "--relation", "corroborates") for i in range(0, 2 * n_ops, 2)],
        "resolver": [("resolve", f"b{i}", "--verdict", "mostly-true", "--rationale", f"checked {i}") for i in range(n_ops)],
        "mixed": [op for i in range(n_ops // 2) for op in (
            ("link", f"b{12 + i}", f"b{18 + i}", "--relation", "contradicts", "--note", "numbers differ"),
            ("claim", "add", f"Added by hand {i} near the dam", "--source", "s1", "--id", f"h{i}", "--no-detect"),
        )],
    }
    results: dict[str, list] = {name: [] for name in jobs}
    stop = threading.Event()
    reads: list = []

    def analyst(name):
        for args in jobs[name]:
            results[name].append((args, _cli(db, name, *args)))

    def reader():
        # the TUI's stand-in: a read-only client refreshing its queue while others write
        while not stop.is_set():
            reads.append(_cli(db, "reader", "claims", "--json"))
            time.sleep(0.25)

    ready, stop_file = tmp_path / "tui.ready", tmp_path / "tui.stop"
    tui = subprocess.Popen([sys.executable, "-c", TUI_READER, db, str(ready), str(stop_file)], cwd=str(ROOT),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert tui.poll() is None, tui.communicate()
        assert time.monotonic() < deadline, "the TUI never came up"
        time.sleep(0.05)

    threads = [threading.Thread(target=analyst, args=(n,)) for n in jobs]
    poll = threading.Thread(target=reader)
    poll.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    poll.join()
    stop_file.touch()
    tui_out, tui_err = tui.communicate(timeout=120)
    assert tui.returncode == 0, tui_err[-3000:]
    tui_seen = json.loads(tui_out.strip().splitlines()[-1])
    assert tui_seen["errors"] == [], tui_seen
    assert tui_seen["rounds"] >= 3 and tui_seen["screen"] == "QueueScreen", tui_seen
    assert "locked" not in tui_err

    failures = [(name, args, r.returncode, r.stderr) for name, rs in results.items() for args, r in rs if r.returncode]
    assert not failures, failures
    assert all("locked" not in r.stderr for rs in results.values() for _, r in rs)
    assert len(reads) >= 3
    seen = []
    for done in reads:
        assert done.returncode == 0 and "locked" not in done.stderr, done.stderr
        seen.append(len(json.loads(done.stdout)))
    assert seen == sorted(seen), "a reader saw claims disappear"  # commits only add

    store = bootstrap.connect(db, "check")
    try:
        counts = _table_counts(store)
        n_hand = n_ops // 2
        assert counts["claims"] == n_base + n_files * per_file + n_hand
        assert counts["links"] == n_files + len(jobs["linker"]) + n_ops // 2
        assert counts["resolutions"] == n_files + len(jobs["resolver"])
        # one event per import (the seed's too), link, resolution and added claim
        assert counts["events"] == 1 + n_files + len(jobs["linker"]) + len(jobs["resolver"]) + len(jobs["mixed"])
        _check_cached_columns(store)
        _check_audit_log(store)
    finally:
        store.dispose()
    assert _cli(db, "check", "audit", "verify").returncode == 0


def test_readers_are_not_blocked_by_a_writer(db_url, tmp_path):
    """A command that only reads (and the TUI) never waits for a writer: here a writer holds
    the write lock (an import in progress) while `claims --json` and `audit verify` run."""
    store = bootstrap.connect(db_url, "lead")
    import_path(store, ROOT / "fixtures" / "seed-field-report-2020-05.jsonl", detect=False)
    try:
        with store.uow() as writer:  # BEGIN IMMEDIATE on SQLite, the writer lock on PostgreSQL
            writer.session.execute(select(orm.claims.c.id).limit(1)).all()
            # the writer keeps its lock until every read is done: a blocked read could only
            # fail ("database is locked") or never end (timeout); how long they take: bench/reader_latency.py
            for args in (("claims", "--json"), ("audit", "verify"), ("sources", "--json")):
                done = subprocess.run([sys.executable, "-m", "verifier", "--db", db_url, *args], capture_output=True,
                                      text=True, cwd=str(ROOT), timeout=120)
                assert done.returncode == 0, done.stderr
                assert json.loads(done.stdout) if "--json" in args else "intact" in done.stdout.lower(), done.stdout
            writer.rollback()
    finally:
        store.dispose()


# --------------------------------------------------------------------------- PostgreSQL

@pytest.mark.postgres
def test_eight_postgres_analysts_on_the_same_claims(pg_url):
    from verifier.services import commands

    n_analysts, rounds, n_claims = 8, 6, 5
    lead = bootstrap.connect(pg_url, "lead")
    lines = [{"kind": "source", "id": "src", "name": "A source"}]
    lines += [{"kind": "claim", "id": f"t{i}", "text": f"Shared claim {i} about the bridge at {i * 11}", "source": "src"}
              for i in range(n_claims)]
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        fh.write("".join(json.dumps(r) + "\n" for r in lines))
    import_path(lead, fh.name, detect=False)
    Path(fh.name).unlink()
    events_before = _table_counts(lead)["events"]

    stores = [bootstrap.connect(pg_url, f"analyst{i}") for i in range(n_analysts)]
    barrier = threading.Barrier(n_analysts)
    errors: list = []
    done = Counter()

    def work(i: int):
        store = stores[i]
        barrier.wait()
        for r in range(rounds):
            try:
                # everyone resolves the same claims and links the same pairs
                commands.resolve(store.uow(), f"t{r % n_claims}", ["true", "false", "mixed"][(i + r) % 3],
                                 rationale=f"analyst {i} round {r}")
                done["resolve"] += 1
                a, b = r % n_claims, (r + 1 + i % 2) % n_claims
                relation = "contradicts" if i % 3 == 0 else "corroborates"
                commands.link(store.uow(), f"t{a}", f"t{b}", relation, note=f"analyst {i} round {r}")
                done["link"] += 1
            except Exception as exc:  # noqa: BLE001 - collected and reported
                errors.append((i, r, repr(exc)[:300]))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n_analysts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.dispose()

    assert not errors, errors
    try:
        counts = _table_counts(lead)
        assert counts["resolutions"] == n_analysts * rounds
        # every link call made exactly one event: an add, or an edit of the note
        assert counts["events"] == events_before + 2 * n_analysts * rounds
        _check_cached_columns(lead)
        rows = _check_audit_log(lead)
        assert Counter(r["action"] for r in rows[events_before:])["resolve"] == n_analysts * rounds
        assert {r["analyst"] for r in rows[events_before:]} == {f"analyst{i}" for i in range(n_analysts)}
    finally:
        lead.dispose()
    verify = _cli(pg_url, "check", "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
