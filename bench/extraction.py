#!/usr/bin/env python
"""Attributed claims read from prose (issue 12): quality on the seed report and PolNeAR, and speed.

(a) Seed: the Alma Center's May 2020 field report (``../shared/seed/field-report-2020-05.txt``,
    published 2020-05-18) against its hand-checked encoding ``fixtures/seed-field-report-2020-05.jsonl``.
    Each fixture claim is paired one to one with the proposal whose text is nearest (rapidfuzz
    token_set_ratio >= 70, best pairs first); for each pair: the source (the proposal's resolved
    name, or the publisher when it speaks in its own voice, against the fixture source's name and
    aliases), the relay chain (the proposal's relays then the publisher, against the fixture's
    ``via``), value and qualifier (both absent counts as right). Proposals paired with no fixture
    claim are extra. Targets: every attributed fixture claim with its source and relay, >= 90%
    of values and qualifiers right, <= 3 extra proposals.
(b) PolNeAR: the split (dev by default) exported with ``../shared/tools/polnear.py export``; each
    backend runs over all articles in this process; only attributed proposals (with a cue) are
    written, ``source`` = the mention as written, ``start``/``end`` = the claim's offsets; scored
    by ``polnear.py score`` (text overlap, its default) and also with ``--offsets``. A regex
    baseline written here runs in the same pass. Targets on dev: rules F1 >= 0.55, joint >= 0.45;
    spaCy F1 >= 0.68, joint >= 0.60.
(c) Speed: words per second of each backend on a 10,000-word report (dev articles joined; the
    model's load time is printed apart). Targets: <= 2 s rules, <= 10 s spaCy.

Usage: python bench/extraction.py [--split dev|train] [--backends rules,spacy] [--only seed,polnear,speed]
The spaCy backend needs the ``nlp`` extra; without it its rows say so and are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from verifier.domain.extraction import extract  # noqa: E402
from verifier.domain.model import Qualifier  # noqa: E402

console = Console(width=max(140, Console().width))
SEED_PUBLISHED = date(2020, 5, 18)


def shared_dir() -> Path:
    env = os.environ.get("VERIFIER_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


# --------------------------------------------------------------------------- (a) seed

def _norm(name: str | None) -> str:
    return re.sub(r"[^\w]+", " ", (name or "").lower()).strip()


def _source_ids(records: list[dict]) -> dict[str, set[str]]:
    return {r["id"]: {_norm(r["name"]), *(_norm(a) for a in r.get("aliases", ()))}
            for r in records if r["kind"] == "source"}


def _same_source(name: str | None, names: set[str]) -> bool:
    return any(fuzz.ratio(_norm(name), n) >= 90 for n in names)


def _value_pair(value, qualifier) -> tuple:
    if value is None:
        return (None, None)
    return (float(value), Qualifier.parse(qualifier or "exact", "qualifier").value)


def seed(backend: str) -> dict:
    text = (shared_dir() / "seed" / "field-report-2020-05.txt").read_text(encoding="utf-8")
    records = [json.loads(line) for line in (ROOT / "fixtures" / "seed-field-report-2020-05.jsonl").open()]
    names = _source_ids(records)
    publisher = next(r["publisher"] for r in records if r["kind"] == "document")
    claims = [r for r in records if r["kind"] == "claim"]
    started = time.perf_counter()
    proposals = extract(text, published=SEED_PUBLISHED, backend=backend)
    elapsed = time.perf_counter() - started
    pairs = sorted(((fuzz.token_set_ratio(p.text, c["text"]), i, j) for i, p in enumerate(proposals)
                    for j, c in enumerate(claims)), reverse=True)
    taken_p, taken_c, matched = set(), set(), {}
    for score, i, j in pairs:
        if score >= 70 and i not in taken_p and j not in taken_c:
            taken_p.add(i)
            taken_c.add(j)
            matched[j] = proposals[i]
    rows = []
    for j, c in enumerate(claims):
        p = matched.get(j)
        attributed = c["source"] != publisher
        if p is None:
            rows.append((c["id"], attributed, False, False, False, False, "-", "-"))
            continue
        source = p.source_name if p.source_mention else None
        source_ok = _same_source(source, names[c["source"]]) if source else c["source"] == publisher
        chain = [*p.via, publisher] if p.source_mention else []
        relay_ok = [v if v == publisher else _norm(v) for v in chain] == \
            [v if v == publisher else _norm(v) for v in c.get("via", [])]
        value_ok = _value_pair(p.value, p.qualifier) == _value_pair(c.get("value"), c.get("qualifier"))
        rows.append((c["id"], attributed, True, source_ok, relay_ok, value_ok,
                     f"{source or publisher} via {chain}", f"{p.value} {p.qualifier}"))
    extras = [p for i, p in enumerate(proposals) if i not in taken_p]
    return {"rows": rows, "extras": extras, "n": len(claims), "seconds": elapsed}


def print_seed(backend: str, res: dict) -> None:
    table = Table(title=f"seed report, backend {backend}")
    for col in ("claim", "attributed", "found", "source", "relay", "value+qual", "proposed source", "proposed value"):
        table.add_column(col)
    for row in res["rows"]:
        table.add_row(*(("yes" if v else "NO") if isinstance(v, bool) else str(v) for v in row))
    console.print(table)
    rows = res["rows"]
    att = [r for r in rows if r[1]]
    console.print(
        f"[{backend}] fixture claims proposed {sum(r[2] for r in rows)}/{len(rows)}; attributed claims found with "
        f"right source and relay {sum(r[2] and r[3] and r[4] for r in att)}/{len(att)}; all claims: source right "
        f"{sum(r[3] for r in rows)}/{len(rows)}, relay right {sum(r[4] for r in rows)}/{len(rows)}, value and "
        f"qualifier right {sum(r[5] for r in rows)}/{len(rows)} ({100 * sum(r[5] for r in rows) / len(rows):.0f}%), "
        f"of the {sum(1 for r in rows if r[7] not in ('-', 'None None'))} proposals with a value; extra proposals "
        f"{len(res['extras'])}", highlight=False, markup=False)
    for p in res["extras"]:
        console.print(f"   extra: {p.text[:100]!r} (source {p.source_mention!r}, cue {p.cue!r})",
                      highlight=False, markup=False)


# --------------------------------------------------------------------------- (b) PolNeAR

_BASELINE_SENT = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’']*|$)")
_BASELINE_CUE = re.compile(
    r"(?P<src>\b(?:[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*|he|she|they|He|She|They|I|We|who))\s+"
    r"(?:also\s+|has\s+|had\s+)?(?P<cue>said|says|say|told|tells|added|wrote|argued|noted|claimed|reported|"
    r"explained|announced|tweeted|asked)\b|\b(?P<cue2>[Aa]ccording to)\s+(?P<src2>[^,.]+)")


def _baseline_sentences(text: str):
    """(start, end) of each line's pieces cut at . ! ? (and the closing quotes after them)."""
    for line in re.finditer(r"[^\n]+", text):
        for m in _BASELINE_SENT.finditer(line.group(0)):
            yield line.start() + m.start(), line.start() + m.end()


