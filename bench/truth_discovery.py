#!/usr/bin/env python
"""Truth discovery benchmark: verifier's copy-aware belief against the classic methods.

Prints, side by side, majority vote, the ``truthdiscovery`` package's Sums, AverageLog,
Investment, PooledInvestment and TruthFinder, and verifier's :func:`verifier.domain.truth.discover`:

* on Dong et al.'s AbeBooks set (``shared/datasets/book_truthdiscovery``): subject = ISBN,
  value = the author list normalised by :func:`normalise_authors` (the same for every method);
  accuracy on the 100 gold books. Target: verifier >= best other method + 0.03.
* on seeded generated scenarios with sources of known accuracy, silent copiers (copying a share
  of another source's values, its errors included) and a share of resolved subjects (anchors):
  accuracy on the unresolved subjects must beat every other method, and copy detection
  precision and recall must be >= 0.9.

The books are first written as the project's JSON Lines (``{"kind":"claim", ...,
"subject": isbn, "value": authors}``) and the arrays are built from those records, so the
real importer can replace :func:`read_claims` later.

Usage: python bench/truth_discovery.py [--no-assert] [--keep-jsonl PATH]
Exit status 1 when a target is missed (unless --no-assert).
The shared folder is ``<checkout>/../shared`` or ``$VERIFIER_SHARED``.
"""

from __future__ import annotations

import argparse
import html
import importlib
import json
import os
import re
import sys
import tempfile
import time
import types
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from verifier.domain.truth import discover  # noqa: E402

BASELINES = ("Sums", "AverageLog", "Investment", "PooledInvestment", "TruthFinder")


def shared_dir() -> Path:
    env = os.environ.get("VERIFIER_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


# --------------------------------------------------------------------------- normalisation

_ROLE = re.compile(
    r"\b(?:edited|editor|editors|eds?|compiled|translated|translator|foreword|introduction|"
    r"illustrated|illustrator|author|authors|joint|contributor|with|by|et al|and others|"
    r"not available|n/a|unknown|various|staff|inc|corp|press|publishing|publications)\b\.?"
)
_SUFFIX = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "dr", "prof"}


def _plain(text: str) -> str:
    text = html.unescape(html.unescape(text))
    text = re.sub(r"(?<=[a-z]{2})(?=[A-Z][a-z])", " ", text)  # 'ToddSchmidt' lost its separator
    text = re.sub(r"(?<=[A-Za-z]\.)(?=[A-Z])", " ", text)  # 'E.Elrad'
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def _words(piece: str) -> list[str]:
    return [w for w in re.split(r"[\s.]+", piece) if w and w not in _SUFFIX]


def _is_name(word: str) -> bool:
    return len(word) > 1


def _last_first(pieces: list[str]) -> list[str]:
    """'last, first, last, first' or the separator-less 'last, first last, first'."""
    names = [pieces[0]]
    i = 1
    while i < len(pieces) - 1:  # pieces[i] holds given names; is the next surname inside it?
        following = pieces[i + 1]
        if len(_words(following)) == 1 and i + 2 < len(pieces):
            names.append(following)  # alternating: the next piece is a surname
            i += 2
        else:
            words = _words(pieces[i])
            if len(words) > 1 and _is_name(words[-1]):
                names.append(words[-1])  # glued: 'mark f. marcade' -> marcade
            i += 1
    return names


