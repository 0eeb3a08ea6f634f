"""Import speed: verifier's import code path against a raw sqlite3 executemany.

Generates N claims (default 200,000) as a JSON Lines file, imports it into a fresh SQLite
file through the same code as `verifier import` (validation, planning, Core executemany,
FTS5 index maintenance, audit event), with near-duplicate detection off, and measures in
the same run a raw `sqlite3` executemany of the same rows (already parsed, in memory)
into an equivalent table (verifier's claims and relay tables: same columns and indexes,
on a connection with verifier's own PRAGMAs). Prints both rates and their ratio (target:
at least 1/3).

    python bench/import_speed.py [--claims N] [--detect]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("militia forces withdrew village fires crops reinforcements brigade recruits camp airport "
         "street names school checkpoint office fighters border training deployment convoy shelling "
         "drone strike council market hospital bridge road district province city region").split()
PLACES = ["Al-Bukamal", "Deir ez-Zor", "Aleppo", "Al-Mayadin", "Abu Khashab", "Daraa", "Quneitra", "Homs", "Palmyra"]


def generate(path: Path, n: int, n_sources: int = 2000, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    rows = []
    with open(path, "w", encoding="utf-8") as fh:
        for s in range(n_sources):
            rec = {"kind": "source", "id": f"s{s}", "name": f"Source {s}", "type": rnd.choice(["outlet", "monitor", "social"])}
            fh.write(json.dumps(rec) + "\n")
        for i in range(n):
            words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 14)))
            rec = {"kind": "claim", "id": f"g{i}", "text": f"{words} in {rnd.choice(PLACES)} {rnd.randint(1, 9999)}",
                   "source": f"s{rnd.randrange(n_sources)}", "published": f"2020-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                   "location": rnd.choice(PLACES), "tags": ["generated"]}
            if i % 3 == 0:
                rec["via"] = [f"s{rnd.randrange(n_sources)}"]
                if rec["via"][0] == rec["source"]:
                    del rec["via"]
            fh.write(json.dumps(rec) + "\n")
            rows.append(rec)
    return rows


def _raw_connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the settings verifier's own connections get
    (WAL, synchronous, cache size, foreign keys), so the baselines differ only in code."""
    from verifier.bootstrap import SQLITE_PRAGMAS

    db = sqlite3.connect(path, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        db.execute(f"PRAGMA {pragma}")
    return db


def raw_rate(rows: list[dict], tmp: Path) -> float:
    """The baseline: the same rows, already in memory as tuples, into an equivalent table
    (verifier's own claims and relay tables: same columns and indexes, no FTS) with
    sqlite3 executemany, in one transaction."""
    from sqlalchemy import create_engine

    from verifier.adapters import orm

    path = tmp / "raw.db"
    engine = create_engine(f"sqlite:///{path}")
    orm.metadata.create_all(engine, tables=[orm.sources, orm.documents, orm.claims, orm.claim_relays])
    engine.dispose()
    db = _raw_connect(path)
    sources = sorted({r["source"] for r in rows} | {v for r in rows for v in r.get("via", [])})
    sid = {k: i + 1 for i, k in enumerate(sources)}
    now = "2026-01-01 00:00:00.000000"
    claim_params = [(i + 1, r["id"], r["text"], r["text"], sid[r["source"]], r["published"], r["location"],
                     json.dumps(r["tags"])) for i, r in enumerate(rows)]
    relay_params = [(i + 1, p, sid[v]) for i, r in enumerate(rows) for p, v in enumerate(r.get("via", []))]
    t0 = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("INSERT INTO sources (id, key, name, kind, aliases, created_at) VALUES (?, ?, ?, 'unknown', '[]', ?)",
                   [(i, k, k, now) for k, i in sid.items()])
    # the values every row shares are written once in the statement, as verifier's writer does
    db.executemany("INSERT INTO claims (id, key, text, norm, source_id, published, location, tags, status, created_at, "
                   f"support, contradicted) VALUES (?,?,?,?,?,?,?,?,'unresolved','{now}',0,0)", claim_params)
    db.executemany("INSERT INTO claim_relays (claim_id, position, source_id) VALUES (?,?,?)", relay_params)
    db.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    db.close()
    return len(rows) / elapsed


def raw_file_rate(src: Path, tmp: Path) -> float:
    """A second baseline: a naive raw loader that reads the same JSONL file (json.loads per
    line) and executemanys the claims into the same tables. Same work minus verifier's
    validation, normalisation, relay chains, text index and audit."""
    from sqlalchemy import create_engine

    from verifier.adapters import orm

    path = tmp / "rawfile.db"
    engine = create_engine(f"sqlite:///{path}")
    orm.metadata.create_all(engine, tables=[orm.sources, orm.documents, orm.claims, orm.claim_relays])
    engine.dispose()
    db = _raw_connect(path)
    now = "2026-01-01 00:00:00.000000"
    t0 = time.perf_counter()
    sid: dict[str, int] = {}
    params = []
    with open(src, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["kind"] == "source":
                sid[r["id"]] = len(sid) + 1
            else:
                params.append((len(params) + 1, r["id"], r["text"], r["text"], sid[r["source"]], r.get("published"),
                               r.get("location"), json.dumps(r.get("tags", [])), "unresolved", now, 0, 0))
    db.execute("BEGIN")
    db.executemany("INSERT INTO sources (id, key, name, kind, aliases, created_at) VALUES (?, ?, ?, 'unknown', '[]', ?)",
                   [(i, k, k, now) for k, i in sid.items()])
    db.executemany("INSERT INTO claims (id, key, text, norm, source_id, published, location, tags, status, created_at, "
                   "support, contradicted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", params)
    db.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    db.close()
    return len(params) / elapsed


def verifier_rate(path: Path, tmp: Path, n: int, detect: bool) -> tuple[float, dict]:
    from verifier import bootstrap
    from verifier.services import importing

    store = bootstrap.connect(tmp / "verifier.db", "bench")
    t0 = time.perf_counter()
    uow = store.uow()
    with uow:
        counts = importing.import_file(uow, path, detect=detect)
        uow.commit()
    elapsed = time.perf_counter() - t0
    store.dispose()
    return n / elapsed, counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=200_000)
    ap.add_argument("--detect", action="store_true", help="with near-duplicate detection on")
    ap.add_argument("--no-assert", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        src = tmp / "claims.jsonl"
        rows = generate(src, args.claims)
        raw = raw_rate(rows, tmp)
        ours, counts = verifier_rate(src, tmp, args.claims, args.detect)
        raw2 = raw_rate(rows, _fresh(tmp))
        from_file = raw_file_rate(src, tmp)
    baseline = (raw + raw2) / 2
    ratio = ours / baseline
    print(f"claims imported:        {counts['claims']:,} (+{counts['sources']:,} sources), detection {'on' if args.detect else 'off'}")
    print(f"raw sqlite3 executemany: {baseline:,.0f} claims/s (two runs: {raw:,.0f}, {raw2:,.0f}; rows in memory, same tables, indexes and PRAGMAs)")
    print(f"verifier import:         {ours:,.0f} claims/s (from the file: read, validate, plan, insert, FTS5 index, audit)")
    print(f"raw loader from the file: {from_file:,.0f} claims/s (json.loads per line + executemany, same tables)")
    print(f"ratio:                   {ratio:.2f} against the in-memory executemany (target >= 0.33); "
          f"{ours / from_file:.2f} against the raw loader from the file")
    if not args.no_assert and ratio < 1 / 3:
        print("TARGET MISSED", file=sys.stderr)
        return 1
    return 0


def _fresh(tmp: Path) -> Path:
    d = tmp / "again"
    d.mkdir(exist_ok=True)
    return d


if __name__ == "__main__":
    sys.exit(main())