def baseline(text: str) -> list[dict]:
    """The regex baseline: a capitalised name or pronoun before a few speech verbs, or the words
    after "according to"; the content is the rest of the sentence on the longer side of the cue."""
    out = []
    for start, end in _baseline_sentences(text):
        sentence = text[start:end]
        m = _BASELINE_CUE.search(sentence)
        if not m:
            continue
        source = m.group("src") or m.group("src2")
        before, after = sentence[:m.start()], sentence[m.end():]
        lead = len(after) - len(re.sub(r"^\s*(?:that\s+)?", "", after))
        a, b = (start + m.end() + lead, end) if len(after.split()) >= len(before.split()) else (start, start + m.start())
        if text[a:b].strip(" ,.\"”“"):
            out.append({"text": text[a:b].strip(), "source": source, "start": a, "end": b})
    return out


def _polnear_tool() -> Path:
    return shared_dir() / "tools" / "polnear.py"


def export(split: str, out: Path) -> None:
    subprocess.run([sys.executable, str(_polnear_tool()), "export", "--split", split, "--out", str(out),
                    "--repo", str(shared_dir() / "datasets" / "polnear")], check=True, capture_output=True)


def run_backend(name: str, docs: list[dict], folder: Path, progress: Progress) -> tuple[Path, float]:
    pred = folder / f"pred-{name}.jsonl"
    task = progress.add_task(f"{name:<8}", total=len(docs))
    elapsed = 0.0
    with pred.open("w", encoding="utf-8") as f:
        for d in docs:
            text = (folder / f"{d['doc']}.txt").read_text(encoding="utf-8")
            published = date.fromisoformat(d["date"]) if d.get("date") else None
            started = time.perf_counter()
            if name == "baseline":
                rows = baseline(text)
            else:
                rows = [{"text": p.text, "source": p.source_mention, "start": p.start, "end": p.end}
                        for p in extract(text, published=published, backend=name, own_voice=False) if p.cue]
            elapsed += time.perf_counter() - started
            for r in rows:
                f.write(json.dumps({"doc": d["doc"], **r}, ensure_ascii=False) + "\n")
            progress.advance(task)
    return pred, elapsed


