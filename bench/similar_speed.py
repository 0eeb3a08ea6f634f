"""``similar`` at a million claims, on PostgreSQL and SQLite side by side.

    python bench/similar_speed.py                          # PostgreSQL (database verifier_bench_pgbench) and SQLite
    python bench/similar_speed.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test --keep
    python bench/similar_speed.py --skip-sqlite --claims 100000

The tracked claims are ``dedupe_speed.generate_claims`` (1,000,000 by default: made-up
vocabulary, clusters of reworded reports); the queries are the next ``--queries`` arrivals,
many of which repeat a tracked report. On PostgreSQL the claims are imported through the
import path (``services.importing.import_file``, detection off) into a scratch database
named after the server's (``<db>_pgbench_similar``), created here and dropped at the end
unless ``--keep`` (a kept database is reused by the next run). On SQLite the store is
``dedupe_speed.million_db`` (cached in bench/out/).

Each query goes through ``views.similar`` (what ``verifier similar`` calls; lexical); beside
it, in the same run, the raw baseline: the index query alone as bare SQL on the terms
``similar`` sends (FTS5 MATCH with bm25, top 50; PostgreSQL @@ on the GIN expression index),
no ranking in Python, no rapidfuzz. Prints median and p95 of both (target: median <= 50
ms), then recall against a brute-force rapidfuzz scan of every tracked claim on a sample
of queries (see ``recall``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _pg import drop_database, ensure_database, scratch_url  # noqa: E402
from dedupe_speed import generate_claims, million_db, write_jsonl  # noqa: E402

from verifier.domain import normalisation, similarity

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHUNK = 100_000


def _count(store) -> int:
    from verifier.adapters import textindex

    with store.uow(readonly=True) as uow:
        return textindex.claim_count(uow.session)


def build_pg(url: str, texts: list[str]) -> None:
    """The claims imported through the import path, in files of CHUNK, unless already there."""
    from verifier import bootstrap
    from verifier.services import importing

    store = bootstrap.connect(url, "bench")
    have = _count(store)
    if have == len(texts):
        store.dispose()
        return
    if have:
        raise SystemExit(f"{url} holds {have:,} claims, not {len(texts):,}: drop it or pass another --db")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        for first in range(0, len(texts), CHUNK):
            src = Path(d) / "part.jsonl"
            write_jsonl(src, texts[first:first + CHUNK], first=first)
            uow = store.uow()
            with uow:
                importing.import_file(uow, src, detect=False)
                uow.commit()
            print(f"  (imported {first + CHUNK:,} claims into PostgreSQL, {time.perf_counter() - start:.0f}s)", flush=True)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.dispose()


def raw_lookup(session, query: str) -> float:
    """The baseline, seconds: the index query alone, as bare SQL, on the terms ``similar``
    would send (chosen outside the timer): no ranking in Python, no rapidfuzz, no keys."""
    from sqlalchemy import text

    from verifier.adapters import textindex
    from verifier.domain.normalisation import query_terms

    terms = query_terms(query)
    if session.get_bind().dialect.name == "sqlite":
        terms = textindex._affordable_terms(session, terms)
        sql = text("SELECT rowid, bm25(claim_fts) AS rank FROM claim_fts WHERE claim_fts MATCH :q ORDER BY rank LIMIT 50")
        q = textindex._fts5_query(terms)
    else:
        terms = list(textindex._pg_affordable_terms(session, terms))
        sql = text("SELECT id, norm FROM claims WHERE to_tsvector('simple', norm) @@ to_tsquery('simple', :q)")
        q = textindex._tsquery(terms)
    t0 = time.perf_counter()
    session.execute(sql, {"q": q}).all()
    return time.perf_counter() - t0


def _ms(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return 1000 * statistics.median(ordered), 1000 * ordered[int(0.95 * (len(ordered) - 1))]


def recall(session, asked: list[str], contents: list[str], sample: int) -> tuple[int, int]:
    """(found, wanted) over the first ``sample`` queries: wanted, the tracked claims (at most
    10 a query, the best) a brute-force scan scores >= T1 with the pair score; found, those
    ``similar`` returns in its top 10. The scan: rapidfuzz ``token_set_ratio`` >= 50 of the
    content words (stopwords out) over every tracked claim (native, all cores), then the
    pair score on what passes."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from verifier import views
    from verifier.domain import matching

    found = wanted = 0
    for q in asked[:sample]:
        words = normalisation.content_words(normalisation.normalise(q))
        rough = process.cdist([" ".join(words)], contents, scorer=fuzz.token_set_ratio, score_cutoff=50, workers=-1)[0]
        scored = sorted(((similarity.pair_scorer(words, contents[i].split()), i)
                         for i in np.flatnonzero(rough).tolist()), reverse=True)
        want = {f"g{i}" for score, i in scored[:10] if score >= matching.T1}
        if not want:
            continue
        got = {m.id for m in views.similar(session, q, 10, semantic=False)}
        wanted += len(want)
        found += len(want & got)
    return found, wanted


def measure(label: str, store, asked: list[str], contents: list[str], sample: int) -> float:
    from verifier import views

    ours, raw = [], []
    with store.uow(readonly=True) as uow:
        s = uow.session
        views.similar(s, asked[0], 10, semantic=False)  # warm: caches, temp vocabulary tables
        for q in asked:
            raw.append(raw_lookup(s, q))
            t0 = time.perf_counter()
            views.similar(s, q, 10, semantic=False)
            ours.append(time.perf_counter() - t0)
    (om, op), (rm, rp) = _ms(ours), _ms(raw)
    print(f"{label}: similar median {om:.1f} ms, p95 {op:.1f} ms over {len(asked)} queries; raw index lookup "
          f"median {rm:.1f} ms, p95 {rp:.1f} ms", flush=True)
    if sample:
        with store.uow(readonly=True) as uow:
            found, wanted = recall(uow.session, asked, contents, sample)
        print(f"{label}: recall against a brute-force rapidfuzz scan: {found / max(wanted, 1):.3f} ({found}/{wanted} "
              f"tracked claims scoring >= T1, top 10 of {sample} queries)", flush=True)
    return om


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=DEFAULT_DB, help="a PostgreSQL URL; the scratch database is made on its server")
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--recall-sample", type=int, default=20, help="queries checked against a brute-force scan")
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for the next run")
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-assert", action="store_true")
    args = ap.parse_args(argv)
    from verifier import bootstrap

    tracked = [t for t, _ in generate_claims(args.claims)]  # as dedupe_speed.million_db: ids g0, g1, ...
    asked = [t for t, _ in generate_claims(args.claims + args.queries)][args.claims:]  # the next arrivals
    medians = []
    from verifier.domain.normalisation import content_words, normalise

    contents = [] if args.build_only or not args.recall_sample else [" ".join(content_words(normalise(t))) for t in tracked]
    if not args.skip_pg:
        url, name = scratch_url(args.db, "_pgbench_similar")
        ensure_database(args.db, name)
        try:
            build_pg(url, tracked)
            if not args.build_only:
                store = bootstrap.connect(url, "bench")
                medians.append(measure(f"PostgreSQL, {args.claims:,} claims", store, asked, contents, args.recall_sample))
                store.dispose()
        finally:
            if not args.keep:
                drop_database(args.db, name)
    if not args.skip_sqlite:
        store = bootstrap.connect(million_db(args.claims), "bench")
        if not args.build_only:
            medians.append(measure(f"SQLite,     {args.claims:,} claims", store, asked, contents, args.recall_sample))
        store.dispose()
    if medians and max(medians) > 50 and not args.no_assert:
        print("TARGET MISSED (median > 50 ms)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
