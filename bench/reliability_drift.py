#!/usr/bin/env python
"""Reliability by topic and over time: do the topic and decayed records track a hidden truth
better than the global one?

A generated scenario per seed: 40 sources, 3 topics. Each source has a hidden reliability per
topic (drawn uniformly in 0.15-0.9, so it differs by topic), and on a change date every source's
reliability moves by +/-0.3 (clipped to 0.05-0.95), on every topic. Each source makes 120 claims,
dated over four years (the change at the middle), tagged with a random topic, resolved true with
its reliability at that date on that topic, false otherwise, and the verdict dated with the claim.

Everything goes through verifier: the file is imported with ``verifier import``, the records are
read as ``verifier sources --json`` reports them (in-process), globally, with ``--topic T``, and
after ``verifier settings set reliability.half_life_days 365``. Printed: the mean absolute error
of each score against the hidden reliability *now* (after the change) on each (source, topic),
for the global, topic, decayed and topic + decayed records. Target: topic and decayed errors
below the global one on every seed.

Usage: python bench/reliability_drift.py [--seeds 1,2,3]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from verifier import bootstrap, views  # noqa: E402
from verifier.services import commands, importing  # noqa: E402

TOPICS = ("economy", "security", "health")
START, CHANGE, END = date(2022, 1, 1), date(2024, 1, 1), date(2025, 12, 31)
HALF_LIFE = 365


def scenario(seed: int, n_sources: int = 40, n_claims: int = 120) -> tuple[list[dict], dict]:
    rng = random.Random(seed)
    lines: list[dict] = []
    truth: dict[tuple[str, str], float] = {}
    span = (END - START).days
    for s in range(n_sources):
        key = f"s{s:03d}"
        lines.append({"kind": "source", "id": key, "name": f"Source {s}"})
        before = {t: rng.uniform(0.15, 0.9) for t in TOPICS}
        shift = rng.choice((-0.3, 0.3))
        after = {t: min(0.95, max(0.05, before[t] + shift)) for t in TOPICS}
        for t in TOPICS:
            truth[(key, t)] = after[t]
        for c in range(n_claims):
            when = START + timedelta(days=rng.randrange(span))
            topic = rng.choice(TOPICS)
            r = (after if when >= CHANGE else before)[topic]
            cid = f"{key}-c{c}"
            lines.append({"kind": "claim", "id": cid, "text": f"Claim {c} of {key} on {topic}", "source": key,
                          "published": when.isoformat(), "tags": [topic]})
            lines.append({"kind": "resolution", "claim": cid, "verdict": "true" if rng.random() < r else "false",
                          "at": f"{when.isoformat()}T12:00:00"})
    return lines, truth


def errors(store, truth: dict) -> dict[str, float]:
    out = {}
    with store.uow(readonly=True) as uow:
        overall = {s.id: s.score for s in views.sources(uow.session)}
        by_topic = {t: {s.id: s.score for s in views.sources(uow.session, topic=t)} for t in TOPICS}
    out["global"] = sum(abs(overall[k] - v) for (k, _t), v in truth.items()) / len(truth)
    out["topic"] = sum(abs(by_topic[t][k] - v) for (k, t), v in truth.items()) / len(truth)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="1,2,3")
    args = ap.parse_args(argv)
    ok = True
    print(f"mean absolute error against the hidden reliability now, per (source, topic); half-life {HALF_LIFE} days\n")
    print(f"  {'seed':<6} {'global':>8} {'topic':>8} {'decayed':>8} {'topic+decayed':>14}")
    for seed in (int(s) for s in args.seeds.split(",")):
        lines, truth = scenario(seed)
        with tempfile.TemporaryDirectory(prefix="verifier-drift-") as tmp:
            path = Path(tmp) / "scenario.jsonl"
            path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
            store = bootstrap.connect(str(Path(tmp) / "drift.db"), "drift-bench")
            with store.uow() as uow:
                importing.import_file(uow, path, detect=False)
                uow.commit()
            plain = errors(store, truth)
            commands.set_setting(store.uow(), "reliability.half_life_days", str(HALF_LIFE))
            decayed = errors(store, truth)
            store.engine.dispose()
        print(f"  {seed:<6} {plain['global']:>8.3f} {plain['topic']:>8.3f} {decayed['global']:>8.3f} {decayed['topic']:>14.3f}")
        ok &= plain["topic"] < plain["global"] and decayed["global"] < plain["global"]
    print(f"\n{'PASS' if ok else 'FAIL'}: topic and decayed errors below the global one on every seed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
