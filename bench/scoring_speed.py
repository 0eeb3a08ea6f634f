#!/usr/bin/env python
"""Scoring speed (pure functions): belief for 1,000,000 claims from 10,000 sources.

Generates (seeded) claims with an object/value structure, silent copiers and resolved claims,
then times :func:`verifier.domain.truth.discover` end to end, the vectorised track records
(:func:`verifier.domain.reliability.posterior_many`) for every source, and
:func:`verifier.domain.truth.update` after one new resolution.

Targets: discover + reliability <= 10 s; the update <= 1 s. Exit status 1 when missed
(unless --no-assert). The database part (loading the arrays from the store) is wired in later.

Usage: python bench/scoring_speed.py [--claims 1000000] [--sources 10000] [--no-assert]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from verifier.domain.reliability import posterior_many  # noqa: E402
from verifier.domain.truth import discover, update  # noqa: E402


def generate(n_claims: int, n_sources: int, seed: int = 7, per_object: int = 10, n_false: int = 5,
             copier_share: float = 0.05, anchor_share: float = 0.05):
    """Arrays (source, object, value, truth, anchor rows) with copiers copying 80 % of an original."""
    rng = np.random.default_rng(seed)
    accuracy = rng.uniform(0.3, 0.95, n_sources)
    n_copiers = int(n_sources * copier_share)
    copiers = rng.choice(n_sources, n_copiers, replace=False)
    others = np.setdiff1d(np.arange(n_sources), copiers)
    original_of = np.full(n_sources, -1)
    original_of[copiers] = rng.choice(others, n_copiers, replace=False)
    # independent claims; copiers make no own claims here, they copy below
    base = int(n_claims * 0.96)
    n_objects = base // per_object
    obj = np.repeat(np.arange(n_objects), per_object)[:base]
    src = rng.choice(others, base)
    val = np.where(rng.random(base) < accuracy[src], 0, rng.integers(1, n_false + 1, base))
    # copies: a copier repeats 80 % of its original's claims, errors included
    copier_of = np.full(n_sources, -1)
    copier_of[original_of[copiers]] = copiers
    by_original = copier_of[src]
    take = (by_original >= 0) & (rng.random(base) < 0.8)
    room = n_claims - base
    rows = np.flatnonzero(take)[:room]
    src = np.concatenate([src, by_original[rows]])
    obj = np.concatenate([obj, obj[rows]])
    val = np.concatenate([val, val[rows]])
    resolved = rng.random(n_objects) < anchor_share
    anchor_rows = np.flatnonzero(resolved[obj])
    return src, obj, val, anchor_rows, np.stack([copiers, original_of[copiers]], 1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--no-assert", action="store_true")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    src, obj, val, anchor_rows, copies = generate(args.claims, args.sources)
    anchor_truth = (val[anchor_rows] == 0).astype(np.float64)
    print(f"generated {len(src):,} claims, {args.sources:,} sources, {len(np.unique(obj)):,} objects, "
          f"{len(anchor_rows):,} resolved claims, {len(copies):,} copiers "
          f"in {time.perf_counter() - t0:.2f} s")

    started = time.perf_counter()
    found = discover(src, obj, val, args.sources, anchors=(anchor_rows, anchor_truth), n_false=5, prior=0.7)
    t_discover = time.perf_counter() - started

    started = time.perf_counter()
    # track records of every source from its resolved claims, vectorised
    pos = np.bincount(src[anchor_rows], weights=anchor_truth, minlength=args.sources)
    neg = np.bincount(src[anchor_rows], weights=1.0 - anchor_truth, minlength=args.sources)
    mean, low, high = posterior_many(np.full(args.sources, 2.6), np.full(args.sources, 1.4), pos, neg)
    t_reliability = time.perf_counter() - started
    total = t_discover + t_reliability

    unresolved = np.ones(len(found.belief), dtype=bool)
    unresolved[found.claim_fact[anchor_rows]] = False
    objects, facts = found.best()
    correct = found.fact_value[facts] == 0
    true_pairs = {frozenset(map(int, p)) for p in copies}
    got = {frozenset((int(c), int(o))) for c, o in zip(found.copier, found.original)}
    hit = len(true_pairs & got)
    print(f"discover: {t_discover:.2f} s ({found.iterations} sweeps; best value right for "
          f"{correct.mean():.3f} of objects; copying precision {hit / max(len(got), 1):.2f} "
          f"recall {hit / len(true_pairs):.2f})")
    print(f"reliability (posterior_many, {args.sources:,} sources): {t_reliability:.2f} s; "
          f"mean score {mean.mean():.3f}, all intervals hold their mean: {bool(np.all((low <= mean) & (mean <= high)))}")
    print(f"total: {total:.2f} s (target <= 10 s)")

    # one new resolution: an unresolved claim whose belief was most uncertain
    free = np.setdiff1d(np.arange(len(src)), anchor_rows)
    row = int(free[np.argmin(np.abs(found.claim_belief[free] - 0.5))])
    truth = float(val[row] == 0)
    started = time.perf_counter()
    after = update(found, {row: truth})
    t_update = time.perf_counter() - started
    fact = int(found.claim_fact[row])
    moved = np.abs(after.reliability - found.reliability)
    print(f"update after one resolution: {t_update:.2f} s ({after.iterations} sweeps; the resolved "
          f"claim {found.belief[fact]:.3f} -> {after.belief[fact]:.3f}; {int((moved > 1e-6).sum())} "
          f"source reliabilities moved, at most {moved.max():.4f}) (target <= 1 s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")

    missed = []
    if total > 10:
        missed.append(f"discover + reliability took {total:.2f} s > 10 s")
    if t_update > 1:
        missed.append(f"update took {t_update:.2f} s > 1 s")
    if missed:
        print("targets missed: " + "; ".join(missed))
        return 0 if args.no_assert else 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
