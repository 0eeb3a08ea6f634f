"""Copy detection for truth discovery (:mod:`verifier.domain.truth`): which sources depend on which.

Dong, Berti-Equille & Srivastava (VLDB 2009): for each pair of sources that claim on the same
objects, shared false values are strong evidence of copying, shared true values weak evidence,
different values evidence against. :func:`candidate_pairs` finds the pairs worth testing once;
each sweep :func:`dependence` gives P(dependent) and the copier side, and :func:`discount` turns
it into the copier's reduced vote. :func:`direct_pairs` keeps, of the detected pairs, those that
are not implied by two stronger ones.
"""

from __future__ import annotations

import numpy as np
from attrs import frozen

from verifier.domain.truth_votes import Votes, group_ids, stable_order


@frozen
class Copying:
    """``copier`` (a source index) copies from ``original`` with this probability."""

    copier: int
    original: int
    probability: float


def _pairs_within_objects(vote_obj: np.ndarray, max_object_votes: int):
    """All pairs of votes that share an object (objects up to ``max_object_votes`` votes)."""
    index_type = np.int32 if len(vote_obj) < 2**31 else np.int64
    size = int(vote_obj.max()) + 1 if len(vote_obj) else 1
    order = stable_order(vote_obj, size).astype(index_type)
    sorted_obj = vote_obj[order]
    starts = np.flatnonzero(np.r_[True, sorted_obj[1:] != sorted_obj[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    for m in np.unique(sizes):
        if m < 2 or m > max_object_votes:
            continue
        block_starts = starts[sizes == m]
        block = order[block_starts[:, None] + np.arange(m)[None, :]]  # (objects, m) vote rows
        iu, ju = np.triu_indices(int(m), k=1)
        out_a.append(block[:, iu].ravel())
        out_b.append(block[:, ju].ravel())
    if not out_a:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_a), np.concatenate(out_b)



def _member(x: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Mask of the elements of ``x`` found in ``sorted_set`` (sorted, unique)."""
    if len(sorted_set) == 0:
        return np.zeros(len(x), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_set, x), len(sorted_set) - 1)
    return sorted_set[pos] == x


def _distinct(key: np.ndarray, size: int) -> int:
    """How many distinct keys (ints in [0, size)): a table of flags when it is small."""
    if size <= 32 * len(key) + 1024:
        seen = np.zeros(size, dtype=bool)
        seen[key] = True
        return int(np.count_nonzero(seen))
    return len(group_ids(key)[0])


def candidate_pairs(
    st: Votes, known: np.ndarray, detect: bool, min_shared: int, max_object_votes: int, auto_prior: bool
) -> None:
    """Fill in ``st``'s candidate pairs of sources and their incidents: with ``detect``, the pairs
    sharing ``min_shared`` objects (two of them with the same value); always the declared
    ``known`` (copier, original) pairs. ``auto_prior``: set the copy prior to the base rate."""
    n_sources = st.n_sources
    vote_obj = st.fact_obj[st.vote_fact]
    va, vb = _pairs_within_objects(vote_obj, max_object_votes)
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
    n_pairs = _distinct(key, n_sources * n_sources)
    if auto_prior and n_pairs:
        st.copy_prior = float(min(0.2, n_sources / n_pairs))
    kept_keys = np.zeros(0, dtype=np.int64)
    if detect:  # two shared values are necessary: only those pairs' incidents are counted
        same_keys, _inverse, n_same = group_ids(key[same])
        some_keys, _inverse, n_inc = group_ids(key[_member(key, same_keys[n_same >= 2])])
        kept_keys = some_keys[n_inc >= min_shared]
    known_keys = np.zeros(0, dtype=np.int64)
    if len(known):
        lo, hi = np.minimum(known[:, 0], known[:, 1]), np.maximum(known[:, 0], known[:, 1])
        known_keys = lo * n_sources + hi
        claimed_together = key[_member(key, np.unique(known_keys))]  # declared pairs that share an object
        kept_keys = np.union1d(kept_keys, claimed_together)
    keep = _member(key, kept_keys)
    st.inc_pair = np.searchsorted(kept_keys, key[keep])
    st.inc_same = same[keep]
    st.inc_vote_a, st.inc_vote_b = va[keep], vb[keep]
    st.pair_a, st.pair_b = kept_keys // n_sources, kept_keys % n_sources
    st.pair_known = np.isin(kept_keys, known_keys)
    copier_is_a = np.zeros(len(kept_keys), dtype=bool)
    if len(known) and len(kept_keys):
        pos = np.searchsorted(kept_keys, known_keys)
        ok = (pos < len(kept_keys)) & (kept_keys[np.minimum(pos, len(kept_keys) - 1)] == known_keys)
        copier_is_a[pos[ok]] = known[ok, 0] < known[ok, 1]
    st.pair_known_copier_is_a = copier_is_a
    # coverage: shared objects / objects each source claims on
    # (votes are sorted by source, then fact, and facts by object: a source's objects are runs)
    first = np.r_[True, (st.vote_source[1:] != st.vote_source[:-1]) | (vote_obj[1:] != vote_obj[:-1])]
    objs_per_source = np.bincount(st.vote_source[first[: len(vote_obj)]], minlength=n_sources)
    shared = np.bincount(st.inc_pair, minlength=len(kept_keys)).astype(np.float64)
    st.pair_share_a = shared / np.maximum(objs_per_source[st.pair_a], 1)
    st.pair_share_b = shared / np.maximum(objs_per_source[st.pair_b], 1)




def dependence(st: Votes, belief: np.ndarray, acc: np.ndarray):
    """P(dependent) of each candidate pair, its log-likelihood ratio, and the copier side."""
    n_pairs = len(st.pair_a)
    if n_pairs == 0:
        empty = np.zeros(0)
        return empty, empty, np.zeros(0, dtype=bool)
    c = st.copy_rate
    same = st.inc_same
    p_true = belief[st.vote_fact[st.inc_vote_a[same]]]
    pair_same = st.inc_pair[same]
    k_true = np.bincount(pair_same, weights=p_true, minlength=n_pairs)
    k_false = np.bincount(pair_same, weights=1.0 - p_true, minlength=n_pairs)
    k_diff = np.bincount(st.inc_pair[~same], minlength=n_pairs)
    a_i, a_j = acc[st.pair_a], acc[st.pair_b]
    a_mean = 0.5 * (a_i + a_j)
    pt = a_i * a_j
    pf = (1.0 - a_i) * (1.0 - a_j) / st.n_false
    llr = (
        k_true * np.log((c * a_mean + (1.0 - c) * pt) / pt)
        + k_false * np.log((c * (1.0 - a_mean) + (1.0 - c) * pf) / pf)
        + k_diff * np.log1p(-c)
    )
    odds = np.log(st.copy_prior / (1.0 - st.copy_prior)) + llr
    p_dep = 1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700)))
    p_dep = np.where(st.pair_known, 1.0, p_dep)
    # Direction: the original's other claims are as accurate as the shared ones (the copier
    # took a sample of them), the copier's own claims need not be. The copier is the source
    # whose unshared claims depart more (in standard errors) from the accuracy of the shared
    # values; ties go to the one whose claims are more covered by the pair.
    n_same = np.bincount(pair_same, minlength=n_pairs).astype(np.float64)
    got = np.bincount(st.vote_source, weights=belief[st.vote_fact], minlength=st.n_sources)
    count = st.source_votes.astype(np.float64)
    shared_acc = np.clip(k_true / np.maximum(n_same, 1.0), 0.02, 0.98)
    spread = shared_acc * (1.0 - shared_acc)

    def departure(src):
        rest_n = count[src] - n_same
        rest_acc = (got[src] - k_true) / np.maximum(rest_n, 1.0)
        z = np.abs(rest_acc - shared_acc) / np.sqrt(spread / np.maximum(rest_n, 1.0) + spread / np.maximum(n_same, 1.0))
        return np.where(rest_n >= 1.0, z, 0.0)

    z_a, z_b = departure(st.pair_a), departure(st.pair_b)
    by_cover = np.where(
        st.pair_share_a != st.pair_share_b, st.pair_share_a > st.pair_share_b, a_i <= a_j
    )
    copier_is_a = np.where(np.abs(z_a - z_b) > 1e-9, z_a > z_b, by_cover)
    copier_is_a = np.where(st.pair_known, st.pair_known_copier_is_a, copier_is_a)
    return p_dep, odds, copier_is_a


def discount(st: Votes, p_dep: np.ndarray, copier_is_a: np.ndarray) -> np.ndarray:
    """Log weight of every vote: the copier's vote on each shared value times ``1 - c * P(dependent)``."""
    n_votes = len(st.vote_source)
    if len(p_dep) == 0:
        return np.zeros(n_votes)
    same = st.inc_same
    pair = st.inc_pair[same]
    vote = np.where(copier_is_a[pair], st.inc_vote_a[same], st.inc_vote_b[same])
    factor = np.log1p(-st.copy_rate * p_dep[pair])
    return np.bincount(vote, weights=factor, minlength=n_votes)


def direct_pairs(a, b, strength, keep) -> np.ndarray:
    """Mask of detected pairs that are not the weakest edge of a detected triangle."""
    idx = np.flatnonzero(keep)
    result = keep.copy()
    if len(idx) < 3:
        return result
    weight: dict[tuple[int, int], float] = {}
    neighbours: dict[int, set[int]] = {}
    for k in idx:
        x, y = int(a[k]), int(b[k])
        weight[(x, y)] = weight[(y, x)] = float(strength[k])
        neighbours.setdefault(x, set()).add(y)
        neighbours.setdefault(y, set()).add(x)
    for k in idx:
        x, y = int(a[k]), int(b[k])
        w = weight[(x, y)]
        for z in neighbours[x] & neighbours[y]:
            if w < weight[(x, z)] and w < weight[(y, z)]:
                result[k] = False
                break
    return result

