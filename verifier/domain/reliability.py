"""Source reliability from a track record of resolved claims, and the words we show for a probability.

A source's reliability is the probability that the next claim it makes turns out true. We keep
it as a Beta(a, b) distribution:

* the **prior** comes from the analyst's Admiralty grade (table :data:`GRADE_PRIORS`): a mean
  and a strength in pseudo-observations. Strength 4 means "the analyst's grade counts as much as
  four resolved claims": strong enough that one unlucky resolution does not turn an A source
  into a D, weak enough that a record of ten or more resolutions dominates it. Grade F
  ("cannot be judged") and an unknown grade are a weak (2 pseudo-observations) prior at 0.5.
  G ("deliberately deceptive", an optional extension of the scale) is a prior at 0.1.
* each **resolution** adds its verdict score (true 1, mostly-true 0.75, mixed 0.5,
  mostly-false 0.25, false 0) to ``a`` and the complement to ``b``, times the resolution's
  weight. "unverifiable" is not counted.
* the **score** is the posterior mean, with a 90 % equal-tailed interval.
* the **letter** (Admiralty A-E, F when there is nothing to judge by) comes from the posterior
  mean with the cut points in :data:`LETTER_CUTS`; these are the midpoints between the grade
  prior means, so a source whose record matches its grade keeps its letter.

Everything here is pure (no database). :func:`posterior_many` is the numpy form used to score
thousands of sources at once; the Beta quantile comes from :mod:`verifier.domain.beta`, so scipy
is not a runtime dependency.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

import numpy as np
from attrs import field, frozen

from verifier.domain import vocabulary
from verifier.domain.beta import beta_ppf

#: The verdicts a track record does not count (their score in ``vocabulary.VERDICT_SCORES`` is None).
UNCOUNTED_VERDICTS = frozenset(v for v, s in vocabulary.VERDICT_SCORES.items() if s is None)

#: Admiralty source grade -> (prior mean, prior strength in pseudo-observations).
GRADE_PRIORS: dict[str | None, tuple[float, float]] = {
    "A": (0.90, 4.0),  # completely reliable
    "B": (0.80, 4.0),  # usually reliable
    "C": (0.65, 4.0),  # fairly reliable
    "D": (0.45, 4.0),  # not usually reliable
    "E": (0.25, 4.0),  # unreliable
    "F": (0.50, 2.0),  # reliability cannot be judged: weak, uninformative-ish
    "G": (0.10, 4.0),  # deliberately deceptive
    None: (0.50, 2.0),  # unknown grade: like F
}

#: (lowest posterior mean, letter), best first; below the last cut the letter is E.
LETTER_CUTS: tuple[tuple[float, str], ...] = (
    (0.85, "A"),
    (0.725, "B"),
    (0.55, "C"),
    (0.35, "D"),
)

#: ICD 203 estimative language: (upper bound, words), the band is [previous bound, bound).
ESTIMATIVE_BANDS: tuple[tuple[float, str], ...] = (
    (0.05, "almost no chance"),
    (0.20, "very unlikely"),
    (0.45, "unlikely"),
    (0.55, "roughly even chance"),
    (0.80, "likely"),
    (0.95, "very likely"),
    (math.inf, "almost certain"),
)

#: Admiralty information credibility 1-5 (6 = cannot be judged) by lower bound of P(true),
#: aligned with the ICD 203 bands above.
CREDIBILITY_CUTS: tuple[tuple[float, int], ...] = (
    (0.95, 1),  # confirmed: almost certain
    (0.55, 2),  # probably true: likely / very likely
    (0.45, 3),  # possibly true: roughly even chance
    (0.20, 4),  # doubtful: unlikely
)

INTERVAL = 0.90


def _key(value: Any) -> str:
    """'Mostly True', 'mostly_true', Verdict.MOSTLY_TRUE -> 'mostly-true'."""
    text = str(getattr(value, "value", value)).strip().lower()
    return "-".join(text.replace("_", " ").split())


def verdict_score(verdict: Any) -> float | None:
    """The score a verdict adds to a track record, None when it does not count (unverifiable)."""
    key = _key(verdict)
    if key in UNCOUNTED_VERDICTS:
        return None
    try:
        return vocabulary.VERDICT_SCORES[key]
    except KeyError:
        allowed = ", ".join(vocabulary.VERDICT_SCORES)
        raise ValueError(f"verdict: unknown value {verdict!r} (one of: {allowed})") from None


def grade_prior(grade: Any) -> tuple[float, float]:
    """Beta prior ``(a0, b0)`` for an Admiralty grade (None = unknown, treated as F)."""
    key = None if grade is None else _key(grade).upper() or None
    if key not in GRADE_PRIORS:
        allowed = ", ".join(k for k in GRADE_PRIORS if k)
        raise ValueError(f"grade: unknown value {grade!r} (one of: {allowed}, or none)")
    mean, strength = GRADE_PRIORS[key]
    return mean * strength, (1.0 - mean) * strength


def letter_for(mean: float, n: int = 1, grade: Any = None) -> str:
    """Admiralty letter for a posterior mean; F when there is no evidence and no usable grade."""
    if n == 0 and (grade is None or _key(grade).upper() in ("", "F")):
        return "F"
    for cut, letter in LETTER_CUTS:
        if mean >= cut:
            return letter
    return "E"


# --------------------------------------------------------------------------- value types


def _comparable(value: date | datetime) -> datetime:
    """A naive UTC datetime; a bare date means "by the end of that day"."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time.max)
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _positive_weight(instance, attribute, value):
    if not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"{attribute.name}: must be a finite number >= 0, got {value!r}")


