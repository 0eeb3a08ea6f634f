#!/usr/bin/env python
"""Writers side by side (issue 22): each figure beside the same operations run one at a
time in the same run, on PostgreSQL and on SQLite.

1. Resolves while an import runs: one analyst resolves claims again and again (each resolve
   its own transaction, timed from call to commit) while an import of N claims runs in
   another connection. Printed: p50/p95/max of the resolves during the import; the same
   resolves with nothing else running (the baseline); and on PostgreSQL the same again
   under the old design, every write transaction taking one database-wide advisory lock at
   BEGIN (``--no-old`` skips it).
2. Four imports of distinct files at once, against the sum of the same four run one after
   another (the ratio; the issue's target on PostgreSQL: at most 0.6).

On SQLite one writer at a time is the design: a writer waits (busy_timeout 60 s) and the
wait is the figure; "database is locked" failures are counted (target: none).

Usage: python bench/concurrency.py [--claims 10000] [--each 1500] [--pg URL] [--no-pg]
Near-duplicate detection is off in the imports (--detect turns it on): what is measured is
who waits for whom, not the detector.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from verifier import bootstrap  # noqa: E402
from verifier.services import commands, importing  # noqa: E402
from verifier.services.unit_of_work import retried  # noqa: E402


@retried
def import_file(uow, path, detect: bool = False) -> dict:
    """One file in one transaction, as `verifier import` runs it."""
    with uow:
        counts = importing.import_file(uow, path, detect=detect)
        uow.commit()
        return counts

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
VERDICTS = ("true", "false", "mixed", "mostly-true")


def write_file(path: Path, tag: str, n: int) -> Path:
    lines = [{"kind": "source", "id": f"src-{tag}", "name": f"Source {tag}"}]
    if tag == "r":  # the claims analysts resolve: nothing like the imported ones (no link between them)
        lines += [{"kind": "claim", "id": f"r-{i}", "source": "src-r",
                   "text": f"Ministry statement {i} on wheat prices in the northern markets"} for i in range(n)]
    else:
        lines += [{"kind": "claim", "id": f"{tag}-{i}", "source": f"src-{tag}",
                   "text": f"Report {tag} {i}: {i % 97} shells fell on the village of {tag} quarter {i % 13} at {i} hours"}
                  for i in range(n)]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


def old_design(store: bootstrap.Store) -> None:
    """What every write transaction did before: one advisory lock for the whole transaction."""
    @event.listens_for(store.engine, "begin")
    def lock(conn):
        if not conn.get_execution_options().get("readonly"):
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(720194)")


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


def stats(xs: list[float]) -> str:
    if not xs:
        return "no resolves"
    return (f"n={len(xs):4d}  p50 {statistics.median(xs) * 1000:8.1f} ms  p95 {pct(xs, 0.95) * 1000:8.1f} ms  "
            f"max {max(xs) * 1000:8.1f} ms")


class Resolver:
    """Resolves claims r-0..r-9 in turn until stopped; each call timed; failures counted."""

    def __init__(self, store: bootstrap.Store):
        self.store, self.times, self.locked, self.failed = store, [], 0, []
        self.stop = threading.Event()

    def run(self, limit: int | None = None) -> None:
        i = 0
        while not self.stop.is_set() and (limit is None or i < limit):
            t0 = time.perf_counter()
            try:
                commands.resolve(self.store.uow(), f"r-{i % 10}", VERDICTS[i % 4], rationale=f"round {i}")
                self.times.append(time.perf_counter() - t0)
            except Exception as exc:  # noqa: BLE001 -- counted and printed
                self.locked += "database is locked" in str(exc)
                self.failed.append(repr(exc)[:200])
            i += 1
            time.sleep(0.05)


def fresh(kind: str, tmp: Path, pg: str) -> tuple[str, callable]:
    if kind == "sqlite":
        path = tmp / f"{uuid.uuid4().hex[:8]}.db"
        return str(path), lambda: None
    import psycopg

    name = "bench_" + uuid.uuid4().hex[:10]
    dsn = pg.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")

    def drop():
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")

    return f"{pg}{'&' if '?' in pg else '?'}options=-csearch_path%3D{name}", drop


def resolves_during_import(kind: str, tmp: Path, pg: str, n: int, detect: bool, old: bool) -> list[float] | None:
    url, drop = fresh(kind, tmp, pg)
    try:
        lead = bootstrap.connect(url, "lead")
        import_file(lead.uow(), write_file(tmp / "r.jsonl", "r", 10), detect=False)
        big = write_file(tmp / f"big-{uuid.uuid4().hex[:6]}.jsonl", "big", n)
        importer, analyst = bootstrap.connect(url, "importer"), bootstrap.connect(url, "analyst")
        if old:
            old_design(importer)
            old_design(analyst)
        res = Resolver(analyst)
        took = {}

        def run_import():
            t0 = time.perf_counter()
            import_file(importer.uow(), big, detect=detect)
            took["import"] = time.perf_counter() - t0
            res.stop.set()

        t = threading.Thread(target=run_import)
        r = threading.Thread(target=res.run)
        t.start()
        time.sleep(0.3)  # the import has begun its transaction
        r.start()
        t.join()
        r.join()
        label = "old design (lock at BEGIN)" if old else "now"
        print(f"  {kind:6s} resolves during a {n}-claim import ({took['import']:.1f} s), {label:27s}: {stats(res.times)}"
              + (f"  failures {len(res.failed)} (database is locked: {res.locked})" if res.failed else ""))
        for s in (lead, importer, analyst):
            s.dispose()
        return res.times
    finally:
        drop()


def resolves_alone(kind: str, tmp: Path, pg: str) -> None:
    url, drop = fresh(kind, tmp, pg)
    try:
        lead = bootstrap.connect(url, "lead")
        import_file(lead.uow(), write_file(tmp / "r.jsonl", "r", 10), detect=False)
        res = Resolver(lead)
        res.run(limit=65)
        res.times = res.times[5:]  # the first resolves warm the connection and the caches
        print(f"  {kind:6s} resolves alone (baseline){'':34s}: {stats(res.times)}")
        lead.dispose()
    finally:
        drop()


def warm(url: str, tmp: Path) -> None:
    """A store with a first small import done (the first one into a store pays for setting up)."""
    lead = bootstrap.connect(url, "lead")
    import_file(lead.uow(), write_file(tmp / f"w-{uuid.uuid4().hex[:6]}.jsonl", "w", 5), detect=False)
    lead.dispose()


def parallel_imports(kind: str, tmp: Path, pg: str, each: int, detect: bool) -> None:
    files = [write_file(tmp / f"p{i}-{uuid.uuid4().hex[:6]}.jsonl", f"p{i}", each) for i in range(4)]
    url, drop = fresh(kind, tmp, pg)
    try:
        warm(url, tmp)
        serial = []
        for f in files:
            s = bootstrap.connect(url, "one")
            t0 = time.perf_counter()
            import_file(s.uow(), f, detect=detect)
            serial.append(time.perf_counter() - t0)
            s.dispose()
    finally:
        drop()
    files = [write_file(tmp / f"q{i}-{uuid.uuid4().hex[:6]}.jsonl", f"q{i}", each) for i in range(4)]
    url, drop = fresh(kind, tmp, pg)
    try:
        warm(url, tmp)
        stores = [bootstrap.connect(url, f"a{i}") for i in range(4)]
        errors, ends = [], []
        t0 = time.perf_counter()

        def one(i):
            try:
                import_file(stores[i].uow(), files[i], detect=detect)
            except Exception as exc:  # noqa: BLE001
                errors.append(repr(exc)[:200])
            ends.append(time.perf_counter() - t0)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        for s in stores:
            s.dispose()
    finally:
        drop()
    print(f"  {kind:6s} four imports of {each} claims: one after another {sum(serial):6.1f} s "
          f"({', '.join(f'{x:.1f}' for x in serial)}); at once {wall:6.1f} s "
          f"(finished at {', '.join(f'{x:.1f}' for x in sorted(ends))}): ratio {wall / sum(serial):.2f}"
          + (f"; failures {errors}" if errors else "; no failures"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=10_000)
    ap.add_argument("--each", type=int, default=1500)
    ap.add_argument("--pg", default=PG)
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--no-old", action="store_true")
    ap.add_argument("--detect", action="store_true")
    a = ap.parse_args()
    kinds = [k for k, skip in (("postgresql", a.no_pg), ("sqlite", a.no_sqlite)) if not skip]
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        print("1. resolves (each its own transaction, call to commit) while an import runs")
        for kind in kinds:
            resolves_alone(kind, tmp, a.pg)
            resolves_during_import(kind, tmp, a.pg, a.claims, a.detect, old=False)
            if kind == "postgresql" and not a.no_old:
                resolves_during_import(kind, tmp, a.pg, a.claims, a.detect, old=True)
        print("2. four imports of distinct files: at once vs one after another")
        for kind in kinds:
            parallel_imports(kind, tmp, a.pg, a.each, a.detect)
    return 0


if __name__ == "__main__":
    sys.exit(main())