def normalise_authors(raw: str) -> str | None:
    """An author list as its sorted set of surnames ('knuth', 'aho|lam'); None if there is none.

    Parenthesised remarks and role or publisher words ('edited by', '(Author)', 'Press')
    separate authors; authors are split on ';', '/', '&', 'and'. Within a part, a first piece of
    one word means 'Last, First' order (also the separator-less 'Last, First Last, First'
    listings), otherwise 'First Last, First Last'.
    """
    text = _plain(raw or "")
    text = re.sub(r"\([^)]*\)", ";", text)
    text = _ROLE.sub(";", text)
    text = re.sub(r"[^a-z,;/&' .-]", " ", text)
    names: set[str] = set()
    for part in re.split(r";|/|&|\band\b", text):
        pieces = [p.strip(" .-'") for p in part.split(",")]
        pieces = [p for p in pieces if _words(p)]
        if not pieces:
            continue
        if len(pieces) > 1 and len(_words(pieces[0])) == 1:
            found = [(_words(p) or [""])[0] for p in _last_first(pieces)]
        else:
            found = []
            for p in pieces:
                words = _words(p)
                long_words = [w for w in words if _is_name(w)]
                found.append((long_words or words)[-1])
        names.update(n.strip("'-") for n in found if _is_name(n.strip("'-")))
    return "|".join(sorted(names)) or None


# --------------------------------------------------------------------------- books


def book_records(book_txt: Path) -> Iterator[dict]:
    """The AbeBooks listings as the project's JSONL claim records."""
    with open(book_txt, encoding="utf-8", errors="replace", newline="") as fh:
        for n, line in enumerate(fh, 1):
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) < 4:
                continue
            seller, isbn, title, authors = (c.strip() for c in cols[:4])
            if not authors:
                continue
            yield {
                "kind": "claim",
                "id": f"book-{n}",
                "text": f"{title} is by {authors}",
                "source": seller,
                "subject": isbn,
                "value": authors,
            }


def write_jsonl(records: Iterable[dict], path: Path) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def read_claims(path: Path, normalise) -> list[tuple[str, str, str]]:
    """(source, subject, normalised value) per claim; one value per (source, subject), the first."""
    seen: set[tuple[str, str]] = set()
    triples = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record.get("kind") != "claim":
                continue
            value = normalise(str(record.get("value", "")))
            if value is None:
                continue
            key = (record["source"], record["subject"])
            if key in seen:
                continue
            seen.add(key)
            triples.append((record["source"], record["subject"], value))
    return triples


def to_arrays(triples):
    sources = {s: i for i, s in enumerate(sorted({t[0] for t in triples}))}
    subjects = {s: i for i, s in enumerate(sorted({t[1] for t in triples}))}
    values = {v: i for i, v in enumerate(sorted({t[2] for t in triples}))}
    src = np.array([sources[t[0]] for t in triples], dtype=np.int64)
    obj = np.array([subjects[t[1]] for t in triples], dtype=np.int64)
    val = np.array([values[t[2]] for t in triples], dtype=np.int64)
    return src, obj, val, sources, subjects, values


# --------------------------------------------------------------------------- methods


def load_truthdiscovery():
    """Import the truthdiscovery package; stub its optional plotting modules if missing."""
    optional = {"cairo", "imageio", "matplotlib"}
    stubbed = []
    for _ in range(6):
        try:
            return importlib.import_module("truthdiscovery"), stubbed
        except ModuleNotFoundError as exc:
            root = (exc.name or "").split(".")[0]
            if root not in optional or root in stubbed:
                return None, f"truthdiscovery unavailable ({exc})"
            for name in [m for m in sys.modules if m.startswith("truthdiscovery")]:
                del sys.modules[name]
            stub = types.ModuleType(root)
            stub.__path__ = []  # a package, so submodule imports resolve to stubs too
            sys.modules[root] = stub
            if root == "imageio":
                sys.modules["imageio.v2"] = types.ModuleType("imageio.v2")
            stubbed.append(root)
    return None, "truthdiscovery unavailable"


def majority(triples) -> dict:
    votes: dict[str, dict[str, int]] = {}
    for _, subject, value in triples:
        votes.setdefault(subject, {}).setdefault(value, 0)
        votes[subject][value] += 1
    return {s: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for s, v in votes.items()}


