"""Text reuse: does one report copy another's words, even after editing?

A repost that reflows a text, trims it, reorders its clauses or rewrites a place name
("northwest of the city of Deir ez-Zor" / "northwest of Deir ez-Zor city") keeps most of the
original's short word sequences. Plagiarism and reprint detection measure exactly that:

* a text's **shingles** are its word n-grams (Broder 1997, "On the resemblance and containment
  of documents"), here over the normalised words (``normalisation.normalise``: case, punctuation,
  quotes and thousands separators already gone) with function words dropped, so "the city of
  Deir ez-Zor" and "Deir ez-Zor city" share "deir ez zor";
* the **containment** of A in B is |S(A) ∩ S(B)| / |S(A)|: how much of A is found in B. A trimmed
  copy is contained in its original, an original with a prefix added is contained in the copy,
  so the score of a pair is the larger of the two containments (the overlap coefficient).
  This is the measure Clough et al. (2002, the METER corpus) used to tell newspaper stories
  derived from agency copy from those written independently on the same event;
* long texts would keep only their **winnowed** fingerprints (Schleimer, Wilkerson and Aiken
  2003, the minimum hash of each window of ``w`` consecutive shingles), which guarantees that
  any shared run of ``n + w - 1`` words is found; claims are short, so below ``WINNOW_FROM``
  shingles every shingle is kept.

A text that reuses another's words but changes a figure, a date or the negation is not a copy
of the same assertion but a possible contradiction (``matching.disagree``): it is never called a
copy.

Two reports share an event's names and numbers without copying each other, but written
independently they rarely share most of their runs of consecutive content words; a copy
keeps most of them. Shingles are content-word bigrams (the sweep over 2 and 3 words, and over
the cut-off, on the tuning seeds chose them: trigrams lose too much of a short claim to one
dropped word). The cut-off :data:`COPY_CONTAINMENT` was chosen on the
tuning seeds of ``bench/copy_detection.py`` and is checked there on seeds kept aside.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from verifier.domain.matching import disagree
from verifier.domain.normalisation import STOPWORDS, normalise

SHINGLE = 2  # words per shingle (content words: function words are dropped first)
COPY_CONTAINMENT = 0.6  # a pair is a copy at or above this containment (0-1)
MIN_SHARED = 2  # and when at least this many shingles are shared (two texts of 2-3 words)
WINNOW_FROM = 64  # texts with more shingles keep only their winnowed fingerprints
WINDOW = 4  # winnowing window (shingles)

# negations and numbers are never stopwords here: "did not withdraw" must not lose its "not"
_DROP = STOPWORDS - {"no", "not", "nor", "never"}


def content_words(text: str) -> list[str]:
    """The normalised words of a text, function words dropped (all words if nothing is left)."""
    words = normalise(text or "").split()
    kept = [w for w in words if w not in _DROP]
    return kept or words


def _hash(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8"))


def winnow(hashes: Sequence[int], window: int = WINDOW) -> frozenset[int]:
    """The fingerprints winnowing keeps: the smallest hash of every window of ``window``
    consecutive hashes (Schleimer et al. 2003; ties go to the rightmost, as in the paper)."""
    if len(hashes) <= window:
        return frozenset(hashes)
    kept: set[int] = set()
    for i in range(len(hashes) - window + 1):
        part = hashes[i:i + window]
        kept.add(min(part))
    return frozenset(kept)


def shingles(text: str, n: int = SHINGLE) -> frozenset[int]:
    """Hashed word n-grams of a text (the word set when it has fewer than ``n`` words);
    winnowed fingerprints when there are more than ``WINNOW_FROM``."""
    words = content_words(text)
    if len(words) < n:
        return frozenset(_hash(w) for w in words)
    hashes = [_hash(" ".join(words[i:i + n])) for i in range(len(words) - n + 1)]
    if len(hashes) > WINNOW_FROM:
        return winnow(hashes)
    return frozenset(hashes)


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """How much of ``a`` is found in ``b`` (Broder's containment), 0-1; 0 for an empty ``a``."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


def reuse_score(a: frozenset[int], b: frozenset[int]) -> float:
    """The larger containment of the two (the overlap coefficient), 0-1."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def copy_score(a: str, b: str) -> float:
    """The reuse score (0-1) of two texts; 0 when too little is shared to tell, or when they
    disagree on a number, a date or the negation."""
    sa, sb = shingles(a), shingles(b)
    shared = len(sa & sb)
    if shared == 0 or shared < min(MIN_SHARED, len(sa), len(sb)) or disagree(a, b):
        return 0.0
    return reuse_score(sa, sb)


def is_copy(a: str, b: str, cutoff: float = COPY_CONTAINMENT) -> bool:
    return copy_score(a, b) >= cutoff


def reused_pairs(texts: Sequence[str], cutoff: float = COPY_CONTAINMENT) -> dict[tuple[int, int], float]:
    """``{(i, j): score}`` (i < j) for every pair of texts whose reuse score reaches ``cutoff``.

    Pairs come from an inverted index of shingles (only texts sharing a shingle are compared),
    so a few thousand unrelated texts cost little.
    """
    sets = [shingles(t) for t in texts]
    posting: dict[int, list[int]] = {}
    for i, s in enumerate(sets):
        for h in s:
            posting.setdefault(h, []).append(i)
    shared: dict[tuple[int, int], int] = {}
    for members in posting.values():
        if len(members) < 2:
            continue
        for x in range(len(members)):
            i = members[x]
            for j in members[x + 1:]:
                shared[(i, j)] = shared.get((i, j), 0) + 1
    out: dict[tuple[int, int], float] = {}
    for (i, j), k in shared.items():
        small = min(len(sets[i]), len(sets[j]))
        if k >= min(MIN_SHARED, small) and k / small >= cutoff and not disagree(texts[i], texts[j]):
            out[(i, j)] = k / small
    return out