def score(folder: Path, pred: Path, offsets: bool) -> dict:
    out = pred.with_suffix(".offsets.json" if offsets else ".score.json")
    subprocess.run([sys.executable, str(_polnear_tool()), "score", "--gold", str(folder / "gold.jsonl"),
                    "--pred", str(pred), "--json", str(out), *(["--offsets"] if offsets else [])],
                   check=True, capture_output=True)
    return json.loads(out.read_text())


def polnear(split: str, backends: list[str], keep: Path | None) -> None:
    folder = keep or Path(tempfile.mkdtemp(prefix="polnear-"))
    export(split, folder)
    docs = [json.loads(line) for line in (folder / "docs.jsonl").open()]
    table = Table(title=f"PolNeAR {split}: {len(docs)} articles (strict match 50/50)")
    for col in ("extractor", "preds", "P", "R", "F1", "joint F1", "source acc.", "F1 (offsets)",
                "joint (offsets)", "seconds"):
        table.add_column(col, justify="right")
    with Progress(console=console, transient=False) as progress:
        results = []
        for name in ["baseline", *backends]:
            try:
                pred, seconds = run_backend(name, docs, folder, progress)
            except ImportError as err:
                console.print(f"{name}: skipped ({err})", markup=False)
                continue
            results.append((name, score(folder, pred, False), score(folder, pred, True), seconds))
    for name, res, off, seconds in results:
        s, o = res["strict"], off["strict"]
        table.add_row(name, str(res["n_pred"]), f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}",
                      f"{s['joint_f1']:.3f}", f"{s['source_acc_strict'] or 0:.3f}", f"{o['f1']:.3f}",
                      f"{o['joint_f1']:.3f}", f"{seconds:.1f}")
    console.print(table)
    console.print(f"predictions and scores in {folder}", markup=False, highlight=False)


# --------------------------------------------------------------------------- (c) speed

def speed(backends: list[str], split_folder: Path | None) -> None:
    folder = split_folder or Path(tempfile.mkdtemp(prefix="polnear-"))
    if not (folder / "docs.jsonl").exists():
        export("dev", folder)
    paragraphs: list[str] = []
    words = 0
    for path in sorted(folder.glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            if words >= 10_000:
                break
            if para.strip():
                paragraphs.append(para)
                words += len(para.split())
    report = "\n\n".join(paragraphs)
    n_words = len(report.split())
    table = Table(title=f"speed: one report of {n_words} words")
    for col in ("backend", "first call s (load)", "seconds", "words/s", "proposals", "target s"):
        table.add_column(col, justify="right")
    targets = {"rules": 2.0, "spacy": 10.0}
    for name in backends:
        try:
            started = time.perf_counter()
            extract("Smith said the test works.", backend=name)
            load = time.perf_counter() - started
        except ImportError as err:
            console.print(f"{name}: skipped ({err})", markup=False)
            continue
        started = time.perf_counter()
        proposals = extract(report, published=date(2016, 10, 1), backend=name)
        seconds = time.perf_counter() - started
        table.add_row(name, f"{load:.2f}", f"{seconds:.2f}", f"{n_words / seconds:,.0f}", str(len(proposals)),
                      f"{targets.get(name, 0):.0f}")
    console.print(table)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    ap.add_argument("--backends", default="rules,spacy")
    ap.add_argument("--only", default="seed,polnear,speed")
    ap.add_argument("--keep", type=Path, help="folder for the export, predictions and scores")
    args = ap.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    only = set(args.only.split(","))
    if "seed" in only:
        for name in backends:
            try:
                print_seed(name, seed(name))
            except ImportError as err:
                console.print(f"{name}: skipped ({err})", markup=False)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    if "polnear" in only:
        polnear(args.split, backends, args.keep)
    if "speed" in only:
        speed(backends, args.keep if args.keep and (args.keep / "docs.jsonl").exists() else None)


if __name__ == "__main__":
    main()
