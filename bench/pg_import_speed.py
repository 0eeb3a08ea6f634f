"""Import speed on PostgreSQL: verifier's import code path against a raw ``COPY``.

Generates N claims (``import_speed.generate``, default 1,000,000), imports the file into a
fresh schema through the same code as ``verifier import`` (validation, planning, Core
executemany, the full-text index, the audit event; near-duplicate detection off), and in
the same run ``COPY``s the same rows (already parsed, in memory) into equivalent tables
(verifier's sources, claims and relay tables with their indexes; no full-text index) in a
second fresh schema. Prints both rates and their ratio (target: at least 1/3).

    python bench/pg_import_speed.py [--db postgresql+psycopg://postgres@127.0.0.1:5432/test] [--claims N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_speed import generate  # noqa: E402  (the same generated claims as on SQLite)

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _schema_url(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def copy_rate(rows: list[dict], url: str, schema: str) -> float:
    import psycopg
    from sqlalchemy import create_engine

    from verifier.adapters import orm

    engine = create_engine(_schema_url(url, schema))
    orm.metadata.create_all(engine, tables=[orm.sources, orm.documents, orm.claims, orm.claim_relays])
    engine.dispose()
    sources = sorted({r["source"] for r in rows} | {v for r in rows for v in r.get("via", [])})
    sid = {k: i + 1 for i, k in enumerate(sources)}
    now = datetime(2026, 1, 1)
    claim_rows = [(i + 1, r["id"], r["text"], r["text"], sid[r["source"]], r["published"], r["location"],
                   json.dumps(r["tags"]), "unresolved", now, 0, 0) for i, r in enumerate(rows)]
    relay_rows = [(i + 1, p, sid[v]) for i, r in enumerate(rows) for p, v in enumerate(r.get("via", []))]
    with psycopg.connect(_dsn(url), options=f"-csearch_path={schema}") as conn:
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            with cur.copy("COPY sources (id, key, name, kind, aliases, created_at) FROM STDIN") as cp:
                for k, i in sid.items():
                    cp.write_row((i, k, k, "unknown", "[]", now))
            with cur.copy("COPY claims (id, key, text, norm, source_id, published, location, tags, status, "
                          "created_at, support, contradicted) FROM STDIN") as cp:
                for row in claim_rows:
                    cp.write_row(row)
            with cur.copy("COPY claim_relays (claim_id, position, source_id) FROM STDIN") as cp:
                for row in relay_rows:
                    cp.write_row(row)
        conn.commit()
        elapsed = time.perf_counter() - t0
    return len(rows) / elapsed


def verifier_rate(src: Path, url: str, schema: str, n: int) -> tuple[float, dict]:
    from verifier import bootstrap
    from verifier.services import importing

    store = bootstrap.connect(_schema_url(url, schema), "bench")
    t0 = time.perf_counter()
    uow = store.uow()
    with uow:
        counts = importing.import_file(uow, src, detect=False)
        uow.commit()
    elapsed = time.perf_counter() - t0
    store.dispose()
    return n / elapsed, counts


def main(argv=None) -> int:
    import psycopg

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=DEFAULT_DB, help="a PostgreSQL URL (two scratch schemas are made and dropped)")
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--no-assert", action="store_true")
    args = ap.parse_args(argv)
    tag = uuid.uuid4().hex[:8]
    ours_schema, raw_schema = f"bench_v_{tag}", f"bench_raw_{tag}"
    with psycopg.connect(_dsn(args.db), autocommit=True) as conn:
        for s in (ours_schema, raw_schema):
            conn.execute(f"CREATE SCHEMA {s}")
    try:
        with tempfile.TemporaryDirectory() as d:
            src = Path(d) / "claims.jsonl"
            rows = generate(src, args.claims)
            raw = copy_rate(rows, args.db, raw_schema)
            ours, counts = verifier_rate(src, args.db, ours_schema, args.claims)
    finally:
        with psycopg.connect(_dsn(args.db), autocommit=True) as conn:
            for s in (ours_schema, raw_schema):
                conn.execute(f"DROP SCHEMA IF EXISTS {s} CASCADE")
    ratio = ours / raw
    print(f"claims imported:  {counts['claims']:,} (+{counts['sources']:,} sources) into PostgreSQL, detection off")
    print(f"raw COPY:         {raw:,.0f} claims/s (rows in memory, same tables and indexes, no full-text index)")
    print(f"verifier import:  {ours:,.0f} claims/s (from the file: read, validate, plan, insert, full-text index, audit)")
    print(f"ratio:            {ratio:.2f} (target >= 0.33)")
    if not args.no_assert and ratio < 1 / 3:
        print("TARGET MISSED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
