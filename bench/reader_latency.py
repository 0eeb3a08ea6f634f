#!/usr/bin/env python
"""Readers are not slowed by a writer: each read command (``claims --json``, ``audit verify``,
``sources --json``) timed as a user runs it (a ``verifier`` process), first alone (the
baseline, measured in the same run), then while another connection holds the write lock
(an import in progress: BEGIN IMMEDIATE on SQLite, an open write transaction on PostgreSQL).

The test ``tests/integration/test_concurrency.py::test_readers_are_not_blocked_by_a_writer``
checks that the reads succeed under the lock; this script says how long they take.

Usage: python bench/reader_latency.py [--db PATH_OR_URL] [--runs 5]
(default: the demo fixtures in a temporary SQLite file).
Target: under the lock, each read's median is within 1.5x its baseline + 0.2 s (exit 1 when
missed, unless --no-assert).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from verifier import bootstrap  # noqa: E402
from verifier.adapters import orm  # noqa: E402
from verifier.services import importing  # noqa: E402

READS = (("claims", "--json"), ("audit", "verify"), ("sources", "--json"))


def timed(db: str, args: tuple[str, ...]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "verifier", "--db", db, *args], capture_output=True, text=True,
                          cwd=str(ROOT), timeout=300)
    took = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()}")
    return took


def medians(db: str, runs: int) -> dict[tuple[str, ...], float]:
    return {args: statistics.median(timed(db, args) for _ in range(runs)) for args in READS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-assert", action="store_true")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "readers.db")
    store = bootstrap.connect(db, "bench")
    try:
        if args.db is None:
            for name in ("seed-field-report-2020-05.jsonl", "demo-scenario.jsonl"):
                with store.uow() as uow:
                    importing.import_file(uow, ROOT / "fixtures" / name, detect=False)
                    uow.commit()
        alone = medians(db, args.runs)
        with store.uow() as writer:  # the write lock, held while the readers run
            writer.session.execute(select(orm.claims.c.id).limit(1)).all()
            locked = medians(db, args.runs)
            writer.rollback()
    finally:
        store.dispose()
        tmp.cleanup()

    ok = True
    print(f"{'read command':<18} {'alone (baseline)':>17} {'writer holds lock':>18} {'ratio':>6}   (median of {args.runs})")
    for read in READS:
        a, b = alone[read], locked[read]
        good = b <= 1.5 * a + 0.2
        ok &= good
        print(f"{' '.join(read):<18} {a:>16.2f}s {b:>17.2f}s {b / a:>6.2f}{'' if good else '   MISSED'}")
    return 0 if ok or args.no_assert else 1


if __name__ == "__main__":
    sys.exit(main())
