"""Track records that borrow strength: empirical Bayes pooling, and the decay of old resolutions.

A source with three resolved claims, all true, is not "almost certainly reliable": most sources
with three true claims regress toward what sources like them do. The record is a hierarchical
Beta-Binomial model (Efron and Morris 1975; Kleinman 1973; the textbook case is batting
averages, Efron 2010 ch. 1):

* each source's reliability r_i ~ Beta(kappa * m_g, kappa * (1 - m_g)), where g is the group the
  source belongs to (its parent network, else its affiliation, else its kind: :func:`group_of`);
* each group's mean m_g ~ Beta(tau * m_0, tau * (1 - m_0)) around the mean m_0 of every record;
* a resolution adds its verdict score s to the positive evidence and 1 - s to the negative.

The strengths kappa (how alike sources of one group are) and tau (how alike the groups are) are
not set by hand: each is learned from the records by the Bühlmann-Straub estimators of
credibility theory (:func:`fit_strength`: the noise of one resolution over the true spread
between sources), so a data set whose speakers differ a lot gets a weak prior and short records
keep their own voice, one whose speakers are alike gets a strong one. Sources the analyst graded keep the prior of their grade
(``reliability.GRADE_PRIORS``): the analyst's judgement outranks the group's.

**Decay**: with a half-life h (days), a resolution t days old counts 0.5 ** (t / h) of a full
resolution (:func:`decay_weights`), so a source that changed is judged mostly by what it did lately.

Pure numpy; no database.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from attrs import field, frozen

MIN_STRENGTH, MAX_STRENGTH = 0.5, 10_000.0  # pseudo-observations


def variances(n, total, sumsq, counts, centre) -> tuple[float, float, int] | None:
    """The Bühlmann-Straub variance components of units' records: (within, between, units).

    Each unit (a source, or a group) has ``n`` (weighted) resolutions of scores summing to
    ``total``, squares summing to ``sumsq``, from ``counts`` resolutions; ``centre`` is the mean
    each unit's own mean varies around. ``within`` is how noisy one resolution is, ``between``
    how much units truly differ, noise removed (may come out <= 0: no spread beyond the noise).
    None when there are too few units or resolutions to tell."""
    n, total, sumsq, counts = (np.asarray(v, dtype=np.float64) for v in (n, total, sumsq, counts))
    keep = n > 0
    n, total, sumsq, counts = n[keep], total[keep], sumsq[keep], counts[keep]
    centre = np.broadcast_to(np.asarray(centre, dtype=np.float64), keep.shape)[keep]
    if len(n) < 2 or np.sum(counts - 1) <= 0:
        return None
    mean = total / n
    within = float(np.sum(np.maximum(sumsq - n * mean ** 2, 0.0)) / np.sum(np.maximum(counts - 1, 0.0)))
    big = n.sum()
    between = (float(np.sum(n * (mean - centre) ** 2)) - (len(n) - 1) * within) / (big - float(np.sum(n ** 2)) / big)
    return within, between, len(n)


def fit_strength(n, total, sumsq, counts, centre) -> float:
    """The prior strength (pseudo-observations) learned from records, by the Bühlmann-Straub
    estimators (1970; the empirical Bayes linear estimator of credibility theory).

    With the :func:`variances` within (s2) and between (a), kappa = s2 / a: the posterior mean
    (kappa * centre + total) / (kappa + n) is then the best linear estimate of the unit's
    reliability. Works with fractional verdict scores and decayed weights, where a Bernoulli
    likelihood would misjudge the noise (a beta-binomial fit of LIAR's graded verdicts learns
    a prior five times too strong).
    """
    got = variances(n, total, sumsq, counts, centre)
    if got is None:
        return MAX_STRENGTH
    within, between, _units = got
    if between <= 0:
        return MAX_STRENGTH  # units differ no more than noise: pool them fully
    return float(np.clip(within / between, MIN_STRENGTH, MAX_STRENGTH))


def _group_strength(got, overall_between: float, min_group: int) -> float | None:
    """A group's own strength: its between-source variance shrunk toward the one learned over
    every group, with the weight of ``min_group`` members (a small group's variance estimate is
    noisy and may even come out negative), over its own within-source noise."""
    if got is None or overall_between <= 0:
        return None
    within, between, units = got
    shrunk = (units * max(between, 0.0) + min_group * overall_between) / (units + min_group)
    return float(np.clip(within / shrunk, MIN_STRENGTH, MAX_STRENGTH))


def group_of(parent: str | None, affiliation: str | None, kind: str | None) -> str | None:
    """The group a source borrows strength from: its network, else its affiliation, else its kind."""
    if parent:
        return f"network:{parent}"
    if affiliation and affiliation.strip():
        return f"affiliation:{affiliation.strip().lower()}"
    if kind and kind != "unknown":
        return f"kind:{kind}"
    return None


@frozen
class Pooled:
    """Each source's prior (a, b), and what was learned: the strengths and the group means."""

    prior_a: np.ndarray
    prior_b: np.ndarray
    strength: float  # kappa: sources within a group (every group's records together)
    group_strength: float  # tau: groups around the overall mean
    overall: float  # m_0
    group_means: dict
    group_strengths: dict = field(factory=dict)  # kappa_g of the groups with records enough to learn their own


