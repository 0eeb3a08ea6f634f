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
from attrs import frozen

MIN_STRENGTH, MAX_STRENGTH = 0.5, 10_000.0  # pseudo-observations


def fit_strength(n, total, sumsq, counts, centre) -> float:
    """The prior strength (pseudo-observations) learned from records, by the Bühlmann-Straub
    estimators (1970; the empirical Bayes linear estimator of credibility theory).

    Each unit (a source, or a group) has ``n`` (weighted) resolutions of scores summing to
    ``total``, squares summing to ``sumsq``, from ``counts`` resolutions; ``centre`` is the mean
    each unit's own mean varies around. The within-unit variance s2 (how noisy one resolution
    is) and the between-unit variance a (how much units truly differ, noise removed) give
    kappa = s2 / a: the posterior mean (kappa * centre + total) / (kappa + n) is then the best
    linear estimate of the unit's reliability. Works with fractional verdict scores and decayed
    weights, where a Bernoulli likelihood would misjudge the noise.
    """
    n, total, sumsq, counts = (np.asarray(v, dtype=np.float64) for v in (n, total, sumsq, counts))
    keep = n > 0
    n, total, sumsq, counts = n[keep], total[keep], sumsq[keep], counts[keep]
    centre = np.broadcast_to(np.asarray(centre, dtype=np.float64), keep.shape)[keep]
    if len(n) < 2 or np.sum(counts - 1) <= 0:
        return MAX_STRENGTH
    mean = total / n
    within = float(np.sum(np.maximum(sumsq - n * mean ** 2, 0.0)) / np.sum(np.maximum(counts - 1, 0.0)))
    big = n.sum()
    between = (float(np.sum(n * (mean - centre) ** 2)) - (len(n) - 1) * within) / (big - float(np.sum(n ** 2)) / big)
    if between <= 0:
        return MAX_STRENGTH  # units differ no more than noise: pool them fully
    return float(np.clip(within / between, MIN_STRENGTH, MAX_STRENGTH))


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
    strength: float  # kappa: sources within a group
    group_strength: float  # tau: groups around the overall mean
    overall: float  # m_0
    group_means: dict


def pool(groups: Sequence[str | None], pos, neg, sumsq, counts) -> Pooled:
    """Empirical Bayes priors for sources in ``groups`` (None: no group) with these records:
    per source the positive and negative evidence, the sum of squared verdict scores (weighted)
    and the number of resolutions."""
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
    return Pooled(prior_a=kappa * mean, prior_b=kappa * (1.0 - mean), strength=kappa, group_strength=tau,
                  overall=overall, group_means={g: float(g_mean[k]) for g, k in index.items()})


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
