"""Similarity of two claim texts (0-100) and the reranking of the text index's candidates.

Nothing here compares all pairs: the index proposes a few candidates, these functions score them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from attrs import field, frozen
from rapidfuzz import fuzz, process

from verifier.domain.normalisation import content_words, normalise


def _optional_float(value: float | None) -> float | None:
    return None if value is None else float(value)


@frozen
class Candidate:
    """A tracked claim proposed by the text index for an incoming text.

    ``rank`` is the index's lexical score as the index returns it: for SQLite FTS5
    ``bm25()`` lower (more negative) is better; ``None`` when there is none.
    """

    id: int
    text: str
    norm: str
    rank: float | None = field(default=None, converter=_optional_float)


@frozen
class Scored:
    id: int
    score: float


# The pair score is a soft Dice coefficient over content words: stopwords dropped,
# each word weighted by its length (a cheap stand-in for rarity), two words matching by
# their rapidfuzz ``ratio`` when it reaches _WORD_CUTOFF ("russia"/"russian",
# "defence"/"defences"), numbers only when equal.  Unlike ``token_set_ratio`` it does not
# call a subset a 100 match, and unlike character ratios it gives unrelated short texts
# a score near 0 rather than 40-50.  On CheckThat! train it ranks as well as any mix of
# token_set/token_sort/partial ratios tried (MAP@5 within 0.005) and separates true from
# wrong rank-1 pairs better (AUC 0.80 against 0.76 for token_sort_ratio).
_WORD_CUTOFF = 80.0
_W_LEXICAL = 0.75  # points lost per 1% of lexical (bm25) score behind the best candidate


def soft_dice(a: Sequence[str], b: Sequence[str]) -> float:
    """Length-weighted soft Dice (0-100) of two word lists (``content_words``).

    A word counts as matched when the other text has it, or else by its best rapidfuzz
    ``ratio`` (as a fraction) against the other text's words when that reaches
    _WORD_CUTOFF; words starting with a digit match only when equal. Symmetric.
    """
    if not a or not b:
        return 0.0
    set_a, set_b = set(a), set(b)
    covered = total = 0.0
    for words, other, other_set in ((a, b, set_b), (b, a, set_a)):
        fuzzy_pool = None
        for w in words:
            weight = len(w)  # a word weighs its length, at most 10 (inline: runs for every candidate pair)
            if weight > 10:
                weight = 10
            total += weight
            if w in other_set:
                covered += weight
            elif not w[0].isdigit():
                if fuzzy_pool is None:
                    fuzzy_pool = [x for x in other if not x[0].isdigit()]
                if fuzzy_pool:
                    best = _extract_one(w, fuzzy_pool, scorer=fuzz.ratio, score_cutoff=_WORD_CUTOFF)
                    if best is not None:
                        covered += weight * best[1] / 100.0
    return 100.0 * covered / total


_extract_one = process.extractOne


def pair_scorer(a: Sequence[str], b: Sequence[str], **_: object) -> float:
    """``soft_dice`` with the signature rapidfuzz's ``process.cdist``/``cpdist`` expect of a
    scorer (the benches run it over all pairs for the exhaustive baseline)."""
    return soft_dice(a, b)


def _soft_dice(query: list[str], candidates: Sequence[Sequence[str]]) -> list[float]:
    """``soft_dice`` of ``query`` against each word list."""
    return [soft_dice(query, words) for words in candidates]


def _pair_scores(query_norm: str, norms: Sequence[str]) -> list[float]:
    return _soft_dice(list(content_words(query_norm)), [content_words(n) for n in norms])


def pair_score(a: str, b: str) -> float:
    """0-100 similarity of two texts (normalised here), symmetric."""
    return _pair_scores(normalise(a), [normalise(b)])[0]


def rerank(
    query: str,
    candidates: Sequence[Candidate],
    limit: int,
    cosines: Mapping[int, float] | None = None,
) -> list[Scored]:
    """Score the index's candidates for ``query`` 0-100, best first, at most ``limit``.

    The lexical score is the pair score minus a penalty for lexical rank behind the
    best candidate of the index (``bm25`` relative to the best one), so the top candidate
    keeps its pair score (comparable with ``compare``) and weak lexical matches sink.
    With ``cosines`` (candidate id -> cosine of the sentence embeddings, see
    ``verifier.adapters.embeddings``) the score is ``fuse(lexical, cosine)`` instead; a
    candidate without a cosine keeps its lexical score.
    """
    if not candidates or limit <= 0:
        return []
    qnorm = normalise(query)
    fuzzy = _pair_scores(qnorm, [c.norm or normalise(c.text) for c in candidates])
    known = [c.rank for c in candidates if c.rank is not None]
    best = min(known) if known else None
    scored = []
    for cand, score in zip(candidates, fuzzy, strict=False):
        if best is not None and best < 0:
            relative = (cand.rank / best) if cand.rank is not None else 0.0
            score -= _W_LEXICAL * 100.0 * (1.0 - max(0.0, min(1.0, relative)))
        if cosines is not None and cand.id in cosines:
            score = fuse(score, cosines[cand.id])
        scored.append((score, cand.id))
    # ranked by the score before it is clipped to 0-100: candidates the penalty pushes
    # below 0 keep their order (on CheckThat, tweets' true claims are often among them)
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [Scored(id=i, score=round(max(0.0, min(100.0, score)), 2)) for score, i in scored[:limit]]


# Semantic fusion: on CheckThat! train (FTS5 candidates, all-MiniLM-L6-v2 embeddings of
# the claim text) a grid over 0.1-0.7 lexical share put 0.3 first (MAP@5 train 0.885,
# dev 0.845, against 0.86/0.78 lexical and 0.84/0.81 cosine alone).
_W_FUSE_LEXICAL = 0.3


def fuse(lexical: float, cosine: float) -> float:
    """One 0-100 score from a lexical score and an embedding cosine (-1..1).

    ``lexical`` is a pair score (0-100) or, in ``rerank``, the pair score less the
    lexical-rank penalty before it is clipped at 0 (keeping that order is worth 0.015
    MAP@5 on dev). Negative cosines count as 0.
    """
    fused = _W_FUSE_LEXICAL * lexical + (1.0 - _W_FUSE_LEXICAL) * 100.0 * max(0.0, cosine)
    return max(0.0, min(100.0, fused))