MIN_GROUP = 20  # members with a record a group needs to learn its own strength


def pool(groups: Sequence[str | None], pos, neg, sumsq, counts, min_group: int = MIN_GROUP) -> Pooled:
    """Empirical Bayes priors for sources in ``groups`` (None: no group) with these records:
    per source the positive and negative evidence, the sum of squared verdict scores (weighted)
    and the number of resolutions.

    The means follow hierarchical credibility (Bühlmann and Gisler, *A Course in Credibility
    Theory*, 2005, ch. 6): a group's mean is the **credibility-weighted** mean of its members'
    records (a member with n resolutions weighs ``z = n / (n + kappa)``), not the mean of every
    resolution, so one prolific source does not set the prior of all the others; the group's
    own credibility ``Z = sum z / (sum z + tau / kappa)`` shrinks it toward the overall mean,
    which is likewise the ``Z``-weighted mean of the groups (a source without a group is a
    group of its own there). kappa (sources around their group's mean) and tau (groups around
    the overall mean) are learned by :func:`fit_strength`; the means and kappa are solved
    together (a few fixed-point steps). Each group with at least ``min_group`` members with a
    record also learns its own strength kappa_g (how alike *its* members are: a party line or a
    wire service's outlets are alike, a kind "person" is not; :func:`_group_strength`), the
    others use kappa learned over every group's records."""
    pos, neg, sumsq, counts = (np.asarray(v, dtype=np.float64) for v in (pos, neg, sumsq, counts))
    n = pos + neg
    overall = float((pos.sum() + 1.0) / (n.sum() + 2.0))
    labels = sorted({g for g in groups if g is not None})
    index = {g: k for k, g in enumerate(labels)}
    gid = np.array([index.get(g, -1) for g in groups], dtype=np.int64)
    inside = gid >= 0

    def per_group(v):
        return np.bincount(gid[inside], weights=v[inside], minlength=len(labels))

    g_n, g_pos = per_group(n), per_group(pos)
    tau = fit_strength(g_n, g_pos, per_group(sumsq), per_group(counts), overall) if len(labels) >= 2 else MAX_STRENGTH
    g_mean = (g_pos + tau * overall) / (g_n + tau)
    mean = np.where(inside, g_mean[np.maximum(gid, 0)] if len(labels) else overall, overall)
    kappa = fit_strength(n, pos, sumsq, counts, mean)
    if np.any(n > 0):
        overall, g_mean, mean, kappa = _credibility_means(gid, n, pos, sumsq, counts, kappa, tau, len(labels))
    every = variances(n, pos, sumsq, counts, mean)
    strength = np.full(len(n), kappa)
    own = {}
    for g, k in index.items():
        members = gid == k
        if np.count_nonzero(counts[members]) >= min_group:
            got = _group_strength(variances(n[members], pos[members], sumsq[members], counts[members], mean[members]),
                                  every[1] if every else 0.0, min_group)
            if got is not None:
                own[g] = got
                strength[members] = got
    return Pooled(prior_a=strength * mean, prior_b=strength * (1.0 - mean), strength=kappa, group_strength=tau,
                  overall=overall, group_means={g: float(g_mean[k]) for g, k in index.items()}, group_strengths=own)


