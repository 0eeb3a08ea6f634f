"""The votes of truth discovery (:mod:`verifier.domain.truth`): facts, votes and beliefs as arrays.

:class:`Votes` holds the structure :func:`~verifier.domain.truth.discover` builds once and
:func:`~verifier.domain.truth.update` reuses: claims grouped into facts (one per object and
value), facts into objects, and one vote per source and fact; the candidate pairs of sources
(:mod:`verifier.domain.truth_copying` fills them in). The functions here are one sweep of the
model: the belief in every fact from the sources' accuracies and their copy discounts, the
accuracies from the beliefs, and the effective number of false values.
"""

from __future__ import annotations

import numpy as np
from attrs import define, field

from verifier.domain.reliability import ESTIMATIVE_BANDS

EPS = 1e-4  # accuracies stay within [EPS, 1 - EPS]
#: ICD 203 "almost certain" starts here (where "very likely" ends); support from sources
#: without a record stays below it
CERTAIN = next(bound for bound, words in ESTIMATIVE_BANDS if words == "very likely")
#: the belief shown when only sources without a resolved claim lift a fact to CERTAIN or above
GRADE_ONLY_CAP = 0.94
FALSE_PAIRS_PRIOR = 20.0  # pseudo pairs of false claims at the caller's n_false


