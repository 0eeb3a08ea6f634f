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
not set by hand: each is the maximum of the Beta-Binomial marginal likelihood of the records
(:func:`fit_strength`, a one-dimensional search on a log grid), so a data set whose speakers
differ a lot gets a weak prior and short records keep their own voice, one whose speakers are
alike gets a strong one. Sources the analyst graded keep the prior of their grade
(``reliability.GRADE_PRIORS``): the analyst's judgement outranks the group's.

**Decay**: with a half-life h (days), a resolution t days old counts 0.5 ** (t / h) of a full
resolution (:func:`decay_weights`), so a source that changed is judged mostly by what it did lately.

Pure numpy; no database.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from attrs import frozen

STRENGTH_GRID = np.geomspace(0.25, 2000.0, 80)

# Lanczos approximation (g = 7, n = 9), accurate to ~1e-13 for x > 0
_LANCZOS = np.array([0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                     -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                     1.5056327351493116e-7])


def lgamma(x) -> np.ndarray:
    """log Gamma(x) for x > 0, elementwise (numpy; scipy is not a runtime dependency)."""
    x = np.asarray(x, dtype=np.float64) - 1.0
    s = np.full_like(x, _LANCZOS[0])
    for k in range(1, 9):
        s = s + _LANCZOS[k] / (x + k)
    t = x + 7.5
    return 0.5 * np.log(2 * np.pi) + (x + 0.5) * np.log(t) - t + np.log(s)


def log_beta(a, b) -> np.ndarray:
    return lgamma(a) + lgamma(b) - lgamma(np.asarray(a) + np.asarray(b))


def marginal_loglik(pos, neg, mean, strength: float) -> float:
    """log P(records | mean, strength) under the Beta-Binomial (fractional counts allowed)."""
    a = np.clip(np.asarray(mean, dtype=np.float64), 1e-6, 1 - 1e-6) * strength
    b = strength - a
    return float(np.sum(log_beta(a + pos, b + neg) - log_beta(a, b)))


def fit_strength(pos, neg, mean, grid: np.ndarray = STRENGTH_GRID) -> float:
    """The prior strength (pseudo-observations) that makes these records most likely."""
    pos, neg = np.asarray(pos, dtype=np.float64), np.asarray(neg, dtype=np.float64)
    keep = (pos + neg) > 0
    if keep.sum() < 2:
        return float(grid[len(grid) // 2])
    mean = np.broadcast_to(np.asarray(mean, dtype=np.float64), pos.shape)[keep]
    pos, neg = pos[keep], neg[keep]
    scores = [marginal_loglik(pos, neg, mean, s) for s in grid]
    return float(grid[int(np.argmax(scores))])


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


def pool(groups: Sequence[str | None], pos, neg) -> Pooled:
    """Empirical Bayes priors for sources in ``groups`` (None: no group) with these records."""
    pos, neg = np.asarray(pos, dtype=np.float64), np.asarray(neg, dtype=np.float64)
    overall = float((pos.sum() + 1.0) / (pos.sum() + neg.sum() + 2.0))
    labels = sorted({g for g in groups if g is not None})
    index = {g: k for k, g in enumerate(labels)}
    gid = np.array([index.get(g, -1) for g in groups], dtype=np.int64)
    g_pos = np.bincount(gid[gid >= 0], weights=pos[gid >= 0], minlength=len(labels))
    g_neg = np.bincount(gid[gid >= 0], weights=neg[gid >= 0], minlength=len(labels))
    tau = fit_strength(g_pos, g_neg, overall) if len(labels) >= 2 else float("inf")
    if np.isfinite(tau):
        g_mean = (g_pos + tau * overall) / (g_pos + g_neg + tau)
    else:
        g_mean = np.full(len(labels), overall)
    mean = np.where(gid >= 0, g_mean[np.maximum(gid, 0)] if len(labels) else overall, overall)
    kappa = fit_strength(pos, neg, mean)
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
