"""Claim-matching quality on CheckThat! 2020 task 2 (tweets -> 10,375 fact-checked claims).

    python bench/claim_matching.py                # dev and train, asserts the dev target
    python bench/claim_matching.py --no-assert --splits dev --fields vclaim

Compares (1) rapidfuzz token_set_ratio over all claims (exhaustive baseline), (2) SQLite
FTS5 bm25() alone, (3) verifier's pipeline: FTS5 candidates from ``query_terms`` then
``matching.rerank``; prints MAP@5, MRR, Recall@1, Recall@20, and the threshold study
from which ``matching.T1``/``T2`` were chosen (on train). Exits 1 when the pipeline
misses the dev target (MAP@5 >= 0.66) unless ``--no-assert``.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _checkthat import Split, VClaim, load_split, load_vclaims, metrics  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from verifier.domain import matching  # noqa: E402

TARGET_MAP5 = 0.66
TARGET_MAP5_SEMANTIC = 0.80
TOP = 20  # rankings are cut here (Recall@20)
SEMANTIC = "verifier + MiniLM fusion"


# --------------------------------------------------------------------------- index


class ClaimIndex:
    """A temporary SQLite file with the claims table and its external-content FTS5 index."""

    def __init__(self, path: Path, claims: Sequence[tuple[int, str]]) -> None:
        self.db = sqlite3.connect(path)
        self.db.executescript(
            """
            CREATE TABLE claims(id INTEGER PRIMARY KEY, text TEXT, norm TEXT);
            CREATE VIRTUAL TABLE claim_fts USING fts5(
                norm, content='claims', content_rowid='id',
                tokenize='unicode61 remove_diacritics 2');
            """
        )
        with self.db:
            self.db.executemany(
                "INSERT INTO claims(id, text, norm) VALUES (?, ?, ?)",
                [(cid, text, matching.normalise(text)) for cid, text in claims],
            )
            self.db.execute("INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')")

    def candidates(self, query: str, n: int) -> list[matching.Candidate]:
        terms = matching.query_terms(query)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self.db.execute(
            "SELECT c.id, c.text, c.norm, bm25(claim_fts) AS r FROM claim_fts"
            " JOIN claims c ON c.id = claim_fts.rowid"
            " WHERE claim_fts MATCH ? ORDER BY r LIMIT ?",
            (match, n),
        ).fetchall()
        return [matching.Candidate(id=i, text=t, norm=nm, rank=r) for i, t, nm, r in rows]

    def close(self) -> None:
        self.db.close()


# --------------------------------------------------------------------------- rankers

Ranker = Callable[[dict[int, str]], dict[int, list[int]]]


def rank_token_set(claims: Sequence[tuple[int, str]]) -> Ranker:
    import numpy as np

    ids = [cid for cid, _ in claims]
    norms = [matching.normalise(text) for _, text in claims]

    def run(queries: dict[int, str]) -> dict[int, list[int]]:
        qids = list(queries)
        scores = process.cdist(
            [matching.normalise(queries[q]) for q in qids], norms,
            scorer=fuzz.token_set_ratio, workers=2, dtype=np.uint8,
        )  # fmt: skip
        out = {}
        for row, qid in zip(scores, qids):
            top = np.argsort(-row.astype(np.int16), kind="stable")[:TOP]
            out[qid] = [ids[i] for i in top]
        return out

    return run


def rank_bm25(index: ClaimIndex) -> Ranker:
    def run(queries: dict[int, str]) -> dict[int, list[int]]:
        return {q: [c.id for c in index.candidates(t, TOP)] for q, t in queries.items()}

    return run


def pipeline_rank(index: ClaimIndex, query: str, n_candidates: int) -> list[matching.Scored]:
    """verifier's near-duplicate search: index candidates, then ``matching.rerank``.

    Kept apart so it can be switched to verifier's own ``similar`` service.
    """
    return matching.rerank(query, index.candidates(query, n_candidates), limit=TOP)


def rank_pipeline(index: ClaimIndex, n_candidates: int, keep: dict) -> Ranker:
    def run(queries: dict[int, str]) -> dict[int, list[int]]:
        out = {}
        for qid, text in queries.items():
            scored = pipeline_rank(index, text, n_candidates)
            keep[qid] = scored
            out[qid] = [s.id for s in scored]
        return out

    return run


# --------------------------------------------------------------------------- semantic


def cached_embed(texts: list[str]):
    """verifier's embeddings, cached outside the project (VERIFIER_BENCH_CACHE)."""
    import hashlib
    import os

    import numpy as np

    from verifier.adapters import embeddings

    root = Path(os.environ.get("VERIFIER_BENCH_CACHE") or Path.home() / ".cache" / "verifier" / "bench")
    digest = hashlib.sha256("\x00".join(["all-MiniLM-L6-v2", *texts]).encode()).hexdigest()[:24]
    path = root / f"emb-{digest}.npy"
    if path.exists():
        return np.load(path)
    start = time.perf_counter()
    vectors = embeddings.embed(texts)
    print(f"  (embedded {len(texts)} texts in {time.perf_counter() - start:.0f}s, cached in {path})")
    root.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