@frozen
class ResolvedReport:
    """One resolved claim of the source: what the analyst concluded, and when."""

    claim: str
    verdict: str = field(converter=_key)
    at: datetime
    weight: float = field(default=1.0, converter=float, validator=_positive_weight)


@frozen
class Step:
    """How one resolution moved the score."""

    at: datetime
    claim: str
    verdict: str
    score_before: float
    score_after: float
    delta: float


@frozen
class TrackRecord:
    score: float
    low: float
    high: float
    letter: str
    counts: dict[str, int]
    n: int
    history: tuple[Step, ...]
    prior: tuple[float, float] = (1.0, 1.0)

    @property
    def words(self) -> str:
        return estimative_words(self.score)


def track_record(
    grade: str | None,
    resolutions: Iterable[ResolvedReport],
    as_of: date | datetime | None = None,
    prior: tuple[float, float] | None = None,
) -> TrackRecord:
    """A source's reliability from its grade and its resolved claims (only those up to ``as_of``).

    Resolutions are applied in time order (ties keep the given order); each step of the history
    says how far that resolution moved the score. ``counts`` counts every verdict seen, including
    unverifiable ones; ``n`` counts the ones that entered the score. ``prior``: Beta (a, b) to
    start from instead of the grade's (a group's, learned by ``domain.pooling``).
    """
    a, b = prior if prior is not None else grade_prior(grade)
    prior = (a, b)
    items = list(resolutions)
    if as_of is not None:
        limit = _comparable(as_of)
        items = [r for r in items if _comparable(r.at) <= limit]
    items.sort(key=lambda r: _comparable(r.at))
    counts: dict[str, int] = {}
    steps: list[Step] = []
    n = 0
    for r in items:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
        score = verdict_score(r.verdict)
        if score is None or r.weight == 0:
            continue
        before = a / (a + b)
        a += r.weight * score
        b += r.weight * (1.0 - score)
        after = a / (a + b)
        n += 1
        steps.append(Step(r.at, r.claim, r.verdict, before, after, after - before))
    low, high = beta_interval(a, b)
    mean = a / (a + b)
    return TrackRecord(
        score=mean,
        low=low,
        high=high,
        letter=letter_for(mean, n, grade),
        counts=counts,
        n=n,
        history=tuple(steps),
        prior=prior,
    )


