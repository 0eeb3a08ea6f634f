"""What watches cost an import: the same generated file imported into two fresh SQLite
stores in one run, one without watches (the baseline) and one where 20 analysts each
watch 3 texts, a source and a tag. Every new claim is matched against every watch
(``services.team.on_new_claims``: exact kinds by lookup, texts through the words a claim
shares with a watched text, then ``matching.compare``). Prints both rates, the overhead
and how many inbox entries the watches produced.

    python bench/watch_speed.py [--claims N] [--analysts N]
    python bench/watch_speed.py --liar      # LIAR's train split (10,240 real statements);
                                            # the watched texts are statements of its valid split

The generated file is the hard case for the text watches: 35 words make every claim share
words with every watched text, so nearly every claim is scored against most watches.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_speed import PLACES, generate  # noqa: E402  (the same generated claims)


def _import(db: Path, src: Path, watches: list[tuple[str, str, str]], options: dict | None = None) -> tuple[float, int, int]:
    from verifier import bootstrap
    from verifier.services import importing, team

    setup = bootstrap.connect(db, "bench")
    for analyst, kind, value in watches:
        store = bootstrap.connect(db, analyst)
        team.add_watch(store.uow(), kind, value)
        store.dispose()
    store = setup
    t0 = time.perf_counter()
    uow = store.uow()
    with uow:
        counts = importing.import_file(uow, src, detect=False, **(options or {}))
        uow.commit()
    elapsed = time.perf_counter() - t0
    with store.uow(readonly=True) as uow:
        inbox = sum(uow.team.unread_count(a) for a in {w[0] for w in watches})
    store.dispose()
    return counts["claims"] / elapsed, counts["claims"], inbox


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--analysts", type=int, default=20)
    ap.add_argument("--liar", action="store_true", help="LIAR's train split instead of generated claims")
    args = ap.parse_args(argv)
    if args.liar:
        import liar

        data = liar.shared_dir() / "datasets" / "liar"
        held_out = [line.split("\t")[2] for line in (data / "valid.tsv").read_text(encoding="utf-8").splitlines()]
        texts, tags, src = held_out[: 3 * args.analysts], ["health-care", "economy", "taxes"], data / "train.tsv"
        from verifier.adapters import tabular

        options = {"fmt": "csv", "delimiter": "\t", **tabular.options(
            "id=id,text=statement,source=speaker,tags=subjects", True, liar.COLUMNS, None, "none")}
    else:
        texts = [f"militia fires crops in {p}" for p in PLACES] + [f"drone strike convoy near {p}" for p in PLACES]
        tags, options = ["generated"], None
    watches = []
    for a in range(args.analysts):
        name = f"analyst{a}"
        watches += [(name, "text", texts[(3 * a + k) % len(texts)]) for k in range(3)]
        watches += [(name, "tag", tags[a] if a < len(tags) else f"tag{a}")]
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if not args.liar:
            src = tmp / "claims.jsonl"
            generate(src, args.claims)
        base, n, _ = _import(tmp / "plain.db", src, [], options)
        watched, _, inbox = _import(tmp / "watched.db", src, watches, options)
    print(f"claims imported:           {n:,} per store ({'LIAR train' if args.liar else 'generated'}; detection off in both)")
    print(f"import without watches:    {base:,.0f} claims/s (baseline, same run)")
    print(f"import with {len(watches)} watches:   {watched:,.0f} claims/s "
          f"({args.analysts} analysts x 3 texts + 1 tag; overhead {100 * (base / watched - 1):.0f}%)")
    print(f"inbox entries:             {inbox:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
