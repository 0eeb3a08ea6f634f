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
from rapidfuzz import fuzz

from verifier.domain import lexicon_ar
from verifier.domain.facts import Facts, extract_facts, format_date, format_number
from verifier.domain.normalisation import content_words, fold_arabic, has_arabic, light_stem, normalise
from verifier.domain.similarity import _WORD_CUTOFF, soft_dice
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

# Two Arabic texts are judged on their light stems (``light_stem``) with Arabic cues of
# contradiction (see ``_arabic_contrasts``) and a one-word swap put to the analyst
# (``_one_word_swapped``); thresholds chosen with ``python bench/_ml_pairs.py`` on the train
# split of ANS (Arabic News Stance; Khouja 2020), paraphrases against contradictions written
# from the same headline:
#   T1_AR = 70: the lowest score at which at most 10% of the contradictions are judged
#       duplicate (train: 9.3%, precision 72%, 45% of the paraphrases judged duplicate);
#   T2_AR = 100: identical stems; no lower score makes a near-certain Arabic duplicate on ANS
#       (train precision 86% at 90).
# An Arabic possible contradiction needs a cue or a swapped word and a stem score of at least
# T_AR_CONFLICT. These apply to pairs of Arabic texts; the match.t1/match.t2 settings to others.
T1_AR: float = 70.0
T2_AR: float = 100.0
T_AR_CONFLICT: float = 30.0


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
    copy of the other: a changed figure is a contradiction); two Arabic texts also when one
    says the opposite predicate, another place, or a negative implicative (``_arabic_contrasts``)."""
    if _both_arabic(a, b):
        return bool(_arabic_contrasts(a, b))
    return bool(_disagreements(extract_facts(a), extract_facts(b)))


def _both_arabic(a: str, b: str) -> bool:
    return has_arabic(a) and has_arabic(b)


def _key(word: str) -> str:
    return light_stem(fold_arabic(word))


# The Arabic word lists the judgement reads (lexicon_ar), keyed by light stem.
_AR_OPPOSITE: dict[str, set[tuple[int, int]]] = {}
for _group, _sides in enumerate(lexicon_ar.OPPOSITES):
    for _side, _forms in enumerate(_sides):
        for _form in _forms:
            _AR_OPPOSITE.setdefault(_key(_form), set()).add((_group, _side))
_AR_PLACE = {_key(form): group for group, forms in enumerate(lexicon_ar.PLACES) for form in forms}
_AR_IMPLICATIVES = frozenset(map(fold_arabic, lexicon_ar.NEGATIVE_IMPLICATIVES))


@lru_cache(maxsize=65536)
def _stems(text: str) -> tuple[str, ...]:
    """The light stems of a text's content words, numbers and dates spelt one way."""
    return tuple(dict.fromkeys(light_stem(w) for w in _canonical_words(text)))


def _implicatives(text: str) -> int:
    """How many negative implicatives ("فشل", "رفض", "ألغى"...) a text holds, clitic و/ف allowed."""
    return sum(1 for w in normalise(text).split() if w in _AR_IMPLICATIVES or (w[:1] in "وف" and w[1:] in _AR_IMPLICATIVES))


def _arabic_contrasts(a: str, b: str) -> list[str]:
    """Why two Arabic texts cannot both be true: the negation (particles, denials and negative
    implicatives) or a number or a date differs, one says a predicate and the other its opposite
    ("ارتفاع"/"انخفاض"), or they name different places or actors ("باريس"/"لندن")."""
    fa, fb = extract_facts(a), extract_facts(b)
    reasons = [r for r in _disagreements(fa, fb) if not r.startswith("negation")]
    na, nb = fa.negations + _implicatives(a), fb.negations + _implicatives(b)
    if na % 2 != nb % 2:
        reasons.insert(0, f"negation: only the {'first' if na % 2 else 'second'} text denies it")
    sa, sb = set(_stems(a)), set(_stems(b))
    only_a = {(g, side): w for w in sa - sb for g, side in _AR_OPPOSITE.get(w, ())}
    only_b = {(g, side): w for w in sb - sa for g, side in _AR_OPPOSITE.get(w, ())}
    for (group, side), word in only_a.items():
        if (group, 1 - side) in only_b:
            reasons.append(f"opposites: {word} vs {only_b[(group, 1 - side)]}")
            break
    places_a = {_AR_PLACE[w]: w for w in _stems(a) if w in _AR_PLACE}
    places_b = {_AR_PLACE[w]: w for w in _stems(b) if w in _AR_PLACE}
    only_in_a, only_in_b = places_a.keys() - places_b.keys(), places_b.keys() - places_a.keys()
    if only_in_a and only_in_b:
        reasons.append(f"places: {places_a[min(only_in_a)]} vs {places_b[min(only_in_b)]}")
    return reasons


