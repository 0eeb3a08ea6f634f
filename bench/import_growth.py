"""Import speed as the store grows, SQLite beside PostgreSQL in the same run.

The feed of issue 22: generated files of one source whose texts are a few templates with
the place, day and count filled in ("Local sources reported that militias shelled a
checkpoint in Khabrat Sulu, east of Raqqa, killing 12 people"), so that every new claim
shares most of its words with every earlier one.

(a) The sequence: four files of 300 claims, then two of 1,000, one after another into one
    fresh store (detection on), each import timed.
(b) Growth: stores of 10,000, 100,000 (and, with ``--sizes``, 1,000,000) claims of that feed
    are built with the bulk path (``import_file``, detection off, as ``pg_import_speed``
    does), then the same 1,000 new claims are imported into each with detection on. Prints
    each time, the ratio largest/smallest (target <= 2) and PostgreSQL's rate over SQLite's
    at each size (target >= 0.5).

    python bench/import_growth.py [--db postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                  [--parts a,b] [--sizes 10000,100000] [--no-assert]

A scratch schema is made on the PostgreSQL server and dropped; the SQLite files live in a
temporary directory. Lexical detection: the semantic extra, when installed, is switched off
(VERIFIER_SEMANTIC=0; ``dedupe_speed`` (d) times embedding on arrival).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

ACTORS = ["militias", "armed men", "government forces", "a drone", "unknown gunmen", "the brigade", "fighters"]
ACTIONS = ["shelled a checkpoint", "raided homes", "burned crops", "seized an oil field", "attacked a bakery",
           "closed the school", "set up a camp", "blocked the road"]
CITIES = ["Deir ez-Zor", "Raqqa", "Hasakah", "Aleppo", "Idlib", "Homs", "Daraa", "Palmyra"]
DIRECTIONS = ["north", "south", "east", "west", "northwest", "northeast", "southwest", "southeast"]
TEMPLATES = [
    "Local sources reported that {actor} {action} in {place}, {dir} of {city}, killing {n} people.",
    "On {day} May, {actor} {action} in {place} village in the {city} countryside.",
    "{n} people were killed when {actor} {action} in {place} ({city} province) on {day} May.",
    "Residents of {place} said {actor} {action} on {day} May; {n} civilians died.",
]
_SYLLABLES = "ab al bu da deh ha ja kha ma mu na qa ra sa sha ta um wa ya za".split()


def place_names(rnd: random.Random, n: int) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        names.add(" ".join("".join(rnd.choice(_SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()
                           for _ in range(rnd.randint(1, 2))))
    return sorted(names)


class Feed:
    """The one source's claims, numbered: claim i is the same whatever file it goes to."""

    def __init__(self, seed: int = 22, places: int = 5000):
        self.seed = seed
        self.places = place_names(random.Random(seed), places)

    def text(self, i: int) -> str:
        rnd = random.Random(self.seed * 1_000_003 + i)
        t = rnd.choice(TEMPLATES).format(actor=rnd.choice(ACTORS), action=rnd.choice(ACTIONS),
                                         place=rnd.choice(self.places), city=rnd.choice(CITIES),
                                         dir=rnd.choice(DIRECTIONS), day=rnd.randint(1, 28), n=rnd.randint(2, 40))
        return t[0].upper() + t[1:]

    def write(self, path: Path, start: int, n: int) -> Path:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"kind": "source", "id": "field-network", "name": "Field network", "type": "social"}) + "\n")
            for i in range(start, start + n):
                fh.write(json.dumps({"kind": "claim", "id": f"c{i}", "text": self.text(i), "source": "field-network",
                                     "published": f"2020-05-{i % 28 + 1:02d}", "location": "Deir ez-Zor"}) + "\n")
        return path