class Embedded:
    def __init__(self, claims: Sequence[tuple[int, str]]) -> None:
        self.ids = [cid for cid, _ in claims]
        self.row = {cid: i for i, cid in enumerate(self.ids)}
        self.matrix = cached_embed([text for _, text in claims])


def rank_dense(embedded: Embedded) -> Ranker:
    import numpy as np

    def run(queries: dict[int, str]) -> dict[int, list[int]]:
        qids = list(queries)
        sims = cached_embed([queries[q] for q in qids]) @ embedded.matrix.T
        return {q: [embedded.ids[j] for j in np.argsort(-row)[:TOP]] for q, row in zip(qids, sims)}

    return run


def pipeline_rank_semantic(index: ClaimIndex, embedded: Embedded, query: str, query_vector, n_candidates: int) -> list[matching.Scored]:
    """As ``pipeline_rank``, the candidates' cosines fused into the score."""
    candidates = index.candidates(query, n_candidates)
    rows = [embedded.row[c.id] for c in candidates]
    cosines = dict(zip((c.id for c in candidates), (embedded.matrix[rows] @ query_vector).tolist()))
    return matching.rerank(query, candidates, limit=TOP, cosines=cosines)


def rank_fused(index: ClaimIndex, embedded: Embedded, n_candidates: int, keep: dict) -> Ranker:
    def run(queries: dict[int, str]) -> dict[int, list[int]]:
        qids = list(queries)
        vectors = cached_embed([queries[q] for q in qids])
        out = {}
        for qid, vector in zip(qids, vectors):
            scored = pipeline_rank_semantic(index, embedded, queries[qid], vector, n_candidates)
            keep[qid] = scored
            out[qid] = [s.id for s in scored]
        return out

    return run


# --------------------------------------------------------------------------- thresholds


def same_text_groups(vclaims: Sequence[VClaim]) -> dict[int, set[int]]:
    """Claim id -> ids of the claims with the same normalised vclaim (the corpus holds
    copies that differ only in quote marks: 'x' vs "x"; they are true duplicates)."""
    by_norm: dict[str, set[int]] = {}
    for v in vclaims:
        by_norm.setdefault(matching.normalise(v.vclaim), set()).add(v.id)
    return {v.id: by_norm[matching.normalise(v.vclaim)] for v in vclaims}