def _one_word_swapped(a: Sequence[str], b: Sequence[str]) -> tuple[str, str] | None:
    """The two words when two word lists are alike but for one word each, not spelling variants
    of each other (rapidfuzz ``ratio`` below the soft score's cutoff): a headline with one
    predicate, place or actor swapped ("يصادق"/"يزور", "باريس"/"لندن") says something else
    as often as the same thing in other words, so it is put to the analyst, not merged."""
    only_a = [w for w in a if not w[0].isdigit() and not _has_variant(w, b)]
    only_b = [w for w in b if not w[0].isdigit() and not _has_variant(w, a)]
    return (only_a[0], only_b[0]) if len(only_a) == 1 and len(only_b) == 1 else None


def _has_variant(word: str, words: Sequence[str]) -> bool:
    return any(word == w or fuzz.ratio(word, w) >= _WORD_CUTOFF for w in words)


def _compare_arabic(a: str, b: str) -> Comparison:
    """``compare`` for two Arabic texts: light stems, Arabic cues, the Arabic thresholds."""
    fa, fb = extract_facts(a), extract_facts(b)
    score = round(soft_dice(_stems(a), _stems(b)), 2)
    if named := _labels_differ(fa.labels, fb.labels):
        return Comparison(score=score, kind=None, reason=f"different things: {named[0]} vs {named[1]}")
    if reasons := _arabic_contrasts(a, b):
        if score >= T_AR_CONFLICT:
            return Comparison(score=score, kind="conflict",
                              reason="possible contradiction: same words, different " + "; ".join(reasons))
        return Comparison(score=score, kind=None, reason=f"different (score {score:.0f}; " + "; ".join(reasons) + ")")
    if score >= T_AR_CONFLICT and (swapped := _one_word_swapped(_stems(a), _stems(b))):
        return Comparison(score=score, kind="conflict",
                          reason=f"possible contradiction: one word differs, {swapped[0]} vs {swapped[1]}")
    if score >= T2_AR:
        return Comparison(score=score, kind="duplicate", reason=f"near-certain duplicate (score {score:.0f} >= {T2_AR:.0f})")
    if score >= T1_AR:
        return Comparison(score=score, kind="duplicate", reason=f"possible duplicate (score {score:.0f} >= {T1_AR:.0f})")
    return Comparison(score=score, kind=None, reason=f"different (score {score:.0f} < {T1_AR:.0f})")


def compare(a: str, b: str, t1: float = T1, t2: float = T2) -> Comparison:
    """Decide one pair of claim texts.

    ``duplicate`` when the texts score at least ``t1`` and agree on numbers (bounds and
    'about' understood), dates and negation; ``conflict`` (a possible contradiction) when
    the words match (at least ``t1`` with numbers, dates and negations taken out) but a
    quantity, a date or the negation differs; otherwise ``None``, and always ``None``
    when a number that names something differs ("convoy 100" and "convoy 101" are two
    convoys, not two counts: see ``_label_at``). ``score`` is the pair score 0-100 of
    the texts with numbers and dates spelt one way. Two Arabic texts are judged on their
    light stems, with the Arabic cues and thresholds (``_compare_arabic``).
    """
    if _both_arabic(a, b):
        return _compare_arabic(a, b)
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