def run_baseline(td, name: str, triples) -> dict:
    data = td.Dataset(triples, allow_multiple=True)
    result = getattr(td, name)().run(data)
    return {
        subject: min(beliefs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for subject, beliefs in result.belief.items()
    }


def run_verifier(triples, anchors_by_subject=None, **kw):
    """verifier's discover() on (source, subject, value) triples -> (answers, discovery, ids)."""
    src, obj, val, sources, subjects, values = to_arrays(triples)
    anchors = None
    if anchors_by_subject:
        inv_val = {i: v for v, i in values.items()}
        inv_sub = {i: s for s, i in subjects.items()}
        anchors = {
            row: float(inv_val[int(val[row])] == anchors_by_subject[inv_sub[int(obj[row])]])
            for row in range(len(triples))
            if inv_sub[int(obj[row])] in anchors_by_subject
        }
    found = discover(src, obj, val, len(sources), anchors=anchors, **kw)
    objects, facts = found.best()
    inv_sub = {i: s for s, i in subjects.items()}
    inv_val = {i: v for v, i in values.items()}
    answers = {inv_sub[int(o)]: inv_val[int(found.fact_value[f])] for o, f in zip(objects, facts)}
    return answers, found, sources


def run_verifier_store(jsonl: Path, normalise, tmp: Path) -> tuple[dict, float, dict]:
    """The whole product path: the JSONL claims (value = the normalised author list) through
    `verifier import` into a SQLite file, `verifier score`, then per ISBN the value whose
    claims the store believes most."""
    from sqlalchemy import select

    from verifier import bootstrap
    from verifier.adapters import orm
    from verifier.services import commands, importing

    normalised = tmp / "books-normalised.jsonl"
    seen: set[tuple[str, str]] = set()
    with open(jsonl, encoding="utf-8") as src, open(normalised, "w", encoding="utf-8") as out:
        for line in src:
            rec = json.loads(line)
            value = normalise(str(rec.get("value", "")))
            key = (rec["source"], rec["subject"])
            if value is None or key in seen:  # one listing per seller and book, as for the anchors
                continue
            seen.add(key)
            rec["value"] = value
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    store = bootstrap.connect(tmp / "books.db", "bench")
    started = time.perf_counter()
    uow = store.uow()
    with uow:
        counts = importing.import_file(uow, normalised, detect=False)
        uow.commit()
    t_import = time.perf_counter() - started
    started = time.perf_counter()
    commands.score(store.uow())
    t_score = time.perf_counter() - started
    C = orm.claims
    best: dict[str, tuple[float, str]] = {}
    with store.uow(readonly=True) as uow:
        for subject, value, belief in uow.session.execute(select(C.c.subject, C.c.value_text, C.c.belief)):
            b = -1.0 if belief is None else belief
            # highest belief wins; ties go to the alphabetically first value (as for the anchors)
            if subject not in best or (-b, value) < (-best[subject][0], best[subject][1]):
                best[subject] = (b, value)
    store.dispose()
    return {s: v for s, (_b, v) in best.items()}, t_import + t_score, counts


def accuracy(answers: dict, gold: dict) -> float:
    return sum(answers.get(s) == v for s, v in gold.items()) / max(len(gold), 1)


def all_methods(triples, td, gold, verifier_kw, anchors=None) -> dict[str, float | str]:
    scores: dict[str, float | str] = {"majority vote": accuracy(majority(triples), gold)}
    for name in BASELINES:
        if td is None:
            scores[name] = "n/a"
            continue
        try:
            scores[name] = accuracy(run_baseline(td, name, triples), gold)
        except Exception as exc:  # a baseline failing must not stop the benchmark
            scores[name] = f"failed: {type(exc).__name__}"
    started = time.perf_counter()
    answers, found, sources = run_verifier(triples, anchors, **verifier_kw)
    scores["verifier"] = accuracy(answers, gold)
    scores["_seconds"] = time.perf_counter() - started
    scores["_found"] = found
    scores["_sources"] = sources
    return scores


def print_row(label: str, scores: dict) -> None:
    cells = []
    for name in ("majority vote", *BASELINES, "verifier"):
        value = scores[name]
        cells.append(f"{value:>9.3f}" if isinstance(value, float) else f"{str(value)[:8]:>9}")
    print(f"{label:<30}" + "".join(cells))


def header() -> None:
    names = ["majority", "Sums", "AvgLog", "Invest", "PooledIn", "TruthFnd", "verifier"]
    print(f"{'':<30}" + "".join(f"{n:>9}" for n in names))


def best_other(scores: dict) -> float:
    values = [scores[n] for n in ("majority vote", *BASELINES) if isinstance(scores[n], float)]
    return max(values)


# --------------------------------------------------------------------------- generated scenarios


def generate(seed: int, n_objects=1000, n_independent=30, n_copiers=12, coverage=0.3,
             n_false=10, anchor_share=0.2, copy_share=(0.6, 0.9), own_share=0.1,
             weak_originals=True, accuracy_range=(0.4, 0.95)):
    """Sources of known accuracy, silent copiers and resolved subjects.

    Returns (triples, truth per subject, anchors per subject, set of (copier, original)).
    A copier copies each claim of its original with probability ``copy_share`` (errors
    included) and makes its own claims on a further ``own_share`` of the objects.
    """
    rng = np.random.default_rng(seed)
    acc = rng.uniform(*accuracy_range, n_independent)
    claims: dict[tuple[int, int], int] = {}  # (source, object) -> value (0 is the truth)

    def own_claim(source, a, o):
        claims[(source, o)] = 0 if rng.random() < a else int(rng.integers(1, n_false + 1))

    for s in range(n_independent):
        for o in np.flatnonzero(rng.random(n_objects) < coverage):
            own_claim(s, acc[s], int(o))
    ranked = np.argsort(acc)  # the weakest sources first
    pool = ranked[: max(n_independent // 3, 1)] if weak_originals else ranked
    copies: set[tuple[int, int]] = set()
    for k in range(n_copiers):
        copier = n_independent + k
        original = int(pool[k % len(pool)]) if k < len(pool) else int(rng.choice(pool))
        copies.add((copier, original))
        share = rng.uniform(*copy_share)
        own_acc = rng.uniform(*accuracy_range)
        copied = [(o, v) for (s, o), v in list(claims.items()) if s == original]
        for o, v in copied:
            if rng.random() < share:
                claims[(copier, o)] = v
        for o in np.flatnonzero(rng.random(n_objects) < own_share):
            if (copier, int(o)) not in claims:
                own_claim(copier, own_acc, int(o))
    triples = [(f"s{s:03d}", f"o{o:04d}", f"v{v}") for (s, o), v in sorted(claims.items())]
    subjects = sorted({t[1] for t in triples})
    resolved = set(rng.choice(subjects, int(anchor_share * len(subjects)), replace=False))
    truth = {s: "v0" for s in subjects}
    anchors = {s: "v0" for s in resolved}
    copy_names = {(f"s{c:03d}", f"s{o:03d}") for c, o in copies}
    return triples, truth, anchors, copy_names


HARD = dict(accuracy_range=(0.3, 0.9), n_false=5)
SCENARIOS = [
    ("copiers of weak sources", dict(seed=1, **HARD)),
    ("many copiers, few anchors", dict(seed=2, n_copiers=20, anchor_share=0.05, **HARD)),
    ("random originals", dict(seed=3, weak_originals=False, n_copiers=15, **HARD)),
    ("poor sources, 3 false values", dict(seed=4, accuracy_range=(0.2, 0.8), n_false=3, n_copiers=20)),
]


# --------------------------------------------------------------------------- main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-assert", action="store_true", help="never exit non-zero")
    parser.add_argument("--keep-jsonl", type=Path, help="keep the generated books JSONL here")
    args = parser.parse_args(argv)

    td, note = load_truthdiscovery()
    if td is None:
        print(f"note: {note}; the package's methods are shown as n/a")
    elif note:
        print(f"note: truthdiscovery loaded with its optional plotting modules stubbed: {', '.join(note)}")
    failures: list[str] = []

    # ---- books
    folder = shared_dir() / "datasets" / "book_truthdiscovery"
    print(f"\nAbeBooks authors ({folder})")
    if not (folder / "book.txt").exists():
        print("  data not found; skipped")
        failures.append("books data missing")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            jsonl = args.keep_jsonl or Path(tmp) / "books.jsonl"
            n_records = write_jsonl(book_records(folder / "book.txt"), jsonl)
            triples = read_claims(jsonl, normalise_authors)
        gold = {}
        for line in (folder / "book_golden.txt").read_text(encoding="utf-8", errors="replace").splitlines():
            cols = line.rstrip("\r").split("\t")
            if len(cols) >= 2 and normalise_authors(cols[1]):
                gold[cols[0].strip()] = normalise_authors(cols[1])
        n_sources = len({t[0] for t in triples})
        print(
            f"  {n_records} JSONL claim records -> {len(triples)} claims with an author list, "
            f"{n_sources} sources, {len({t[1] for t in triples})} books, {len(gold)} gold"
        )
        header()
        scores = all_methods(triples, td, gold, dict(n_false=10, prior=0.7))
        print_row("accuracy on gold", scores)
        target = best_other(scores) + 0.03
        print(f"  verifier (discover on arrays) {scores['verifier']:.3f}; {scores['_seconds']:.2f} s; "
              f"{len(scores['_found'].copier)} copier pairs reported")
        with tempfile.TemporaryDirectory() as tmp:
            jsonl2 = Path(tmp) / "books.jsonl"
            write_jsonl(book_records(folder / "book.txt"), jsonl2)
            answers, seconds, counts = run_verifier_store(jsonl2, normalise_authors, Path(tmp))
        store_acc = accuracy(answers, gold)
        print(f"  verifier through the store (verifier import + verifier score): {store_acc:.3f} "
              f"vs target {target:.3f} (best other + 0.03); {counts['claims']} claims, {counts['links']} links "
              f"imported and scored in {seconds:.1f} s")
        if store_acc < target - 1e-9:
            failures.append(f"books: verifier (store) {store_acc:.3f} < {target:.3f}")

    # ---- generated
    print("\nGenerated scenarios (accuracy on unresolved subjects; copy detection)")
    header()
    for label, params in SCENARIOS:
        triples, truth, anchors, copies = generate(**params)
        unresolved = {s: v for s, v in truth.items() if s not in anchors}
        scores = all_methods(
            triples, td, unresolved, dict(n_false=params.get("n_false", 10), prior=0.7), anchors=anchors
        )
        print_row(label, scores)
        found, sources = scores["_found"], scores["_sources"]
        names = {i: s for s, i in sources.items()}
        detected = {(names[int(c)], names[int(o)]) for c, o in zip(found.copier, found.original)}
        pairs_found = {frozenset(p) for p in detected}
        pairs_true = {frozenset(p) for p in copies}
        hit = len(pairs_found & pairs_true)
        precision = hit / len(pairs_found) if pairs_found else 0.0
        recall = hit / len(pairs_true) if pairs_true else 1.0
        directed = len(detected & copies)
        print(f"{'':<30}copying: precision {precision:.2f} recall {recall:.2f} "
              f"({hit} of {len(pairs_found)} reported pairs are true, {len(pairs_true)} true pairs); "
              f"direction right for {directed}/{hit}; {len(triples)} claims, {scores['_seconds']:.2f} s")
        if scores["verifier"] <= best_other(scores):
            failures.append(f"{label}: verifier {scores['verifier']:.3f} <= best other {best_other(scores):.3f}")
        if precision < 0.9 or recall < 0.9:
            failures.append(f"{label}: copy detection precision {precision:.2f} recall {recall:.2f}")

    print()
    if failures:
        print("targets missed:\n  " + "\n  ".join(failures))
        return 0 if args.no_assert else 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