def _credibility_means(gid, n, pos, sumsq, counts, kappa: float, tau: float, n_groups: int, steps: int = 50):
    """The hierarchical credibility means of :func:`pool`, solved with kappa: (overall mean, each
    group's mean, each source's centre, kappa). A source without a group (``gid`` -1) is its own
    group at the top level; a group without records gets the overall mean."""
    xbar = np.where(n > 0, pos / np.maximum(n, 1e-300), 0.0)
    inside = gid >= 0
    alone = ~inside & (n > 0)
    for _ in range(steps):
        z = n / (n + kappa)
        z_g = np.bincount(gid[inside], weights=z[inside], minlength=n_groups)
        b_g = np.bincount(gid[inside], weights=(z * xbar)[inside], minlength=n_groups) / np.maximum(z_g, 1e-300)
        ratio = tau / kappa
        cred_g = z_g / (z_g + ratio)
        cred_alone = z[alone] / (z[alone] + ratio)
        weight = cred_g.sum() + cred_alone.sum()
        overall = float((np.sum(cred_g * b_g) + np.sum(cred_alone * xbar[alone])) / weight)
        g_mean = cred_g * b_g + (1.0 - cred_g) * overall
        mean = np.where(inside, g_mean[np.maximum(gid, 0)] if n_groups else overall, overall)
        new = fit_strength(n, pos, sumsq, counts, mean)
        if abs(new - kappa) <= 1e-6 * kappa:
            break
        kappa = new
    return overall, g_mean, mean, kappa


MIN_POOL = 20  # ungraded sources with a record needed to learn a group prior; fewer: the weak prior
UNGRADED = (None, "F")


def source_priors(grades, groups, pos, neg, counts, sumsq, min_pool: int = MIN_POOL):
    """Every source's prior (a, b) arrays and what pooling learned (None if nothing): graded
    sources keep their grade's prior (``reliability.GRADE_PRIORS``: the analyst's judgement
    outranks the group's), ungraded ones (no grade, or F) borrow from their group by
    :func:`pool`, once at least ``min_pool`` of them have a record to learn from."""
    from verifier.domain import reliability

    pa, pb = reliability.grade_priors_many(grades)
    ungraded = np.array([g in UNGRADED for g in grades], dtype=bool)
    counts = np.asarray(counts, dtype=np.float64)
    if np.count_nonzero(ungraded & (counts > 0)) < min_pool:
        return pa, pb, None
    at = np.flatnonzero(ungraded)
    pooled = pool([groups[i] for i in at.tolist()], *(np.asarray(v, dtype=np.float64)[at] for v in (pos, neg, sumsq)),
                  counts[at])
    pa, pb = pa.copy(), pb.copy()
    pa[at], pb[at] = pooled.prior_a, pooled.prior_b
    return pa, pb, pooled


def topic_shifts(n, total, sumsq, counts) -> dict:
    """How much better or worse than their whole records sources do on each topic, learned
    from every topic's records (a crossed effect: source and topic).

    Per topic: the weight ``n`` of its resolutions, the sum ``total`` of their residuals (the
    verdict score minus the source's whole-record mean), their squares ``sumsq`` and how many
    ``counts``. The shift is the residuals' mean shrunk toward 0 with the strength learned by
    :func:`fit_strength` over the topics (noise of one residual over the true spread between
    topics): a topic with few resolutions, or topics that hardly differ, shift little.
    Returns {topic: shift}."""
    topics = sorted(n)
    if not topics:
        return {}
    arrays = [np.array([float(d[t]) for t in topics]) for d in (n, total, sumsq, counts)]
    strength = fit_strength(*arrays, 0.0) if len(topics) >= 2 else MAX_STRENGTH
    return {t: float(arrays[1][k] / (arrays[0][k] + strength)) for k, t in enumerate(topics)}