def moved_most(record: TrackRecord, k: int = 3) -> tuple[Step, ...]:
    """The ``k`` resolutions that moved the score most (largest |delta|), largest first."""
    ranked = sorted(enumerate(record.history), key=lambda item: (-abs(item[1].delta), item[0]))
    return tuple(step for _, step in ranked[: max(k, 0)])


# --------------------------------------------------------------------------- words


def estimative_words(p: float) -> str:
    """ICD 203 expression of likelihood for a probability (bands are [low, high))."""
    if p is None or not math.isfinite(p):
        raise ValueError(f"probability: expected a number in [0, 1], got {p!r}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability: expected a number in [0, 1], got {p!r}")
    for bound, words in ESTIMATIVE_BANDS:
        if p < bound:
            return words
    return ESTIMATIVE_BANDS[-1][1]  # pragma: no cover


def admiralty_credibility(p: float | None, evidence: int | None = None) -> int:
    """Admiralty credibility of information: 1 confirmed, 2 probably true, 3 possibly true,
    4 doubtful, 5 improbable, 6 cannot be judged (no probability, or ``evidence == 0``)."""
    if p is None or evidence == 0 or (isinstance(p, float) and math.isnan(p)):
        return 6
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability: expected a number in [0, 1], got {p!r}")
    for cut, level in CREDIBILITY_CUTS:
        if p >= cut:
            return level
    return 5


def credibility_many(p) -> np.ndarray:
    """Admiralty credibility 1-5 for many probabilities at once, as :func:`admiralty_credibility`
    gives it for each (the caller marks "cannot be judged", 6, where there is no evidence)."""
    cuts = np.array([cut for cut, _level in CREDIBILITY_CUTS])
    levels = np.array([level for _cut, level in CREDIBILITY_CUTS] + [5])
    return levels[np.searchsorted(-cuts, -np.asarray(p, dtype=np.float64), side="left")]


# --------------------------------------------------------------------------- intervals


def beta_interval(a: float, b: float, level: float = INTERVAL) -> tuple[float, float]:
    """Equal-tailed interval of Beta(a, b) holding ``level`` of the mass."""
    tail = (1.0 - level) / 2.0
    low = float(beta_ppf(tail, a, b))
    high = float(beta_ppf(1.0 - tail, a, b))
    return low, high


def posterior_many(
    prior_a, prior_b, pos, neg, level: float = INTERVAL
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Posterior mean and equal-tailed interval for many sources at once.

    ``pos``/``neg`` are the (possibly fractional) positive and negative evidence per source:
    for verdict scores s_i, pos = sum(s_i) and neg = sum(1 - s_i).
    """
    a = np.asarray(prior_a, dtype=np.float64) + np.asarray(pos, dtype=np.float64)
    b = np.asarray(prior_b, dtype=np.float64) + np.asarray(neg, dtype=np.float64)
    a, b = np.broadcast_arrays(a, b)
    if np.any(a <= 0) or np.any(b <= 0):
        raise ValueError("posterior: Beta parameters must be positive (prior a, b > 0)")
    tail = (1.0 - level) / 2.0
    mean = a / (a + b)
    return mean, beta_ppf(tail, a, b), beta_ppf(1.0 - tail, a, b)


def grade_priors_many(grades: Iterable[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Arrays of prior ``(a0, b0)`` for a sequence of grades (for :func:`posterior_many`)."""
    grades = list(grades)
    if not grades:
        return np.zeros(0), np.zeros(0)
    known = {g: grade_prior(g) for g in set(grades)}  # a handful of distinct grades
    arr = np.asarray([known[g] for g in grades], dtype=np.float64)
    return arr[:, 0], arr[:, 1]
