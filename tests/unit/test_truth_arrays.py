"""Truth discovery's grouping without comparison sorts gives the beliefs of the np.unique code it replaced."""

import numpy as np
import pytest

from verifier.domain import truth, truth_copying, truth_votes
from verifier.domain.truth import discover
from verifier.domain.truth_votes import group_ids, stable_order


def unique_by_sorting(key):
    """The code group_ids replaced (the reference)."""
    return np.unique(np.asarray(key, dtype=np.int64), return_inverse=True, return_counts=True)


def order_by_sorting(key, size):
    return np.argsort(key, kind="stable")


def candidate_pairs_by_sorting(
    st: truth_votes.Votes, known: np.ndarray, detect: bool, min_shared: int, max_object_votes: int, auto_prior: bool
) -> None:
    """Fill in ``st``'s candidate pairs of sources and their incidents: with ``detect``, the pairs
    sharing ``min_shared`` objects (two of them with the same value); always the declared
    ``known`` (copier, original) pairs. ``auto_prior``: set the copy prior to the base rate.
    The code the array grouping replaced (every incident grouped by np.unique), kept as the reference."""
    n_sources = st.n_sources
    vote_obj = st.fact_obj[st.vote_fact]
    va, vb = truth_copying._pairs_within_objects(vote_obj, max_object_votes)
    source_type = np.int32 if n_sources < 2**31 else np.int64
    sa, sb = st.vote_source[va].astype(source_type), st.vote_source[vb].astype(source_type)
    keep = sa != sb
    va, vb, sa, sb = va[keep], vb[keep], sa[keep], sb[keep]
    swap = sa > sb
    va, vb = np.where(swap, vb, va), np.where(swap, va, vb)
    sa, sb = np.where(swap, sb, sa), np.where(swap, sa, sb)
    key = sa.astype(np.int64) * n_sources + sb
    del sa, sb
    same = st.vote_fact[va] == st.vote_fact[vb]
    pair_keys, inverse, n_inc = np.unique(key, return_inverse=True, return_counts=True)
    if auto_prior and len(pair_keys):
        st.copy_prior = float(min(0.2, n_sources / len(pair_keys)))
    n_same = np.bincount(inverse, weights=same, minlength=len(pair_keys))
    wanted = np.zeros(len(pair_keys), dtype=bool)
    if detect:
        wanted |= (n_inc >= min_shared) & (n_same >= 2)
    known_keys = np.zeros(0, dtype=np.int64)
    if len(known):
        lo, hi = np.minimum(known[:, 0], known[:, 1]), np.maximum(known[:, 0], known[:, 1])
        known_keys = lo * n_sources + hi
        wanted |= np.isin(pair_keys, known_keys)
    new_index = np.full(len(pair_keys), -1, dtype=np.int64)
    new_index[wanted] = np.arange(int(wanted.sum()))
    inc_pair = new_index[inverse]
    keep = inc_pair >= 0
    st.inc_pair, st.inc_same = inc_pair[keep], same[keep]
    st.inc_vote_a, st.inc_vote_b = va[keep], vb[keep]
    kept_keys = pair_keys[wanted]
    st.pair_a, st.pair_b = kept_keys // n_sources, kept_keys % n_sources
    st.pair_known = np.isin(kept_keys, known_keys)
    copier_is_a = np.zeros(len(kept_keys), dtype=bool)
    if len(known) and len(kept_keys):
        pos = np.searchsorted(kept_keys, known_keys)
        ok = (pos < len(kept_keys)) & (kept_keys[np.minimum(pos, len(kept_keys) - 1)] == known_keys)
        copier_is_a[pos[ok]] = known[ok, 0] < known[ok, 1]
    st.pair_known_copier_is_a = copier_is_a
    # coverage: shared objects / objects each source claims on
    src_obj = np.unique(st.vote_source * (int(vote_obj.max()) + 1 if len(vote_obj) else 1) + vote_obj)
    objs_per_source = np.bincount(src_obj // (int(vote_obj.max()) + 1), minlength=n_sources)
    shared = np.bincount(st.inc_pair, minlength=len(kept_keys)).astype(np.float64)
    st.pair_share_a = shared / np.maximum(objs_per_source[st.pair_a], 1)
    st.pair_share_b = shared / np.maximum(objs_per_source[st.pair_b], 1)


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
    monkeypatch.setattr(truth, "candidate_pairs", candidate_pairs_by_sorting)
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