def topic_residuals(resolutions, whole: dict) -> tuple[dict, dict, dict, dict]:
    """The per-topic sums :func:`topic_shifts` learns from: ``resolutions`` are (source, verdict
    score, weight, topic names) of each counted resolution, ``whole`` each source's whole-record
    mean; a resolution's residual (score minus its source's mean) counts on every topic it names.
    Sources without a whole record are left out. Returns (weight, residual sum, squares, counts)
    per topic."""
    n: dict = {}
    total: dict = {}
    sumsq: dict = {}
    counts: dict = {}
    for source, score, weight, names in resolutions:
        if score is None or source not in whole:
            continue
        resid = score - whole[source]
        for t in names:
            n[t] = n.get(t, 0.0) + weight
            total[t] = total.get(t, 0.0) + weight * resid
            sumsq[t] = sumsq.get(t, 0.0) + weight * resid * resid
            counts[t] = counts.get(t, 0) + 1
    return n, total, sumsq, counts


def whole_record_means(prior_a, prior_b, pos, neg) -> np.ndarray:
    """Each source's whole-record reliability: the posterior mean of its prior and its record."""
    prior_a, prior_b, pos, neg = (np.asarray(v, dtype=np.float64) for v in (prior_a, prior_b, pos, neg))
    return (prior_a + pos) / (prior_a + prior_b + pos + neg)


def topic_priors(centre, shift: float | None, pos, neg, counts, sumsq, weak_strength: float,
                 min_pool: int = MIN_POOL) -> tuple[np.ndarray, np.ndarray]:
    """Priors (a, b) for the records on one topic: each source's whole-record mean ``centre``
    moved by the topic's ``shift`` and kept within [0.01, 0.99] (None: no topic, the centre as it
    is; records as of a date only), with the strength learned from the
    topic's records (:func:`fit_strength`: how far sources' topic records stray from their whole
    ones), or ``weak_strength`` when fewer than ``min_pool`` sources have a record on the topic."""
    centre = np.asarray(centre, dtype=np.float64)
    if shift is not None:
        centre = np.clip(centre + shift, 0.01, 0.99)
    pos, neg, counts, sumsq = (np.asarray(v, dtype=np.float64) for v in (pos, neg, counts, sumsq))
    if np.count_nonzero(counts) >= min_pool:
        kappa = fit_strength(pos + neg, pos, sumsq, counts, centre)
    else:  # too few records on the topic to learn how far they stray: a weak pull toward the whole record
        kappa = weak_strength
    return kappa * centre, kappa * (1.0 - centre)


def decay_weights(age_days, half_life_days: float | None) -> np.ndarray:
    """How much a resolution ``age_days`` old counts: 0.5 ** (age / half-life); 1 without a
    half-life. Resolutions dated after the reference moment count fully."""
    age = np.asarray(age_days, dtype=np.float64)
    if not half_life_days:
        return np.ones_like(age)
    if not half_life_days > 0:
        raise ValueError(f"half-life: expected a number of days > 0, got {half_life_days!r}")
    return np.power(0.5, np.maximum(age, 0.0) / float(half_life_days))


def on_topic(tags, subject: str | None, topic: str) -> bool:
    """A claim is on a topic when one of its tags or its subject is the topic (case ignored)."""
    want = topic.strip().casefold()
    return any(str(t).strip().casefold() == want for t in tags or ()) or (
        subject is not None and subject.strip().casefold() == want)


def parse_half_life(value) -> float | None:
    """A half-life setting: a number of days > 0, or 0 / "off" / "none" for no decay."""
    text = str(value).strip().lower()
    if text in ("", "0", "0.0", "off", "none"):
        return None
    try:
        days = float(text)
    except ValueError:
        raise ValueError(f"reliability.half_life_days: expected a number of days or 'off', got {value!r}") from None
    if not (days > 0 and np.isfinite(days)):
        raise ValueError(f"reliability.half_life_days: expected a number of days > 0 or 'off', got {value!r}")
    return days
