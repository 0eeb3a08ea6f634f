"""Across languages: an Arabic claim and its English rendering (and back).

Words shared across scripts are few (names are transliterated, numbers may be written in
Arabic-Indic digits or words), so the pair score of ``domain.similarity`` cannot see a
translation. A multilingual sentence encoder can (``adapters.crosslang``: Google's Universal
Sentence Encoder, multilingual v3, Yang et al. 2020, trained so that a sentence and its
translation land close together). This module takes the encoder's cosines and decides, purely:

* a pair in two languages whose cosine reaches :data:`CUTOFF` is the **same claim** when the
  facts read from both sides (figures, dates, negation: ``matching.disagree``) agree, and a
  **possible contradiction** when they do not: never a duplicate;
* among reports, a same-claim pair is a **translation** (evidence of copying, see
  ``domain.copies``) when it carries the same figures (every number of one, dates' days
  included, is in the other: a translation renders them all, while another witness tells
  other details) and each is the other's nearest such report in the other language (mutual
  nearest neighbours, as in bitext mining, Artetxe and Schwenk 2019): a translation is closer
  to its original than an independent re-telling of the same event is.

:data:`CUTOFF` was chosen on split 3 of the parallel news sentences of
``bench/_ml_crosslang.py`` (Youden's J against the nearest different-event sentences) and is
checked there on split 2, kept aside.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from attrs import frozen

from verifier.domain.facts import extract_facts
from verifier.domain.language import ARABIC, ENGLISH, detect
from verifier.domain.matching import disagree

CUTOFF = 0.464  # cosine (USE multilingual v3) at which two texts in two languages say the same thing


def language(text: str) -> str:
    """The side a text is on: ``"ar"`` when ``domain.language`` detects Arabic, else ``"en"``
    (verifier reads two languages, so every text not in Arabic is on the English side)."""
    return ARABIC if detect(text) == ARABIC else ENGLISH


def figures(text: str) -> frozenset[str]:
    """Every number a text states (number words and Arabic-Indic digits read as digits)."""
    return frozenset(re.findall(r"\d+(?:\.\d+)?", extract_facts(text).canonical))


@frozen
class CrossPair:
    i: int
    j: int
    cosine: float
    kind: str  # "same" (the same claim) or "conflict" (a possible contradiction)
    reason: str


def judge(a: str, b: str, cosine: float, cutoff: float = CUTOFF) -> CrossPair | None:
    """The pair judgement for two texts in two languages with this cosine (None: different)."""
    if cosine < cutoff or language(a) == language(b):
        return None
    if disagree(a, b):
        return CrossPair(0, 1, cosine, "conflict",
                         f"possible contradiction across languages (cosine {cosine:.2f}): a figure, date or negation differs")
    return CrossPair(0, 1, cosine, "same", f"the same claim in another language (cosine {cosine:.2f})")


def pairs(texts: Sequence[str], cosines, cutoff: float = CUTOFF, mutual: bool = False) -> list[CrossPair]:
    """Every pair (i < j) of ``texts`` in two languages judged same claim or conflict.

    ``cosines[i][j]`` is the encoder's cosine of texts i and j. With ``mutual`` (the test for a
    translation among reports), a same-claim pair is kept only when both state the same figures
    and each text is the other's nearest such text in the other language; conflicts are always
    kept.
    """
    langs = [language(t) for t in texts]
    n = len(texts)
    found: dict[tuple[int, int], CrossPair] = {}
    for i in range(n):
        for j in range(i + 1, n):
            if langs[i] != langs[j] and (pair := judge(texts[i], texts[j], float(cosines[i][j]), cutoff)):
                found[(i, j)] = CrossPair(i, j, pair.cosine, pair.kind, pair.reason)
    if not mutual:
        return list(found.values())
    figs = {k: figures(texts[k]) for pair in found for k in pair}
    eligible = {ij: p for ij, p in found.items() if p.kind == "same" and figs[ij[0]] == figs[ij[1]]}
    nearest: dict[int, tuple[float, int]] = {}
    for (i, j), p in eligible.items():
        for a, b in ((i, j), (j, i)):
            if nearest.get(a, (-2.0, -1)) < (p.cosine, b):
                nearest[a] = (p.cosine, b)
    return [p for (i, j), p in found.items()
            if p.kind == "conflict" or ((i, j) in eligible and nearest[i][1] == j and nearest[j][1] == i)]
