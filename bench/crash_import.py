"""Crash soak: SIGKILL `verifier import` of N claims at random points, many times, and check
after each kill that the store is whole and holds all of the file or none of it.

    python bench/crash_import.py                       # SQLite, 200,000 claims, 10 kills
    python bench/crash_import.py --kills 30 --claims 50000 --seed 7
    python bench/crash_import.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test

The test suite does a few kills (tests/robustness/test_crash_import.py); this runs as many
as you like. Kill points: a random time after start, or (SQLite) a random amount of WAL
written; PostgreSQL: a random time after the import's first write.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.robustness import crashkit  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=200_000)
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--db", default=None, help="a PostgreSQL URL (its schema must be empty); default: a temporary SQLite file")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="verifier-crash-"))
    data = crashkit.write_claims_file(work / "claims.jsonl", args.claims)
    db = args.db or str(work / "crash.db")
    pg = db.startswith("postgres")
    assert crashkit.run_cli(db, "init").returncode == 0
    print(f"seed {seed}, {args.claims} claims, {'PostgreSQL' if pg else db}")
    full_wal = 340 * args.claims
    for i in range(args.kills):
        app = f"verifier_crash_soak_{i}"
        url = crashkit.with_app_name(db, app) if pg else db
        base = 0 if pg else crashkit.wal_size(Path(db))
        t0 = time.monotonic()
        proc = crashkit.start_import(url, data)
        if pg:
            crashkit.wait_for(lambda proc=proc, app=app: proc.poll() is not None or crashkit.pg_has_written(db, app), 300, 0.05)
            time.sleep(rng.uniform(0, 20))
        elif rng.random() < 0.3:
            time.sleep(rng.uniform(0.2, 3.0))
        else:
            point = rng.uniform(0.0, 1.05) * full_wal
            crashkit.wait_for(lambda base=base, point=point, proc=proc: crashkit.wal_size(Path(db)) - base >= point
                              or proc.poll() is not None, 600, 0.01)
        killed = crashkit.kill(proc)
        if pg:
            crashkit.wait_for(lambda app=app: crashkit.pg_backends(db, app) == 0, 120, 0.1)
            counts = crashkit.pg_counts(db)
            integrity = ["ok"]
        else:
            state = crashkit.sqlite_check(Path(db))
            counts, integrity = state["counts"], state["integrity"]
        whole = counts["claims"] in (0, args.claims) and counts["claim_relays"] == counts["claims"]
        print(f"kill {i + 1}: after {time.monotonic() - t0:5.1f}s killed={killed} claims={counts['claims']} "
              f"integrity={integrity[0]} {'ok' if whole and integrity == ['ok'] else 'BROKEN'}")
        if not whole or integrity != ["ok"]:
            return 1
        if counts["claims"] == args.claims:
            print("the import committed before its kill: done")
            break
    done = crashkit.run_cli(db, "import", "--no-detect", str(data))
    verify = crashkit.run_cli(db, "audit", "verify")
    print(f"final import: exit {done.returncode}; audit verify: exit {verify.returncode}")
    return 0 if done.returncode == 0 and verify.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