def _schema_url(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


class Stores:
    """Fresh stores on both backends: SQLite files in ``tmp``, PostgreSQL scratch schemas."""

    def __init__(self, db: str, tmp: Path):
        self.db, self.tmp, self.schemas = db, tmp, []

    def url(self, backend: str, name: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp / (name + '.db')}"
        import psycopg

        schema = f"bench_grow_{name}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(self.db.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        return _schema_url(self.db, schema)

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.db.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            for s in self.schemas:
                conn.execute(f"DROP SCHEMA IF EXISTS {s} CASCADE")


def timed_import(url: str, path: Path, detect: bool = True) -> tuple[float, dict]:
    from verifier import bootstrap
    from verifier.services import importing

    store = bootstrap.connect(url, "bench")
    try:
        t0 = time.perf_counter()
        with store.uow() as uow:
            counts = importing.import_file(uow, path, detect=detect)
            uow.commit()
        return time.perf_counter() - t0, counts
    finally:
        store.dispose()


def suggestions(url: str) -> set[tuple[str, str, str]]:
    """The detector's suggestions, by claim key: what must not change with the speed."""
    from sqlalchemy import text

    from verifier import bootstrap

    store = bootstrap.connect(url, "bench")
    try:
        with store.uow() as uow:
            rows = uow.session.execute(text(
                "SELECT a.key, b.key, l.relation FROM links l JOIN claims a ON a.id = l.from_id "
                "JOIN claims b ON b.id = l.to_id WHERE l.origin = 'detector'")).all()
        return {tuple(r) for r in rows}
    finally:
        store.dispose()


def part_sequence(feed: Feed, stores: Stores, tmp: Path) -> dict[str, list[float]]:
    sizes = [300, 300, 300, 300, 1000, 1000]
    files, start = [], 0
    for k, n in enumerate(sizes):
        files.append(feed.write(tmp / f"seq{k}.jsonl", start, n))
        start += n
    times: dict[str, list[float]] = {}
    found = {}
    for backend in ("sqlite", "postgresql"):
        url = stores.url(backend, "seq")
        times[backend] = [timed_import(url, f)[0] for f in files]
        found[backend] = suggestions(url)
    print("(a) the issue's sequence, one store, detection on: seconds per file")
    print(f"    {'claims':>10}" + "".join(f"{n:>8,}" for n in sizes))
    for backend, ts in times.items():
        print(f"    {backend:>10}" + "".join(f"{t:8.2f}" for t in ts))
    same = found["sqlite"] == found["postgresql"]
    print(f"    suggestions: SQLite {len(found['sqlite']):,}, PostgreSQL {len(found['postgresql']):,}"
          f" ({'the same pairs' if same else 'DIFFERENT pairs'})")
    return times


def part_growth(feed: Feed, stores: Stores, tmp: Path, sizes: list[int]) -> tuple[float, float]:
    new = feed.write(tmp / "new.jsonl", 10_000_000, 1000)
    times: dict[str, dict[int, float]] = {"sqlite": {}, "postgresql": {}}
    print("(b) the same 1,000 claims (detection on) into stores of N claims of the feed")
    print(f"    {'N':>10} {'build s':>9} {'SQLite s':>9} {'build s':>9} {'PG s':>9} {'PG/SQLite rate':>15}")
    for size in sizes:
        base = tmp / f"base{size}.jsonl"
        feed.write(base, 0, size)
        row = []
        for backend in ("sqlite", "postgresql"):
            url = stores.url(backend, f"g{size}")
            built, _ = timed_import(url, base, detect=False)
            took, counts = timed_import(url, new)
            assert counts["claims"] == 1000, counts
            times[backend][size] = took
            row += [built, took]
        base.unlink()
        print(f"    {size:>10,} {row[0]:9.1f} {row[1]:9.2f} {row[2]:9.1f} {row[3]:9.2f} {row[1] / row[3]:15.2f}")
    lo, hi = sizes[0], sizes[-1]
    for backend, ts in times.items():
        print(f"    {backend}: {hi:,} vs {lo:,} claims: {ts[hi] / ts[lo]:.2f}x the time (target <= 2)")
    growth = max(ts[hi] / ts[lo] for ts in times.values())
    rate = min(times["sqlite"][s] / times["postgresql"][s] for s in sizes)
    return growth, rate


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=DEFAULT_DB, help="a PostgreSQL URL (scratch schemas are made and dropped)")
    ap.add_argument("--parts", default="a,b")
    ap.add_argument("--sizes", default="10000,100000", help="store sizes for (b), smallest first")
    ap.add_argument("--no-assert", action="store_true")
    args = ap.parse_args(argv)
    parts = set(args.parts.split(","))
    os.environ["VERIFIER_SEMANTIC"] = "0"
    feed = Feed()
    ok = True
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        stores = Stores(args.db, tmp)
        try:
            if "a" in parts:
                part_sequence(feed, stores, tmp)
            if "b" in parts:
                growth, rate = part_growth(feed, stores, tmp, [int(s) for s in args.sizes.split(",")])
                ok = growth <= 2 and rate >= 0.5
        finally:
            stores.drop()
    if not args.no_assert and not ok:
        print("TARGET MISSED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
