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
* a fact that reaches "almost certain" (``CERTAIN``) only thanks to sources without a
  resolved claim (``record``) is shown at ``GRADE_ONLY_CAP``: a grade is an opinion, not
  a record (both in :mod:`verifier.domain.truth_votes`, with the sweep: beliefs, accuracies);
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
  is not the weakest edge of a triangle of detected pairs (:mod:`verifier.domain.truth_copying`).

Everything is numpy over the claims: no Python loop runs per claim. Pairs of sources are only
enumerated within objects claimed by at most ``max_object_votes`` votes, and only pairs sharing
at least ``min_shared`` objects (two of them with the same value) are tested for copying.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from attrs import evolve, field, frozen

from verifier.domain.truth_copying import Copying, candidate_pairs, dependence, direct_pairs, discount
from verifier.domain.truth_votes import EPS, Votes, accuracy, beliefs, effective_n_false, fact_anchors


@frozen(eq=False)
class Discovery:
    """Result of :func:`discover`.

    ``belief[f]`` is P(fact f is true); ``claim_fact`` maps each claim to its fact;
    ``fact_object``/``fact_value`` are the caller's ids of each fact; ``reliability[s]`` is the
    estimated accuracy of source s; copier pairs are ``copier[i]`` copies ``original[i]`` with
    ``copy_probability[i]``. ``dependence`` holds every tested pair (a, b, P(dependent)).
    """

    belief: np.ndarray
    reliability: np.ndarray
    copier: np.ndarray
    original: np.ndarray
    copy_probability: np.ndarray
    dependence: tuple[np.ndarray, np.ndarray, np.ndarray]
    iterations: int
    state: Votes = field(repr=False)

    @property
    def claim_fact(self) -> np.ndarray:
        return self.state.claim_fact

    @property
    def fact_object(self) -> np.ndarray:
        return self.state.fact_object

    @property
    def fact_value(self) -> np.ndarray:
        return self.state.fact_value

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
    false claims agree), within [1, ``n_false``]; see :func:`verifier.domain.truth_votes.effective_n_false`.
    ``record``: per source, whether it has resolved claims (a track record beyond its prior);
    default: whether it has a claim among ``anchors``. A fact that reaches :data:`CERTAIN`
    ("almost certain") only with the votes of sources *without* a record is shown at
    :data:`GRADE_ONLY_CAP`: a grade or prior moves belief, but never to near certainty.
    """
    source, obj, val = _claim_arrays(claim_source, claim_object, claim_value, n_sources)
    _check_rates(n_false, copy_prior, copy_rate)
    prior_mean = np.clip(_as_array(prior, n_sources, "prior", 0.7), EPS, 1 - EPS)
    strength = _as_array(prior_strength, n_sources, "prior_strength", 4.0)
    anchor_map = _anchor_arrays(anchors, len(source))
    st = Votes.from_claims(
        source, obj, val, n_sources, prior_a=prior_mean * strength, prior_b=(1.0 - prior_mean) * strength,
        n_false=float(n_false), n_false_max=float(n_false), estimate_n_false=estimate_n_false,
        copy_prior=0.2 if copy_prior is None else copy_prior, copy_rate=copy_rate, anchors=anchor_map,
    )
    st.has_record = _has_record(record, anchor_map, source, n_sources)
    known = np.asarray(known_copies, dtype=np.int64).reshape(-1, 2)
    if len(st.fact_obj) and (detect_copying or len(known)):
        candidate_pairs(st, known, detect_copying, min_shared, max_object_votes, copy_prior is None)
    return _iterate(st, prior_mean, None, max_iter, tol, warmup=2)


def _claim_arrays(claim_source, claim_object, claim_value, n_sources: int) -> tuple[np.ndarray, ...]:
    """The claims' source, object and value ids as equally long int arrays, sources in range."""
    source = np.asarray(claim_source, dtype=np.int64)
    obj = np.asarray(claim_object, dtype=np.int64)
    val = np.asarray(claim_value, dtype=np.int64)
    n_claims = len(source)
    if not (obj.shape == val.shape == source.shape == (n_claims,)):
        raise ValueError("claim_source, claim_object and claim_value must be 1-d and equally long")
    if n_claims and (source.min() < 0 or source.max() >= n_sources):
        raise ValueError(f"claim_source: source indices must be in [0, {n_sources})")
    return source, obj, val


def _check_rates(n_false: float, copy_prior: float | None, copy_rate: float) -> None:
    if n_false <= 0:
        raise ValueError("n_false: must be > 0")
    if (copy_prior is not None and not 0 < copy_prior < 1) or not 0 < copy_rate < 1:
        raise ValueError("copy_prior and copy_rate: must be in (0, 1)")


def _has_record(record, anchor_map: dict, source: np.ndarray, n_sources: int) -> np.ndarray:
    """Per source, whether it has a track record: ``record`` when given, else a claim among the anchors."""
    if record is not None:
        return _as_array(record, n_sources, "record", 0.0) > 0
    has_record = np.zeros(n_sources, dtype=bool)
    if anchor_map:
        rows = np.fromiter(anchor_map, dtype=np.int64, count=len(anchor_map))
        has_record[source[rows]] = True
    return has_record


def _iterate(st: Votes, acc0, log_w0, max_iter: int, tol: float, warmup: int) -> Discovery:
    n_facts = len(st.fact_obj)
    anchored, truth = fact_anchors(st, n_facts)
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
        belief = beliefs(st, acc, log_w, anchored, truth)
        new_acc = accuracy(st, belief)
        if learn_n and iterations > warmup:  # until it settles (within 1%)
            n_new = effective_n_false(st, belief, log_w)
            learn_n = abs(n_new - st.n_false) > 0.01 * st.n_false
            st.n_false = n_new
        if has_pairs and iterations > warmup:
            p_dep, odds, copier_is_a = dependence(st, belief, new_acc)
            log_w = discount(st, p_dep, copier_is_a)
        change = float(np.max(np.abs(new_acc - acc))) if len(acc) else 0.0
        acc = new_acc
        if change < tol and (iterations > warmup or not has_pairs):
            break
    if n_facts:
        belief = beliefs(st, acc, log_w, anchored, truth, cap=True)
    st.log_w = log_w
    if has_pairs and len(p_dep) == 0:
        p_dep, odds, copier_is_a = dependence(st, belief, acc)
    detected = p_dep >= 0.5 if len(p_dep) else np.zeros(0, dtype=bool)
    strength = np.where(st.pair_known, np.inf, odds) if len(p_dep) else odds
    direct = direct_pairs(st.pair_a, st.pair_b, strength, detected) if len(p_dep) else detected
    idx = np.flatnonzero(direct)
    idx = idx[np.argsort(-p_dep[idx], kind="stable")]
    cop = np.where(copier_is_a[idx], st.pair_a[idx], st.pair_b[idx]) if len(idx) else np.zeros(0, dtype=np.int64)
    ori = np.where(copier_is_a[idx], st.pair_b[idx], st.pair_a[idx]) if len(idx) else np.zeros(0, dtype=np.int64)
    return Discovery(
        belief=belief,
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
    return _iterate(new_state, previous.reliability, st.log_w, max_iter, tol, warmup=0)
