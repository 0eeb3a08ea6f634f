"""Deciding one pair of claim texts: duplicate, possible contradiction or nothing.

The flow of near-duplicate detection (see DESIGN.md, "Near-duplicates"):

1. ``normalisation.normalise(text)`` is stored with every claim (``claims.norm``) and indexed.
2. ``normalisation.query_terms(text)`` gives the distinctive tokens of an incoming text; the
   adapter ORs them into one index query and fetches a few candidates with their lexical rank.
3. ``similarity.rerank(query, candidates, limit)`` scores those few candidates 0-100.
4. ``compare(a, b)`` (here) decides one pair, reading both texts' facts (``facts``) and
   comparing their values (``values``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from attrs import frozen

from verifier.domain.facts import Facts, extract_facts, format_date, format_number
from verifier.domain.normalisation import content_words
from verifier.domain.similarity import soft_dice
from verifier.domain.values import dates_compatible, values_compatible

# Thresholds on the 0-100 ``compare`` score of two claims (the defaults of the settings
# match.t1 / match.t2), chosen with ``python bench/claim_matching.py`` on CheckThat! 2020
# task 2 train, from the pairs the detector proposes among the 10,375 fact-checked claims
# imported through verifier: true pairs are copies of a claim, claims answering the same
# tweet, and a claim against its fact-check's headline offered as a new claim; wrong
# pairs are every other candidate.
#   T1 ("suggest for review") = 51: the lowest score with at most 5 wrong suggestions per
#       100 arriving claims (train 4.8; precision 84%, 49% of the true pairs suggested;
#       dev at 51: precision 81%, and dev alone would pick 53);
#   T2 ("near-certain") = 74: the lowest score from which >= 97% of the suggestions are
#       true pairs (train 97.2%; dev 95.6% at 74, dev alone would pick 88 on 157 pairs).
# (The tweet -> claim retrieval of ``similar`` ranks and does not threshold.)
T1: float = 51.0
T2: float = 74.0


def band(score: float, t1: float, t2: float) -> str | None:
    """A detector's score as the review queue shows it: near-certain at T2, review at T1."""
    if score >= t2:
        return "near-certain"
    if score >= t1:
        return "review"
    return None


@frozen
class Comparison:
    score: float
    kind: str | None  # "duplicate" | "conflict" | None
    reason: str


def _numbers_conflict(
    n1: Sequence[tuple[str, object]], n2: Sequence[tuple[str, object]]
) -> tuple[tuple[str, object], tuple[str, object]] | None:
    """The first pair of quantities that cannot both be true, if any.

    With as many quantities on each side they are paired in order; otherwise each
    quantity must be compatible with at least one on the other side.
    """
    if not n1 or not n2:
        return None
    if len(n1) == len(n2):
        for x, y in zip(n1, n2, strict=False):
            if not values_compatible(x[0], x[1], y[0], y[1]):
                return (x, y)
        return None
    shorter, longer = (n1, n2) if len(n1) < len(n2) else (n2, n1)
    for x in shorter:
        if not any(values_compatible(x[0], x[1], y[0], y[1]) for y in longer):
            pair = (x, longer[0])
            return pair if shorter is n1 else (pair[1], pair[0])
    return None


@lru_cache(maxsize=65536)
def _canonical_words(text: str) -> tuple[str, ...]:
    return content_words(extract_facts(text).canonical)


def _labels_differ(la: Sequence[tuple[str, str]], lb: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """The first label both texts give a number to, with other numbers ("convoy 100" vs
    "convoy 101"): the texts speak of different things."""
    if not la or not lb:
        return None
    values_b: dict[str, set[str]] = {}
    for label, value in lb:
        values_b.setdefault(label, set()).add(value)
    for label, value in la:
        if label in values_b and value not in values_b[label]:
            other = min(values_b[label], key=lambda v: (len(v), v))
            return f"{label} {value}", f"{label} {other}"
    return None


def _disagreements(fa: Facts, fb: Facts) -> list[str]:
    """Why two texts cannot both be true: the negation, a number or a date differs."""
    reasons = []
    if (fa.negations % 2) != (fb.negations % 2):
        which = "first" if fa.negations % 2 else "second"
        reasons.append(f"negation: only the {which} text denies it")
    if pair := _numbers_conflict(fa.numbers, fb.numbers):
        reasons.append(f"numbers: {format_number(*pair[0])} vs {format_number(*pair[1])}")  # type: ignore[arg-type]
    if fa.dates and fb.dates and not any(dates_compatible(x, y) for x in fa.dates for y in fb.dates):
        reasons.append(f"dates: {format_date(fa.dates[0])} vs {format_date(fb.dates[0])}")
    return reasons


def disagree(a: str, b: str) -> bool:
    """True when the two texts differ in a negation, a number or a date (so neither can be a
    copy of the other: a changed figure is a contradiction)."""
    return bool(_disagreements(extract_facts(a), extract_facts(b)))


def compare(a: str, b: str, t1: float = T1, t2: float = T2) -> Comparison:
    """Decide one pair of claim texts.

    ``duplicate`` when the texts score at least ``t1`` and agree on numbers (bounds and
    'about' understood), dates and negation; ``conflict`` (a possible contradiction) when
    the words match (at least ``t1`` with numbers, dates and negations taken out) but a
    quantity, a date or the negation differs; otherwise ``None``, and always ``None``
    when a number that names something differs ("convoy 100" and "convoy 101" are two
    convoys, not two counts: see ``_label_at``). ``score`` is the pair score 0-100 of
    the texts with numbers and dates spelt one way.
    """
    fa, fb = extract_facts(a), extract_facts(b)
    score = round(soft_dice(_canonical_words(a), _canonical_words(b)), 2)
    if named := _labels_differ(fa.labels, fb.labels):
        return Comparison(score=score, kind=None, reason=f"different things: {named[0]} vs {named[1]}")
    reasons = _disagreements(fa, fb)
    if reasons and fa.skeleton and fb.skeleton:
        skeleton = soft_dice(content_words(fa.skeleton), content_words(fb.skeleton))
        if skeleton >= t1:
            return Comparison(
                score=score, kind="conflict",
                reason="possible contradiction: same words, different " + "; ".join(reasons),
            )  # fmt: skip
    if score >= t2:
        return Comparison(score=score, kind="duplicate", reason=f"near-certain duplicate (score {score:.0f} >= {t2:.0f})")
    if score >= t1:
        return Comparison(score=score, kind="duplicate", reason=f"possible duplicate (score {score:.0f} >= {t1:.0f})")
    return Comparison(score=score, kind=None, reason=f"different (score {score:.0f} < {t1:.0f})")