def threshold_study(
    split: Split, scored: dict[int, list[matching.Scored]], same: dict[int, set[int]]
) -> tuple[float, float, list[str]]:
    """Score of the true pair vs. the best wrong candidate; T1 and T2 from rank-1 results.

    A copy of the gold claim (same normalised text) counts as a true pair here.
    """
    true_scores, wrong_scores, top1 = [], [], []
    for qid, gold in split.qrels.items():
        relevant = set().union(*(same.get(g, {g}) for g in gold))
        ranked = scored.get(qid, [])
        true = [s.score for s in ranked if s.id in relevant]
        wrong = [s.score for s in ranked if s.id not in relevant]
        true_scores.append(max(true) if true else 0.0)
        wrong_scores.append(max(wrong) if wrong else 0.0)
        if ranked:
            top1.append((ranked[0].score, ranked[0].id in relevant))

    def pct(values: list[float], p: float) -> float:
        values = sorted(values)
        return values[min(len(values) - 1, int(p * len(values)))] if values else 0.0

    lines = [
        f"  score of the true pair      p10 {pct(true_scores, .1):5.1f}  p25 {pct(true_scores, .25):5.1f}"
        f"  p50 {pct(true_scores, .5):5.1f}  p75 {pct(true_scores, .75):5.1f}",
        f"  best wrong candidate        p10 {pct(wrong_scores, .1):5.1f}  p25 {pct(wrong_scores, .25):5.1f}"
        f"  p50 {pct(wrong_scores, .5):5.1f}  p75 {pct(wrong_scores, .75):5.1f}",
        "  rank-1 suggestion at score >= t:   t   kept-true  precision  suggested",
    ]
    n_true = sum(1 for _, ok in top1 if ok)
    t1 = t2 = None
    rows = []
    for t in range(0, 101):
        above = [(s, ok) for s, ok in top1 if s >= t]
        good = sum(1 for _, ok in above if ok)
        kept = good / n_true if n_true else 0.0
        precision = good / len(above) if above else 1.0
        rows.append((t, kept, precision, len(above)))
        if kept >= 0.90:
            t1 = t
        if t2 is None and precision >= 0.97 and len(above) >= 10:
            t2 = t
    for t, kept, precision, n in rows:
        if t % 5 == 0 or t in (t1, t2):
            mark = "  <- T1" if t == t1 else "  <- T2" if t == t2 else ""
            lines.append(f"  {'':34s}{t:3d}   {kept:8.1%}  {precision:9.1%}  {n:9d}{mark}")
    return float(t1 or 0), float(t2 if t2 is not None else 100), lines


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--splits", default="dev,train")
    parser.add_argument("--fields", default="vclaim+title", choices=["vclaim", "title", "vclaim+title"])
    parser.add_argument("--candidates", type=int, default=100, help="index candidates per query")
    parser.add_argument("--no-assert", action="store_true")
    parser.add_argument("--no-baseline", action="store_true", help="skip the exhaustive token_set_ratio")
    parser.add_argument("--semantic", action="store_true", help="add all-MiniLM-L6-v2 (dense alone and fused)")
    parser.add_argument("--embed-fields", default="vclaim", choices=["vclaim", "title", "vclaim+title"])
    args = parser.parse_args(argv)

    vclaims: list[VClaim] = load_vclaims()
    claims = [(v.id, v.text(args.fields)) for v in vclaims]
    same = same_text_groups(vclaims)
    print(f"CheckThat! 2020 task 2: {len(claims)} verified claims ({args.fields}), "
          f"{args.candidates} FTS5 candidates per query, T1={matching.T1} T2={matching.T2}")  # fmt: skip

    embedded = None
    if args.semantic:
        embedded = Embedded([(v.id, v.text(args.embed_fields)) for v in vclaims])
        print(f"semantic: all-MiniLM-L6-v2 on {args.embed_fields}, score = matching.fuse(lexical, cosine), "
              f"SEMANTIC_T1={matching.SEMANTIC_T1} SEMANTIC_T2={matching.SEMANTIC_T2}")  # fmt: skip

    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        index = ClaimIndex(Path(tmp) / "claims.sqlite", claims)
        results: dict[str, dict[str, dict[str, float]]] = {}
        studies = {}
        for name in args.splits.split(","):
            split = load_split(name)
            kept: dict[int, list[matching.Scored]] = {}
            fused: dict[int, list[matching.Scored]] = {}
            rankers: list[tuple[str, Ranker]] = []
            if not args.no_baseline:
                rankers.append(("token_set_ratio (all pairs)", rank_token_set(claims)))
            rankers += [("FTS5 bm25", rank_bm25(index)),
                        ("verifier (FTS5 + rerank)", rank_pipeline(index, args.candidates, kept))]  # fmt: skip
            if embedded is not None:
                rankers += [("MiniLM cosine (all pairs)", rank_dense(embedded)),
                            (SEMANTIC, rank_fused(index, embedded, args.candidates, fused))]  # fmt: skip
            results[name] = {}
            for label, ranker in rankers:
                start = time.perf_counter()
                rankings = ranker(split.queries)
                elapsed = time.perf_counter() - start
                m = metrics(rankings, split.qrels)
                m["ms/query"] = 1000 * elapsed / max(1, len(split.queries))
                results[name][label] = m
            studies[name] = threshold_study(split, kept, same)
            if embedded is not None:
                studies[f"{name}, semantic"] = threshold_study(split, fused, same)

            print(f"\n{name}: {len(split.queries)} tweets")
            print(f"  {'method':30s} {'MAP@5':>7s} {'MRR':>7s} {'R@1':>7s} {'R@20':>7s} {'ms/query':>9s}")
            for label, m in results[name].items():
                print(f"  {label:30s} {m['MAP@5']:7.3f} {m['MRR']:7.3f} {m['R@1']:7.3f} {m['R@20']:7.3f} {m['ms/query']:9.1f}")
            for ours_label in [label for label in results[name] if label.startswith("verifier")]:
                ours = results[name][ours_label]["MAP@5"]
                ratios = [f"{ours / m['MAP@5']:.2f}x {label}" for label, m in results[name].items()
                          if not label.startswith("verifier") and m["MAP@5"] > 0]  # fmt: skip
                print(f"  {ours_label} MAP@5 vs baselines: " + ", ".join(ratios))
        index.close()

    for name, (t1, t2, lines) in studies.items():
        print(f"\nthreshold study on {name} (pipeline scores; T1 = highest t keeping >= 90% of the "
              f"true rank-1 pairs, T2 = lowest t with >= 97% rank-1 precision; a copy of the gold "
              f"claim counts as true):")  # fmt: skip
        print("\n".join(lines))
        used = ((matching.SEMANTIC_T1, matching.SEMANTIC_T2) if "semantic" in name
                else (matching.T1, matching.T2))  # fmt: skip
        print(f"  => {name}: T1 = {t1:.0f}, T2 = {t2:.0f}   (matching.py uses {used[0]:.0f}, {used[1]:.0f})")

    copies = sum(1 for ids in same.values() if len(ids) > 1)
    print(f"\n({copies} of the {len(same)} claims have a copy with the same normalised text; the MAP@5 "
          "above counts a copy of the gold claim as a miss, as the CheckThat! scorer does)")  # fmt: skip

    if "dev" in results:
        got = results["dev"]["verifier (FTS5 + rerank)"]["MAP@5"]
        ok = got >= TARGET_MAP5
        print(f"\ndev MAP@5 {got:.3f} {'meets' if ok else 'MISSES'} the target {TARGET_MAP5}")
        failed = not ok
        if SEMANTIC in results["dev"]:
            got = results["dev"][SEMANTIC]["MAP@5"]
            ok = got >= TARGET_MAP5_SEMANTIC
            print(f"dev MAP@5 {got:.3f} with semantic fusion {'meets' if ok else 'MISSES'} the target {TARGET_MAP5_SEMANTIC}")
            failed = failed or not ok
    if failed and not args.no_assert:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
