"""CheckThat! 2020 task 2 data (tweets -> fact-checked claims) and ranking metrics.

The data stays in ``shared/datasets/checkthat2020_task2`` beside the repository
(``VERIFIER_SHARED`` overrides where ``shared`` is); nothing is copied into the project.
"""

from __future__ import annotations

import csv
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


def shared_dir() -> Path:
    env = os.environ.get("VERIFIER_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def dataset_dir() -> Path:
    return shared_dir() / "datasets" / "checkthat2020_task2"


@dataclass(frozen=True)
class VClaim:
    id: int
    vclaim: str
    title: str

    def text(self, fields: str) -> str:
        if fields == "vclaim":
            return self.vclaim
        if fields == "title":
            return self.title
        return f"{self.vclaim} {self.title}"


@dataclass(frozen=True)
class Split:
    name: str
    queries: dict[int, str]  # tweet id -> text
    qrels: dict[int, set[int]]  # tweet id -> relevant vclaim ids


def _rows(path: Path) -> Iterable[list[str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)  # header: "", vclaim, title / "", tweet_content
        yield from reader


def load_vclaims(root: Path | None = None) -> list[VClaim]:
    root = root or dataset_dir()
    return [VClaim(int(r[0]), r[1], r[2]) for r in _rows(root / "verified_claims.docs.tsv")]


def load_split(name: str, root: Path | None = None) -> Split:
    root = root or dataset_dir()
    queries = {int(r[0]): r[1] for r in _rows(root / name / "tweets.queries.tsv")}
    qrels: dict[int, set[int]] = defaultdict(set)
    for line in (root / name / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and (len(parts) < 4 or parts[3] != "0"):
            qrels[int(parts[0])].add(int(parts[2]))
    return Split(name, {q: t for q, t in queries.items() if q in qrels}, dict(qrels))


def metrics(rankings: Mapping[int, Sequence[int]], qrels: Mapping[int, set[int]]) -> dict[str, float]:
    """MAP@5, MRR, Recall@1 and Recall@20 as the CheckThat! scorer computes them.

    AP@k = (sum of precision@i over the relevant items at ranks i <= k) / |relevant|;
    a query without a ranking counts as 0.
    """
    ap5 = rr = r1 = r20 = 0.0
    for qid, relevant in qrels.items():
        ranked = list(rankings.get(qid, ()))
        hits = 0
        precision_sum = 0.0
        first = None
        for i, cid in enumerate(ranked, start=1):
            if cid in relevant:
                hits += 1
                if i <= 5:
                    precision_sum += hits / i
                if first is None:
                    first = i
        ap5 += precision_sum / len(relevant)
        rr += 1.0 / first if first else 0.0
        r1 += len(relevant.intersection(ranked[:1])) / len(relevant)
        r20 += len(relevant.intersection(ranked[:20])) / len(relevant)
    n = max(1, len(qrels))
    return {"MAP@5": ap5 / n, "MRR": rr / n, "R@1": r1 / n, "R@20": r20 / n}
