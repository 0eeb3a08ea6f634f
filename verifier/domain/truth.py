"""Belief in unresolved claims: copy-aware truth discovery over arrays.

The data are claims, each a vote by one *source* for one *value* of one *object* (the subject or
question the claim answers). Claims with the same object and value are the same **fact**. A
free-text claim, its duplicates and corroborations form one fact; claims that contradict it are
other values of the same object (:func:`facts_from_links` builds the ids from the links).

The model follows Dong, Berti-Equille & Srivastava, "Integrating conflicting data: the role of
source dependence" (VLDB 2009), ACCU with DEPEN-style copy discounting:

* each source has an accuracy ``A`` (the probability its claim is true), with a Beta prior
  (``prior`` mean, ``prior_strength`` pseudo-claims; the app passes the track-record score);
* an object has one true value; besides the values claimed there are ``n_false`` other (false)
  values it could take. A source votes ``log(n_false * A / (1 - A))`` for its value; the vote
  of a value is the sum of its sources' votes, each discounted by the chance the source copied
  it (below); ``P(value) = exp(vote) / (sum over claimed values of exp(vote) + unclaimed)``,
  where the unclaimed values of the domain count ``max(n_false + 1 - claimed, 0)`` times
  ``exp(0)``. So one source alone gives its value a belief equal to its accuracy, unanimous
  independent sources push it towards 1, contradicting ones share the mass;
* ``A`` is re-estimated as the (prior-smoothed) mean belief of the source's claims;
* with ``estimate_n_false``, ``n_false`` itself is re-estimated (within [1, the caller's value])
  from how often false claims agree: near misses and popular errors ("1200" beside 1210) make
  false agreement common, and a model that took them for rare would be overconfident;
* a fact that reaches "almost certain" (:data:`CERTAIN`) only thanks to sources without a
  resolved claim (``record``) is shown at :data:`GRADE_ONLY_CAP`: a grade is an opinion, not
  a record;
* **anchors** are resolved claims: their fact's belief is fixed at the verdict (1 true,
  0 false, in between for partial verdicts) and, an object having one true value, the other
  values of the object share only what is left. Anchors therefore also pull the accuracy of
  every source that claimed on the object;
* **copying**: for each pair of sources that claim on the same objects, the shared values
  that are false are strong evidence of copying (independent sources rarely make the same
  mistake), shared true values are weak evidence, different values are evidence against.
  With copy rate ``c`` and prior ``copy_prior`` the Bayesian posterior P(dependent) follows
  Dong et al. The prior is by default the base rate "at most one copying relation per source":
  ``min(0.2, n_sources / pairs of sources that claim on a common object)``, so that among many
  sources a few chance agreements do not pass for copying; the copier (the one whose claims are most covered by the pair's shared objects)
  has its vote on each shared value multiplied by ``1 - c * P(dependent)``, so a copier does not
  double a vote. Declared dependencies (``known_copies``) enter with P = 1.
  Dependence implied by two stronger ones (co-copiers of one original, or a copy of a copy)
  still discounts votes but is not reported as copying: a detected pair is reported only if it
  is not the weakest edge of a triangle of detected pairs.

Everything is numpy over the claims: no Python loop runs per claim. Pairs of sources are only
enumerated within objects claimed by at most ``max_object_votes`` votes, and only pairs sharing
at least ``min_shared`` objects (two of them with the same value) are tested for copying.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from attrs import define, evolve, field, frozen

from verifier.domain.reliability import ESTIMATIVE_BANDS

EPS = 1e-4  # accuracies stay within [EPS, 1 - EPS]
#: ICD 203 "almost certain" starts here (where "very likely" ends); support from sources
#: without a record stays below it
CERTAIN = next(bound for bound, words in ESTIMATIVE_BANDS if words == "very likely")
#: the belief shown when only sources without a resolved claim lift a fact to CERTAIN or above
GRADE_ONLY_CAP = 0.94


@frozen
class Copying:
    """``copier`` (a source index) copies from ``original`` with this probability."""

    copier: int
    original: int
    probability: float


@define(eq=False)
class _State:
    """Everything :func:`update` reuses: the fact structure and the source pairs."""

    n_sources: int
    claim_vote: np.ndarray
    vote_source: np.ndarray
    vote_fact: np.ndarray
    fact_obj: np.ndarray  # dense object index per fact (facts are sorted by object)
    obj_start: np.ndarray  # first fact of each dense object
    claimed: np.ndarray  # values claimed per object
    prior_a: np.ndarray
    prior_b: np.ndarray
    n_false: float
    n_false_max: float  # the caller's n_false: the estimate stays within [1, n_false_max]
    estimate_n_false: bool
    copy_prior: float
    copy_rate: float
    pair_a: np.ndarray  # candidate source pairs (a < b)
    pair_b: np.ndarray
    pair_known: np.ndarray  # declared (True) or detected pair
    pair_known_copier_is_a: np.ndarray
    pair_share_a: np.ndarray  # share of a's objects that b also claims on
    pair_share_b: np.ndarray
    inc_pair: np.ndarray  # incidents: one per pair of votes of a candidate pair on one object
    inc_same: np.ndarray
    inc_vote_a: np.ndarray
    inc_vote_b: np.ndarray
    has_record: np.ndarray | None = None  # per source: has resolved claims (None: those anchored here)
    anchors: dict[int, float] = field(factory=dict)
    log_w: np.ndarray | None = None


@frozen(eq=False)
class Discovery:
    """Result of :func:`discover`.

    ``belief[f]`` is P(fact f is true); ``claim_fact`` maps each claim to its fact;
    ``fact_object``/``fact_value`` are the caller's ids of each fact; ``reliability[s]`` is the
    estimated accuracy of source s; copier pairs are ``copier[i]`` copies ``original[i]`` with
    ``copy_probability[i]``. ``dependence`` holds every tested pair (a, b, P(dependent)).
    """

    belief: np.ndarray
    claim_fact: np.ndarray
    fact_object: np.ndarray
    fact_value: np.ndarray
    reliability: np.ndarray
    copier: np.ndarray
    original: np.ndarray
    copy_probability: np.ndarray
    dependence: tuple[np.ndarray, np.ndarray, np.ndarray]
    iterations: int
    state: _State = field(repr=False)

    @property
    def claim_belief(self) -> np.ndarray:
        """P(true) of each claim (the belief of its fact)."""
        return self.belief[self.claim_fact]

    def copiers(self) -> list[Copying]:
        return [
            Copying(int(c), int(o), float(p))
            for c, o, p in zip(self.copier, self.original, self.copy_probability, strict=False)
        ]

    def best(self) -> tuple[np.ndarray, np.ndarray]:
        """For each object (caller's id): the fact believed most (ties: the lower value id)."""
        st = self.state
        order = np.lexsort((-self.belief, st.fact_obj))  # by object, belief descending
        first = np.ones(len(order), dtype=bool)
        first[1:] = st.fact_obj[order][1:] != st.fact_obj[order][:-1]
        facts = order[first]
        return self.fact_object[facts], facts


# --------------------------------------------------------------------------- ids from links


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Connected components of an undirected graph (label propagation with pointer jumping)."""
    labels = np.arange(n, dtype=np.int64)
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    if len(i) == 0:
        return labels
    while True:
        li, lj = labels[i], labels[j]
        low = np.minimum(li, lj)
        new = labels.copy()
        np.minimum.at(new, li, low)
        np.minimum.at(new, lj, low)
        while True:
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, labels):
            return labels
        labels = new


def facts_from_links(
    n_claims: int,
    same: Any = (),
    contradicts: Any = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Object and value ids for free-text claims from their links.

    ``same``: (k, 2) pairs of claim rows that assert the same thing (duplicates, corroborates);
    ``contradicts``: (m, 2) pairs that conflict. Same-linked claims become one fact; a fact and
    the facts contradicting it become values of one object. Returns ``(claim_object, claim_value)``.
    """
    same = np.asarray(same, dtype=np.int64).reshape(-1, 2)
    contradicts = np.asarray(contradicts, dtype=np.int64).reshape(-1, 2)
    for name, pairs in (("same", same), ("contradicts", contradicts)):
        if len(pairs) and (pairs.min() < 0 or pairs.max() >= n_claims):
            raise ValueError(f"{name}: claim rows must be in [0, {n_claims})")
    value = _components(n_claims, same[:, 0], same[:, 1])
    both = np.concatenate([same, contradicts])
    obj = _components(n_claims, both[:, 0], both[:, 1])
    return obj, value


# --------------------------------------------------------------------------- building blocks


def _as_array(value, n: int, name: str, default: float) -> np.ndarray:
    if value is None:
        return np.full(n, default, dtype=np.float64)
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValueError(f"{name}: expected shape ({n},), got {arr.shape}")
    return arr


def _anchor_arrays(anchors, n_claims: int) -> dict[int, float]:
    if anchors is None:
        return {}
    if isinstance(anchors, Mapping):
        items = {int(k): float(v) for k, v in anchors.items()}
    else:
        rows, truth = anchors
        items = {int(k): float(v) for k, v in zip(np.asarray(rows), np.asarray(truth), strict=False)}
    for row, truth in items.items():
        if not 0 <= row < n_claims:
            raise ValueError(f"anchors: claim row {row} is not in [0, {n_claims})")
        if not 0.0 <= truth <= 1.0:
            raise ValueError(f"anchors: truth of claim row {row} must be in [0, 1], got {truth}")
    return items


def _fact_anchors(st: _State, n_facts: int) -> tuple[np.ndarray, np.ndarray]:
    """Per fact: anchored? and the anchored truth (mean over the fact's anchored claims)."""
    anchored = np.zeros(n_facts, dtype=bool)
    truth = np.zeros(n_facts)
    if st.anchors:
        rows = np.fromiter(st.anchors.keys(), dtype=np.int64, count=len(st.anchors))
        vals = np.fromiter(st.anchors.values(), dtype=np.float64, count=len(st.anchors))
        facts = st.vote_fact[st.claim_vote[rows]]
        total = np.bincount(facts, weights=vals, minlength=n_facts)
        count = np.bincount(facts, minlength=n_facts)
        anchored = count > 0
        truth[anchored] = total[anchored] / count[anchored]
    return anchored, truth


def _beliefs(st: _State, acc: np.ndarray, log_w: np.ndarray, anchored, truth, cap: bool = False) -> np.ndarray:
    """P(true) of every fact. ``cap``: a fact that only sources without a record lift to
    :data:`CERTAIN` or above is shown at :data:`GRADE_ONLY_CAP` (see :func:`discover`)."""
    n_facts = len(st.fact_obj)
    vote = np.log(st.n_false * acc / (1.0 - acc))
    weight = np.exp(log_w) * vote[st.vote_source]
    logit = np.bincount(st.vote_fact, weights=weight, minlength=n_facts)
    free = ~anchored
    masked = np.where(free, logit, -np.inf)
    top = np.maximum(np.maximum.reduceat(masked, st.obj_start), 0.0)
    e = np.where(free, np.exp(masked - top[st.fact_obj]), 0.0)
    unclaimed = np.maximum(st.n_false + 1.0 - st.claimed, 0.0)
    z = np.add.reduceat(e, st.obj_start) + unclaimed * np.exp(-top)
    z_fact = np.maximum(z, 1e-300)[st.fact_obj]
    taken = np.minimum(np.add.reduceat(np.where(anchored, truth, 0.0), st.obj_start), 1.0)[st.fact_obj]
    p = e / z_fact * (1.0 - taken)
    if cap and st.has_record is not None:
        high = free & (p >= CERTAIN)
        if high.any():
            # the same fact with only the votes of its sources that have a record
            rec = st.has_record[st.vote_source]
            logit_rec = np.bincount(st.vote_fact, weights=weight * rec, minlength=n_facts)
            e_rec = np.exp(np.minimum(logit_rec - top[st.fact_obj], 700.0))
            p_rec = e_rec / np.maximum(z_fact - e + e_rec, 1e-300) * (1.0 - taken)
            p = np.where(high & (p_rec < CERTAIN), GRADE_ONLY_CAP, p)
    return np.where(anchored, truth, p)


FALSE_PAIRS_PRIOR = 20.0  # pseudo pairs of false claims at the caller's n_false


def _estimate_n_false(st: _State, belief: np.ndarray, log_w: np.ndarray) -> float:
    """How many false values an object effectively has, from how often false claims agree.

    Two independent false claims on an object agree with probability 1 / n_false when false
    values are uniform; near misses and popular errors make them agree more often. The
    expected pairs of false claims, and of agreeing false claims, follow from the beliefs
    (copies count with their discounted weight); their ratio is the moment estimate, smoothed
    by a few pseudo pairs at the caller's value and kept within [1, caller's value].
    """
    c = np.bincount(st.vote_fact, weights=np.exp(log_w), minlength=len(st.fact_obj))
    pairs = lambda x: np.maximum(x * (x - 1.0), 0.0) / 2.0  # noqa: E731
    total = np.add.reduceat(c, st.obj_start)
    b_none = np.maximum(1.0 - np.add.reduceat(belief, st.obj_start), 0.0)
    false_pairs = np.add.reduceat(belief * pairs(total[st.fact_obj] - c), st.obj_start) + b_none * pairs(total)
    agree = np.add.reduceat((1.0 - belief) * pairs(c), st.obj_start)
    k = FALSE_PAIRS_PRIOR
    n = (false_pairs.sum() + k) / (agree.sum() + k / st.n_false_max)
    return float(np.clip(n, 1.0, st.n_false_max))


def _accuracy(st: _State, belief: np.ndarray) -> np.ndarray:
    got = np.bincount(st.vote_source, weights=belief[st.vote_fact], minlength=st.n_sources)
    count = np.bincount(st.vote_source, minlength=st.n_sources)
    acc = (st.prior_a + got) / (st.prior_a + st.prior_b + count)
    return np.clip(acc, EPS, 1.0 - EPS)


def _dependence(st: _State, belief: np.ndarray, acc: np.ndarray):
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
    count = np.bincount(st.vote_source, minlength=st.n_sources).astype(np.float64)
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


def _discount(st: _State, p_dep: np.ndarray, copier_is_a: np.ndarray) -> np.ndarray:
    n_votes = len(st.vote_source)
    if len(p_dep) == 0:
        return np.zeros(n_votes)
    same = st.inc_same
    pair = st.inc_pair[same]
    vote = np.where(copier_is_a[pair], st.inc_vote_a[same], st.inc_vote_b[same])
    factor = np.log1p(-st.copy_rate * p_dep[pair])
    return np.bincount(vote, weights=factor, minlength=n_votes)


def _direct_pairs(a, b, strength, keep) -> np.ndarray:
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


def _pairs_within_objects(vote_obj: np.ndarray, max_object_votes: int):
    """All pairs of votes that share an object (objects up to ``max_object_votes`` votes)."""
    index_type = np.int32 if len(vote_obj) < 2**31 else np.int64
    order = np.argsort(vote_obj, kind="stable").astype(index_type)
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


# --------------------------------------------------------------------------- the entry points


def discover(
    claim_source,
    claim_object,
    claim_value,
    n_sources: int,
    *,
    prior=None,
    prior_strength=4.0,
    anchors: Mapping[int, float] | tuple[Any, Any] | None = None,
    known_copies=(),
    n_false: float = 1.0,
    detect_copying: bool = True,
    copy_prior: float | None = None,
    copy_rate: float = 0.8,
    min_shared: int = 3,
    max_object_votes: int = 64,
    max_iter: int = 30,
    tol: float = 1e-4,
    record=None,
    estimate_n_false: bool = False,
) -> Discovery:
    """Belief in every fact, reliability of every source, and who copies whom.

    ``claim_source``/``claim_object``/``claim_value``: int arrays, one row per claim (object and
    value ids are the caller's; see :func:`facts_from_links` for free-text claims).
    ``prior``: prior reliability per source (scalar or (n_sources,), default 0.7), worth
    ``prior_strength`` claims. ``anchors``: resolved claims, ``{claim_row: truth}`` with truth 1
    for true, 0 for false, or a verdict score in between (or a pair of arrays
    ``(rows, truth)``). ``known_copies``: (k, 2) declared ``(copier, original)`` source pairs.
    ``n_false``: how many false values an object can take besides the claimed ones
    (1 for yes/no claims; more for names, lists, numbers).
    ``estimate_n_false``: learn the effective number of false values from the data (how often
    false claims agree), within [1, ``n_false``]; see :func:`_estimate_n_false`.
    ``record``: per source, whether it has resolved claims (a track record beyond its prior);
    default: whether it has a claim among ``anchors``. A fact that reaches :data:`CERTAIN`
    ("almost certain") only with the votes of sources *without* a record is shown at
    :data:`GRADE_ONLY_CAP`: a grade or prior moves belief, but never to near certainty.
    """
    source = np.asarray(claim_source, dtype=np.int64)
    obj = np.asarray(claim_object, dtype=np.int64)
    val = np.asarray(claim_value, dtype=np.int64)
    n_claims = len(source)
    if not (obj.shape == val.shape == source.shape == (n_claims,)):
        raise ValueError("claim_source, claim_object and claim_value must be 1-d and equally long")
    if n_claims and (source.min() < 0 or source.max() >= n_sources):
        raise ValueError(f"claim_source: source indices must be in [0, {n_sources})")
    if n_false <= 0:
        raise ValueError("n_false: must be > 0")
    if (copy_prior is not None and not 0 < copy_prior < 1) or not 0 < copy_rate < 1:
        raise ValueError("copy_prior and copy_rate: must be in (0, 1)")
    prior_mean = np.clip(_as_array(prior, n_sources, "prior", 0.7), EPS, 1 - EPS)
    strength = _as_array(prior_strength, n_sources, "prior_strength", 4.0)
    anchor_map = _anchor_arrays(anchors, n_claims)

    # facts: unique (object, value), sorted by object
    obj_ids, obj_dense = np.unique(obj, return_inverse=True)
    val_ids, val_dense = np.unique(val, return_inverse=True)
    fact_key = obj_dense.astype(np.int64) * max(len(val_ids), 1) + val_dense
    fact_keys, claim_fact = np.unique(fact_key, return_inverse=True)
    n_facts = len(fact_keys)
    fact_obj = fact_keys // max(len(val_ids), 1)
    fact_object = obj_ids[fact_obj] if n_facts else np.zeros(0, dtype=np.int64)
    fact_value = val_ids[fact_keys % max(len(val_ids), 1)] if n_facts else np.zeros(0, dtype=np.int64)
    obj_start = np.flatnonzero(np.r_[True, fact_obj[1:] != fact_obj[:-1]]) if n_facts else np.zeros(0, dtype=np.int64)
    claimed = np.diff(np.r_[obj_start, n_facts])

    # votes: unique (source, fact); a source saying one thing twice votes once
    vote_key = source * max(n_facts, 1) + claim_fact
    vote_keys, claim_vote = np.unique(vote_key, return_inverse=True)
    vote_source = vote_keys // max(n_facts, 1)
    vote_fact = vote_keys % max(n_facts, 1)

    st = _State(
        n_sources=n_sources,
        claim_vote=claim_vote,
        vote_source=vote_source,
        vote_fact=vote_fact,
        fact_obj=fact_obj,
        obj_start=obj_start,
        claimed=claimed.astype(np.float64),
        prior_a=prior_mean * strength,
        prior_b=(1.0 - prior_mean) * strength,
        n_false=float(n_false),
        n_false_max=float(n_false),
        estimate_n_false=estimate_n_false,
        copy_prior=0.2 if copy_prior is None else copy_prior,
        copy_rate=copy_rate,
        pair_a=np.zeros(0, dtype=np.int64),
        pair_b=np.zeros(0, dtype=np.int64),
        pair_known=np.zeros(0, dtype=bool),
        pair_known_copier_is_a=np.zeros(0, dtype=bool),
        pair_share_a=np.zeros(0),
        pair_share_b=np.zeros(0),
        inc_pair=np.zeros(0, dtype=np.int64),
        inc_same=np.zeros(0, dtype=bool),
        inc_vote_a=np.zeros(0, dtype=np.int64),
        inc_vote_b=np.zeros(0, dtype=np.int64),
        anchors=anchor_map,
    )
    if record is None:
        st.has_record = np.zeros(n_sources, dtype=bool)
        if anchor_map:
            rows = np.fromiter(anchor_map, dtype=np.int64, count=len(anchor_map))
            st.has_record[source[rows]] = True
    else:
        st.has_record = _as_array(record, n_sources, "record", 0.0) > 0
    known = np.asarray(known_copies, dtype=np.int64).reshape(-1, 2)
    if n_facts and (detect_copying or len(known)):
        _build_pairs(st, known, detect_copying, min_shared, max_object_votes, copy_prior is None)
    return _iterate(st, claim_fact, fact_object, fact_value, prior_mean, None, max_iter, tol, warmup=2)


def _build_pairs(
    st: _State, known: np.ndarray, detect: bool, min_shared: int, max_object_votes: int, auto_prior: bool
):
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


def _iterate(st, claim_fact, fact_object, fact_value, acc0, log_w0, max_iter, tol, warmup) -> Discovery:
    n_facts = len(st.fact_obj)
    anchored, truth = _fact_anchors(st, n_facts)
    acc = np.clip(np.asarray(acc0, dtype=np.float64), EPS, 1 - EPS)
    log_w = np.zeros(len(st.vote_source)) if log_w0 is None else log_w0
    has_pairs = len(st.pair_a) > 0
    p_dep = odds = np.zeros(0)
    copier_is_a = np.zeros(0, dtype=bool)
    iterations = 0
    learn_n = st.estimate_n_false
    if n_facts == 0:
        belief = np.zeros(0)
    for iterations in range(1, max_iter + 1):
        belief = _beliefs(st, acc, log_w, anchored, truth)
        new_acc = _accuracy(st, belief)
        if learn_n and iterations > warmup:  # until it settles (within 1%)
            n_new = _estimate_n_false(st, belief, log_w)
            learn_n = abs(n_new - st.n_false) > 0.01 * st.n_false
            st.n_false = n_new
        if has_pairs and iterations > warmup:
            p_dep, odds, copier_is_a = _dependence(st, belief, new_acc)
            log_w = _discount(st, p_dep, copier_is_a)
        change = float(np.max(np.abs(new_acc - acc))) if len(acc) else 0.0
        acc = new_acc
        if change < tol and (iterations > warmup or not has_pairs):
            break
    if n_facts:
        belief = _beliefs(st, acc, log_w, anchored, truth, cap=True)
    st.log_w = log_w
    if has_pairs and len(p_dep) == 0:
        p_dep, odds, copier_is_a = _dependence(st, belief, acc)
    detected = p_dep >= 0.5 if len(p_dep) else np.zeros(0, dtype=bool)
    strength = np.where(st.pair_known, np.inf, odds) if len(p_dep) else odds
    direct = _direct_pairs(st.pair_a, st.pair_b, strength, detected) if len(p_dep) else detected
    idx = np.flatnonzero(direct)
    idx = idx[np.argsort(-p_dep[idx], kind="stable")]
    cop = np.where(copier_is_a[idx], st.pair_a[idx], st.pair_b[idx]) if len(idx) else np.zeros(0, dtype=np.int64)
    ori = np.where(copier_is_a[idx], st.pair_b[idx], st.pair_a[idx]) if len(idx) else np.zeros(0, dtype=np.int64)
    return Discovery(
        belief=belief,
        claim_fact=claim_fact,
        fact_object=fact_object,
        fact_value=fact_value,
        reliability=acc,
        copier=cop,
        original=ori,
        copy_probability=p_dep[idx] if len(idx) else np.zeros(0),
        dependence=(st.pair_a, st.pair_b, p_dep),
        iterations=iterations,
        state=st,
    )


def update(
    previous: Discovery,
    anchors: Mapping[int, float] | tuple[Any, Any],
    *,
    max_iter: int = 8,
    tol: float = 1e-4,
) -> Discovery:
    """Add (or change) resolutions and re-estimate, reusing the fact structure and source pairs.

    Starts from the previous reliabilities and copy discounts, so a single new resolution
    converges in a few sweeps; nothing is rebuilt. ``anchors`` are added to the previous ones
    (a truth of ``None`` is not allowed: rebuild with :func:`discover` to drop an anchor).
    """
    st = previous.state
    added = _anchor_arrays(anchors, len(st.claim_vote))
    merged = {**st.anchors, **added}
    has_record = st.has_record.copy()
    if added:  # a resolution gives its source a record
        rows = np.fromiter(added, dtype=np.int64, count=len(added))
        has_record[st.vote_source[st.claim_vote[rows]]] = True
    new_state = evolve(st, anchors=merged, has_record=has_record)
    return _iterate(
        new_state,
        previous.claim_fact,
        previous.fact_object,
        previous.fact_value,
        previous.reliability,
        st.log_w,
        max_iter,
        tol,
        warmup=0,
    )

