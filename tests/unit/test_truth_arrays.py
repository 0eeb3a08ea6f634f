"""Truth discovery's grouping without comparison sorts gives the beliefs of the np.unique code it replaced."""

import numpy as np
import pytest

from verifier.domain import truth_copying, truth_votes
from verifier.domain.truth import discover
from verifier.domain.truth_votes import group_ids, stable_order


def unique_by_sorting(key):
    """The code group_ids replaced (the reference)."""
    return np.unique(np.asarray(key, dtype=np.int64), return_inverse=True, return_counts=True)


def order_by_sorting(key, size):
    return np.argsort(key, kind="stable")


@pytest.mark.parametrize(
    "low, high, n",
    [(0, 5, 40), (0, 1, 1), (0, 3_000, 1_000), (0, 2**31, 5_000), (0, 2**62, 5_000), (7, 9, 0)],
)
def test_group_ids_is_np_unique(low, high, n):
    key = np.random.default_rng(n).integers(low, high, n)
    for got, want in zip(group_ids(key), unique_by_sorting(key), strict=True):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(stable_order(key, high), order_by_sorting(key, high))


def _world(seed, n_sources=60, n_objects=400, per_object=6):
    """Claims with sparse caller ids (negative and huge), copiers, a declared copy and anchors."""
    rng = np.random.default_rng(seed)
    accuracy = rng.uniform(0.3, 0.95, n_sources)
    obj = np.repeat(np.arange(n_objects), per_object)
    src = rng.integers(0, n_sources - 6, len(obj))
    val = np.where(rng.random(len(obj)) < accuracy[src], 0, rng.integers(1, 5, len(obj)))
    for copier, original in ((54, 0), (55, 1), (56, 2), (57, 0)):  # copiers repeat 80 % of a source's claims
        rows = np.flatnonzero((src == original) & (rng.random(len(obj)) < 0.8))
        src, obj, val = np.r_[src, np.full(len(rows), copier)], np.r_[obj, obj[rows]], np.r_[val, val[rows]]
    obj = obj * 7_919 - 10**12  # the caller's ids need not be dense nor positive
    val = val * 10**9 - 3
    anchors = {int(r): float(val[r] == -3) for r in rng.choice(len(obj), len(obj) // 20, replace=False)}
    return src, obj, val, n_sources, anchors


@pytest.mark.parametrize("seed", [3, 4])
def test_discover_gives_the_beliefs_of_the_sort_based_code(seed, monkeypatch):
    src, obj, val, n_sources, anchors = _world(seed)
    kwargs = dict(anchors=anchors, known_copies=[(58, 3)], n_false=5, prior=0.7, estimate_n_false=True)
    new = discover(src, obj, val, n_sources, **kwargs)
    monkeypatch.setattr(truth_votes, "group_ids", unique_by_sorting)
    monkeypatch.setattr(truth_copying, "group_ids", unique_by_sorting)
    monkeypatch.setattr(truth_copying, "stable_order", order_by_sorting)
    old = discover(src, obj, val, n_sources, **kwargs)
    assert len(old.copier) >= 3  # the world has copying to find
    np.testing.assert_allclose(new.claim_belief, old.claim_belief, rtol=0, atol=1e-9)
    np.testing.assert_allclose(new.reliability, old.reliability, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(new.fact_object, old.fact_object)
    np.testing.assert_array_equal(new.fact_value, old.fact_value)
    np.testing.assert_array_equal(new.copier, old.copier)
    np.testing.assert_array_equal(new.original, old.original)
    assert new.iterations == old.iterations


def test_posterior_intervals_of_many_sources_are_the_beta_quantiles():
    """The Newton solve steps only where x still moves; every interval is still the quantile (1e-9)."""
    stats = pytest.importorskip("scipy.stats")
    from verifier.domain.reliability import INTERVAL, posterior_many

    rng = np.random.default_rng(5)
    n = 3_000
    pos, neg = rng.poisson(3, n) * rng.random(n), rng.poisson(2, n) * rng.random(n)
    pos[:40], neg[40:60] = 400.0, 0.0  # long records and records without a false claim
    mean, low, high = posterior_many(np.full(n, 2.6), np.full(n, 1.4), pos, neg)
    a, b = 2.6 + pos, 1.4 + neg
    tail = (1.0 - INTERVAL) / 2.0
    np.testing.assert_allclose(low, stats.beta.ppf(tail, a, b), rtol=0, atol=1e-9)
    np.testing.assert_allclose(high, stats.beta.ppf(1.0 - tail, a, b), rtol=0, atol=1e-9)
    np.testing.assert_allclose(mean, a / (a + b), rtol=0, atol=1e-12)