def stable_order(key: np.ndarray, size: int) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` for non-negative int keys below ``size``, as a radix
    sort: one stable pass per 16 bits (numpy sorts 16-bit keys by counting, in linear time)."""
    order = None
    shift = 0
    while shift == 0 or (size - 1) >> shift:
        digit = ((key >> shift) & 0xFFFF).astype(np.uint16)
        order = np.argsort(digit, kind="stable") if order is None else order[np.argsort(digit[order], kind="stable")]
        shift += 16
    return order


def group_ids(key) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(key, return_inverse=True, return_counts=True)`` for non-negative int keys,
    without a comparison sort: a lookup table when the keys are dense, else :func:`stable_order`."""
    key = np.asarray(key, dtype=np.int64)
    n = len(key)
    if n == 0:
        return key.copy(), np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    size = int(key.max()) + 1
    if size <= 4 * n + 1024:
        present = np.zeros(size, dtype=bool)
        present[key] = True
        inverse = (np.cumsum(present, dtype=np.intp) - 1)[key]
        return np.flatnonzero(present), inverse, np.bincount(inverse, minlength=int(present.sum()))
    order = stable_order(key, size)
    ordered = key[order]
    first = np.empty(n, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.cumsum(first, dtype=np.intp) - 1
    return ordered[starts], inverse, np.diff(np.r_[starts, n])


def _dense(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The caller's ids (any ints) as (sorted unique ids, dense index of each)."""
    low = int(ids.min()) if len(ids) else 0
    unique, inverse, _counts = group_ids(ids - low)
    return unique + low, inverse


def _no_pairs(dtype=np.float64):
    """A pair field before :func:`~verifier.domain.truth_copying.candidate_pairs` fills it: empty."""
    return field(factory=lambda: np.zeros(0, dtype=dtype))


@define(eq=False)
class Votes:
    """Everything :func:`~verifier.domain.truth.update` reuses: the fact structure and the source pairs."""

    n_sources: int
    claim_fact: np.ndarray  # the fact of each claim
    fact_object: np.ndarray  # the caller's object id of each fact
    fact_value: np.ndarray  # the caller's value id of each fact
    claim_vote: np.ndarray
    vote_source: np.ndarray
    vote_fact: np.ndarray
    fact_obj: np.ndarray  # dense object index per fact (facts are sorted by object)
    obj_start: np.ndarray  # first fact of each dense object
    claimed: np.ndarray  # values claimed per object
    source_votes: np.ndarray  # votes per source (the denominators of every sweep)
    prior_a: np.ndarray
    prior_b: np.ndarray
    n_false: float
    n_false_max: float  # the caller's n_false: the estimate stays within [1, n_false_max]
    estimate_n_false: bool
    copy_prior: float
    copy_rate: float
    pair_a: np.ndarray = _no_pairs(np.int64)  # candidate source pairs (a < b)
    pair_b: np.ndarray = _no_pairs(np.int64)
    pair_known: np.ndarray = _no_pairs(bool)  # declared (True) or detected pair
    pair_known_copier_is_a: np.ndarray = _no_pairs(bool)
    pair_share_a: np.ndarray = _no_pairs()  # share of a's objects that b also claims on
    pair_share_b: np.ndarray = _no_pairs()
    inc_pair: np.ndarray = _no_pairs(np.int64)  # incidents: one per pair of votes of a candidate pair on one object
    inc_same: np.ndarray = _no_pairs(bool)
    inc_vote_a: np.ndarray = _no_pairs(np.int64)
    inc_vote_b: np.ndarray = _no_pairs(np.int64)
    has_record: np.ndarray | None = None  # per source: has resolved claims (None: those anchored here)
    anchors: dict[int, float] = field(factory=dict)
    log_w: np.ndarray | None = None

    @classmethod
    def from_claims(cls, source: np.ndarray, obj: np.ndarray, val: np.ndarray, n_sources: int, **model) -> Votes:
        """Facts are unique (object, value), sorted by object; votes are unique (source, fact), so a
        source saying one thing twice votes once. ``model``: the remaining fields (priors, n_false,
        copy prior and rate, anchors)."""
        obj_ids, obj_dense = _dense(obj)
        val_ids, val_dense = _dense(val)
        fact_key = obj_dense.astype(np.int64) * max(len(val_ids), 1) + val_dense
        fact_keys, claim_fact, _counts = group_ids(fact_key)
        n_facts = len(fact_keys)
        fact_obj = fact_keys // max(len(val_ids), 1)
        obj_start = np.flatnonzero(np.r_[True, fact_obj[1:] != fact_obj[:-1]]) if n_facts else np.zeros(0, dtype=np.int64)
        vote_key = source * max(n_facts, 1) + claim_fact
        vote_keys, claim_vote, _counts = group_ids(vote_key)
        return cls(
            n_sources=n_sources,
            claim_fact=claim_fact,
            fact_object=obj_ids[fact_obj] if n_facts else np.zeros(0, dtype=np.int64),
            fact_value=val_ids[fact_keys % max(len(val_ids), 1)] if n_facts else np.zeros(0, dtype=np.int64),
            claim_vote=claim_vote,
            vote_source=vote_keys // max(n_facts, 1),
            vote_fact=vote_keys % max(n_facts, 1),
            fact_obj=fact_obj,
            obj_start=obj_start,
            claimed=np.diff(np.r_[obj_start, n_facts]).astype(np.float64),
            source_votes=np.bincount(vote_keys // max(n_facts, 1), minlength=n_sources),
            **model,
        )


def fact_anchors(st: Votes, n_facts: int) -> tuple[np.ndarray, np.ndarray]:
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


def beliefs(st: Votes, acc: np.ndarray, log_w: np.ndarray, anchored, truth, cap: bool = False) -> np.ndarray:
    """P(true) of every fact. ``cap``: a fact that only sources without a record lift to
    :data:`CERTAIN` or above is shown at :data:`GRADE_ONLY_CAP` (see :func:`verifier.domain.truth.discover`)."""
    n_facts = len(st.fact_obj)
    vote = np.log(st.n_false * acc / (1.0 - acc))
    weight = np.exp(log_w) * vote[st.vote_source]
    logit = np.bincount(st.vote_fact, weights=weight, minlength=n_facts)
    free = ~anchored
    masked = np.where(free, logit, -np.inf)
    top = np.maximum(np.maximum.reduceat(masked, st.obj_start), 0.0)
    e = np.exp(masked - top[st.fact_obj])  # 0 where anchored (masked is -inf there)
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




def effective_n_false(st: Votes, belief: np.ndarray, log_w: np.ndarray) -> float:
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


def accuracy(st: Votes, belief: np.ndarray) -> np.ndarray:
    got = np.bincount(st.vote_source, weights=belief[st.vote_fact], minlength=st.n_sources)
    acc = (st.prior_a + got) / (st.prior_a + st.prior_b + st.source_votes)
    return np.clip(acc, EPS, 1.0 - EPS)
