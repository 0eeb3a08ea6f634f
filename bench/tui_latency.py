"""How fast the triage UI answers on a big database, driven with Textual's Pilot.

    python bench/tui_latency.py                     # builds bench/out/latency-1000000.db once, then measures
    python bench/tui_latency.py --db PATH           # measure an existing database
    python bench/tui_latency.py --claims 100000     # a smaller run

Targets (issue 5): first screen <= 2 s; moving through the queue and opening a claim <= 100 ms.
The database is generated as JSON Lines (10,000 sources, 1,000,000 claims, 5% resolved, some
links) and imported with verifier.services.importing.import_file(detect=False), in chunks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

PLACES = ["Al-Bukamal", "Abu Khashab", "Deir ez-Zor", "Aleppo", "Daraa", "Quneitra", "Al-Mayadin", "Homs",
          "Palmyra", "Raqqa", "Idlib", "Hama", "Al-Nayrab", "Tadmur", "Busra", "Jableh"]
ACTORS = ["militia", "regime forces", "Iranian militias", "an armed group", "local council", "a convoy",
          "the Fatemiyoun brigade", "security forces", "unknown gunmen", "a delegation"]
ACTS = ["arrived in", "withdrew from", "set fire to fields near", "renamed streets in", "recruited fighters in",
        "shelled", "opened a checkpoint in", "closed the road to", "held a meeting in", "deployed drones over"]
KINDS = ["outlet", "monitor", "social", "official", "think-tank", "individual", "unknown"]
VERDICTS = ["true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable"]
GRADES = ["A", "B", "C", "D", "E", "F", None, None]


def generate(path_prefix: Path, n_claims: int, n_sources: int, chunk: int, seed: int = 5) -> list[Path]:
    rnd = random.Random(seed)
    files = []
    src_path = path_prefix.with_name(path_prefix.name + "-sources.jsonl")
    with open(src_path, "w", encoding="utf-8") as fh:
        for i in range(n_sources):
            rec = {"kind": "source", "id": f"s{i}", "name": f"Source {i} {rnd.choice(PLACES)} {rnd.choice(KINDS)}",
                   "type": rnd.choice(KINDS), "affiliation": rnd.choice(["opposition", "state media", None, None]),
                   "grade": rnd.choice(GRADES)}
            if i >= 100 and rnd.random() < 0.1:
                rec["parent"] = f"s{rnd.randrange(100)}"
            fh.write(json.dumps(rec) + "\n")
    files.append(src_path)
    for start in range(0, n_claims, chunk):
        p = path_prefix.with_name(f"{path_prefix.name}-claims-{start // chunk:04d}.jsonl")
        with open(p, "w", encoding="utf-8") as fh:
            for i in range(start, min(start + chunk, n_claims)):
                day = 1 + rnd.randrange(28)
                month = 1 + rnd.randrange(12)
                text = (f"On {day} {['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1]}"
                        f" {rnd.choice(ACTORS)} {rnd.choice(ACTS)} {rnd.choice(PLACES)}, with about "
                        f"{rnd.randrange(5, 5000)} people involved (report {i}).")
                rec = {"kind": "claim", "id": f"k{i}", "text": text, "source": f"s{rnd.randrange(n_sources)}",
                       "published": f"20{rnd.randrange(15, 24)}-{month:02d}-{day:02d}"}
                if rnd.random() < 0.2:
                    rec["via"] = [f"s{rnd.randrange(n_sources)}"]
                    if rec["via"][0] == rec["source"]:
                        del rec["via"]
                fh.write(json.dumps(rec) + "\n")
                if rnd.random() < 0.05:
                    fh.write(json.dumps({"kind": "resolution", "claim": f"k{i}", "verdict": rnd.choice(VERDICTS),
                                         "at": f"2024-{month:02d}-{day:02d}"}) + "\n")
                if i > start + 10 and rnd.random() < 0.02:
                    fh.write(json.dumps({"kind": "link", "from": f"k{i}", "to": f"k{i - 1 - rnd.randrange(10)}",
                                         "relation": rnd.choice(["corroborates", "contradicts"])}) + "\n")
        files.append(p)
    return files


def build(db: Path, n_claims: int, n_sources: int, chunk: int = 100_000) -> None:
    from verifier import bootstrap
    from verifier.services import importing

    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    t0 = time.perf_counter()
    files = generate(OUT / f"gen-{n_claims}", n_claims, n_sources, chunk)
    print(f"generated {len(files)} JSONL files in {time.perf_counter() - t0:.1f}s", flush=True)
    store = bootstrap.connect(db, "bench")
    try:
        for f in files:
            t = time.perf_counter()
            uow = store.uow()
            with uow:
                counts = importing.import_file(uow, f, detect=False)
                uow.commit()
            print(f"  imported {f.name}: {counts} in {time.perf_counter() - t:.1f}s", flush=True)
    finally:
        store.dispose()
    for f in files:
        f.unlink()
    print(f"built {db} in {time.perf_counter() - t0:.1f}s", flush=True)


async def wait_for(pilot, predicate, timeout: float = 30.0) -> float:
    t0 = time.perf_counter()
    while not predicate():
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError("the screen did not answer")
        await asyncio.sleep(0.001)
    return time.perf_counter() - t0


async def answered(app, key: str, predicate, timeout: float = 30.0) -> float:
    """Seconds from the key event reaching the app to the screen showing the result:
    ``predicate()`` true and the screen repainted (no widget left dirty)."""
    from textual import events

    t0 = time.perf_counter()
    app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
    while True:
        await asyncio.sleep(0.0005)
        if predicate() and not app.screen._dirty_widgets:
            return time.perf_counter() - t0
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"no answer to {key!r}")


def ms(xs: list[float]) -> str:
    xs = sorted(xs)
    p90 = xs[min(len(xs) - 1, int(len(xs) * 0.9))]
    return f"median {statistics.median(xs) * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms   max {xs[-1] * 1000:7.1f} ms   (n={len(xs)})"


async def measure(db: str | Path, size=(120, 40)) -> dict:
    from tui.app import VerifierApp
    from tui.screens.claim import ClaimScreen
    from tui.screens.duplicates import DuplicatesScreen
    from tui.screens.queue import QueueScreen
    from tui.screens.sources import SourcesScreen
    from tui.widgets.paged_table import PagedTable
    from verifier import bootstrap

    results: dict[str, object] = {}
    t0 = time.perf_counter()
    store = bootstrap.connect(db, "bench")
    app = VerifierApp(store)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "ready", False) and not app.screen._dirty_widgets)
        results["first screen (connect + queue page 1)"] = time.perf_counter() - t0
        queue = app.screen
        table = queue.query_one(PagedTable)
        await wait_for(pilot, lambda: queue.total is not None)
        results["queue size"] = queue.total
        await pilot.pause(0.5)

        def moved_to(row):
            return lambda: table.cursor_row == row and queue.query_one("#preview").render().plain.startswith(
                table.current_key() or "?")

        downs = []
        for _ in range(100):
            downs.append(await answered(app, "down", moved_to(table.cursor_row + 1)))
        results["cursor down"] = downs

        pages, waits = [], []
        for _ in range(60):
            before = table.cursor_row
            t = time.perf_counter()
            pages.append(await answered(app, "pagedown", lambda before=before: table.cursor_row > before))
            if table.fetching:  # a page is being fetched in a worker; the UI answered already
                waits.append(await wait_for(pilot, lambda: not table.fetching) + (time.perf_counter() - t - pages[-1]))
        results["page down"] = pages
        results["next 200 rows arrive (worker)"] = waits or [0.0]
        results["rows held by the table"] = table.row_count

        opens, backs = [], []
        for i in range(30):
            table.move_cursor(row=i * 7)
            await pilot.pause(0.05)
            opens.append(await answered(app, "enter", lambda: isinstance(app.screen, ClaimScreen) and app.screen.ready))
            await pilot.pause(0.05)
            backs.append(await answered(app, "escape", lambda: app.screen is queue))
        results["open a claim"] = opens
        results["back to the queue"] = backs

        t = time.perf_counter()
        await answered(app, "2", lambda: isinstance(app.screen, SourcesScreen) and app.screen.ready, timeout=120)
        results["sources screen (all sources scored)"] = time.perf_counter() - t
        sources = app.screen
        await wait_for(pilot, lambda: len(sources.sparks) >= min(10, len(sources.all)), timeout=60)
        results["sparklines for the visible rows"] = time.perf_counter() - t
        stable = sources.query_one(PagedTable)
        sdowns = []
        for _ in range(40):
            sdowns.append(await answered(app, "down", (lambda r: lambda: stable.cursor_row == r)(stable.cursor_row + 1)))
        results["sources: cursor down"] = sdowns

        t = time.perf_counter()
        await answered(app, "3", lambda: isinstance(app.screen, DuplicatesScreen) and app.screen.ready, timeout=60)
        results["duplicate review screen"] = time.perf_counter() - t
        await answered(app, "1", lambda: isinstance(app.screen, QueueScreen))
    store.dispose()
    return results


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="an existing database to measure, a SQLite path or a postgresql+psycopg:// URL "
                                 "(default: build/reuse one under bench/out/)")
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--sources", type=int, default=10_000)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    ap.add_argument("--build-only", action="store_true")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    db = args.db or OUT / f"latency-{args.claims}.db"
    if args.db is None and (args.rebuild or not db.exists()):
        build(db, args.claims, args.sources)
    if args.build_only:
        return
    results = asyncio.run(measure(db))
    print(f"\nTUI latency on {db}")
    for name, value in results.items():
        if isinstance(value, list):
            print(f"  {name:<40} {ms(value)}")
        elif isinstance(value, float):
            print(f"  {name:<40} {value * 1000:7.0f} ms")
        else:
            print(f"  {name:<40} {value:,}")
    first = results["first screen (connect + queue page 1)"]
    move = statistics.median(results["cursor down"] + results["page down"])
    opened = statistics.median(results["open a claim"])
    print(f"\n  first screen {first:.2f} s (target <= 2 s): {'ok' if first <= 2 else 'MISSED'}")
    print(f"  move median {move * 1000:.0f} ms, open median {opened * 1000:.0f} ms (target <= 100 ms): "
          f"{'ok' if max(move, opened) <= 0.1 else 'MISSED'}")


if __name__ == "__main__":
    main()
