"""Near-duplicate and claim matching: pure functions, no database.

The flow (see DESIGN.md, "Near-duplicates"):

1. ``normalise(text)`` is stored with every claim (``claims.norm``) and indexed by
   the text index (SQLite FTS5 ``unicode61`` / PostgreSQL full-text).
2. ``query_terms(text)`` gives the distinctive tokens of an incoming text; the adapter
   ORs them into one index query and fetches a few candidates with their lexical rank.
3. ``rerank(query, candidates, limit)`` scores those few candidates 0-100 with rapidfuzz
   plus the lexical rank. Nothing here compares all pairs.
4. ``compare(a, b)`` decides one pair: duplicate, possible contradiction (same text up
   to a number, a date or a negation) or nothing.

``values_compatible`` compares structured values (numbers with qualifiers, or short
texts) and is shared with the corroboration code.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

from attrs import field, frozen
from rapidfuzz import fuzz, process

from verifier.domain.model import Qualifier

__all__ = [
    "T1",
    "T2",
    "Candidate",
    "Comparison",
    "Facts",
    "Scored",
    "compare",
    "extract_facts",
    "fuse",
    "normalise",
    "query_terms",
    "rerank",
    "pair_score",
    "pair_scorer",
    "rare_terms",
    "soft_dice",
    "content_words",
    "template_keys",
    "values_compatible",
]

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

# --------------------------------------------------------------------------- text

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": " - ",
        "\u2212": "-",
    }
)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+|\b(?:t\.co|bit\.ly|youtu\.be)/\S+",
    re.IGNORECASE,
)
# "— Name (@handle) January 14, 2020" closing an embedded tweet.
_TWEET_SIGNATURE = re.compile(
    r"\s[-\u2014\u2013]{1,2}\s[^\u2014]{0,80}?\(@\w+\)\s+[A-Za-z]+\s+\d{1,2},\s+\d{4}\s*$"
)
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f\u2009'](?=\d{3}(?!\d))")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
# A token: letters and digits, or a decimal number ("2.5") kept whole.
_WORD = re.compile(r"[^\W_]*\d(?:\.\d+)+[^\W_]*|[^\W_]+")
_DECIMAL = re.compile(r"\d\.\d")
# In ASCII, _WORD's tokens are runs of letters and digits: every other byte separates.
_ASCII_SEPARATORS = bytes(c if chr(c).isascii() and chr(c).isalnum() else 0x20 for c in range(256))


def _strip_marks(text: str) -> str:
    if text.isascii():  # nothing to strip; the common case, and 30x faster
        return text
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", kept)


def _prepare(text: str) -> str:
    """NFKC, straight quotes, no URLs, no diacritics, casefolded, 6,250 -> 6250."""
    text = text or ""
    # the cheap tests skip passes that cannot change the text (import speed)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    elif "`" in text:
        text = text.translate(_QUOTES)
    if "/" in text or "www." in text or "WWW." in text or "Www." in text:
        text = _URL.sub(" ", text)
    text = _strip_marks(text.casefold())
    if not text.isascii() or "," in text or "'" in text:
        text = _THOUSANDS.sub("", text)
    return text


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """The comparable form of a text, stored in ``claims.norm`` and indexed.

    NFKC, casefolded, diacritics dropped, URLs removed, ``#tag``/``@handle`` kept as
    plain words (``#AustralianFires`` -> ``australianfires``),
    thousands separators dropped (``6,250`` -> ``6250``, decimals kept as ``2.5``),
    other punctuation removed, whitespace collapsed.  Every token is letters or digits
    only, so the index tokenizer splits the stored text exactly as ``str.split`` does
    (decimals aside, which the index reads as a two-token phrase).
    """
    text = _prepare(text)
    if "'" in text:
        text = _POSSESSIVE.sub("", text)
        text = _APOSTROPHE.sub("", text)
    if text.isascii() and not ("." in text and _DECIMAL.search(text)):
        # the same tokens as _WORD, found by a byte translation (4x faster; import speed)
        return " ".join(text.encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii").split())
    return " ".join(_WORD.findall(text))


# bulk paths (an import of a million distinct texts) gain nothing from the cache
normalise_uncached = normalise.__wrapped__

_TAG = re.compile(r"[#@](\w+)")


def _camel_parts(text: str) -> list[str]:
    """The words of camel-case hashtags and handles: #DefundTheCBC -> Defund, The, CBC."""
    parts: list[str] = []
    for match in _TAG.finditer(_URL.sub(" ", unicodedata.normalize("NFKC", text or ""))):
        found = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", match.group(1))
        if len(found) > 1:
            parts += found
    return parts


# Function words that carry nothing for finding candidates.  Negations and numbers are
# kept out of this list on purpose: they are what the guards look at.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just let me more most my myself of off on once only or other ought
    our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up upon us
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t ll d m re ve im ive id youre dont doesnt didnt isnt arent
    wasnt werent wont cant via rt amp get got also says said say new like one even still
    many much now via via may might must shall would
    """.split()
)


def query_terms(text: str, max_terms: int = 32) -> list[str]:
    """The distinctive tokens of a raw text, for the candidate query of the index.

    Tokens are spelt as in ``normalise``; stopwords and one-letter words are dropped,
    duplicates removed.  A camel-case ``#hashtag`` or ``@handle`` also gives its words
    (``#AustralianFires`` -> ``australianfires``, ``australian``, ``fires``): on the
    CheckThat! bench this lifts MAP@5 by 0.04-0.05.  Past ``max_terms``, the longest
    (rarest-looking) words win and keep their order in the text.
    """
    seen: dict[str, int] = {}
    tokens = normalise(text).split()
    for position, token in enumerate(tokens):
        if token in seen or token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
            continue
        seen[token] = position
    for part in map(normalise, _camel_parts(text)):
        if part and part not in seen and part not in STOPWORDS and len(part) > 1:
            seen[part] = len(tokens)
    terms = list(seen)
    if len(terms) > max_terms:
        keep = set(sorted(terms, key=lambda t: (-len(t), seen[t]))[:max_terms])
        terms = [t for t in terms if t in keep]
    return terms


def rare_terms(words: Sequence[str], df: Mapping[str, int], k: int = 4, cap: int = 100, min_df: int = 2) -> list[str]:
    """The words that find a claim's near-duplicates in the index: its ``k`` rarest words
    (``df``: how many tracked claims hold each, the claim itself included) held by at least
    ``min_df`` and at most ``cap`` claims; else the rarest word held by ``min_df``. Two texts
    that say the same thing share most of these."""
    get = df.get
    ranked = sorted([(n, -len(w), w) for w in words if (n := get(w, 0)) >= min_df])
    chosen = [w for n, _, w in ranked[:k] if n <= cap]
    return chosen or [w for _, _, w in ranked[:1]]


_NUMBER_WORD = re.compile(r"\b\d+(?:\.\d+)?\b")


def template_keys(norms: Mapping[int, str], min_size: int) -> dict[int, str]:
    """The claims written from one template, and what tells them apart.

    A template is a wording (``normalise``d, its numbers left out) shared by at least
    ``min_size`` claims, with numbers in it: "bulk report number # about convoy # near
    checkpoint #". A number's place in it (a slot) identifies the claim when it takes a
    different value in most of them (more distinct values than half the claims): a
    report number, a convoy number. Returns claim id -> the template and the values of
    its identifying slots, for the claims of templates only: two claims of one template
    can repeat or contradict each other only when these keys are equal (they differ in
    the other slots, if anything, which count or measure); with other keys they name
    other things, as ``compare`` says of labels."""
    groups: dict[str, list[int]] = {}
    for cid, norm in norms.items():
        if _DIGIT.search(norm):
            groups.setdefault(_NUMBER_WORD.sub("#", norm), []).append(cid)
    keys: dict[int, str] = {}
    for skeleton, ids in groups.items():
        if len(ids) < min_size or "#" not in skeleton:
            continue
        values = [_NUMBER_WORD.findall(norms[cid]) for cid in ids]
        slots = [j for j, column in enumerate(zip(*values, strict=False)) if 2 * len(set(column)) > len(ids)]
        for cid, vals in zip(ids, values, strict=False):
            keys[cid] = skeleton + "|" + " ".join(vals[j] for j in slots)
    return keys


# --------------------------------------------------------------------------- scoring


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


def content_words(norm: str) -> tuple[str, ...]:
    """The words of a normalised text that the pair score looks at: no stopwords, no repeats."""
    return tuple(dict.fromkeys(t for t in norm.split() if t not in STOPWORDS))


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


# --------------------------------------------------------------------------- facts

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<{name}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})\b"),
    re.compile(
        r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH.format(name="mon")
        + r"(?:,?\s+(?P<y>\d{4}))?\b"
    ),
    re.compile(
        r"\b" + _MONTH.format(name="mon") + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b"
        r"(?!\s*(?:\d|%|per))(?:,?\s+(?P<y>\d{4}))?"
    ),
    re.compile(r"\b(?:in\s+)?" + _MONTH.format(name="mon") + r",?\s+(?P<y>\d{4})\b"),
]

_DIGIT = re.compile(r"\d")
_MONTH_WORD = re.compile(r"\b(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b")

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
_WORD_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
                "billion": 1_000_000_000, "trillion": 1_000_000_000_000}  # fmt: skip
_SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}

# Qualifier phrases, longest first; matched on the tokens just before a number.
_QUALIFIERS = [
    (("no", "more", "than"), "less than"), (("not", "more", "than"), "less than"),
    (("no", "less", "than"), "more than"), (("not", "less", "than"), "more than"),
    (("no", "fewer", "than"), "more than"), (("in", "excess", "of"), "more than"),
    (("more", "than"), "more than"), (("greater", "than"), "more than"),
    (("at", "least"), "more than"), (("upwards", "of"), "more than"),
    (("over",), "more than"), (("above",), "more than"), (("exceeding",), "more than"),
    (("less", "than"), "less than"), (("fewer", "than"), "less than"),
    (("at", "most"), "less than"), (("up", "to"), "less than"), (("under",), "less than"),
    (("below",), "less than"),
    (("close", "to"), "about"), (("an", "estimated"), "about"), (("about",), "about"),
    (("around",), "about"), (("approximately",), "about"), (("approx",), "about"),
    (("roughly",), "about"), (("nearly",), "about"), (("almost",), "about"),
    (("some",), "about"), (("estimated",), "about"), (("circa",), "about"),
    (("~",), "about"),
]  # fmt: skip

_QUALIFIERS_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _qualifier in _QUALIFIERS:  # longest first within each first word, as above
    _QUALIFIERS_BY_FIRST.setdefault(_phrase[0], []).append((_phrase, _qualifier))

# The words a number or a qualified number can start with ("a hundred", "between 10 and
# 20", "more than five"); any other word that does not start with a digit is a plain word.
_MAY_START_A_NUMBER = frozenset({"a", "between", "~", *_UNITS, *_QUALIFIERS_BY_FIRST})

_NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor cannot without "
    "deny denies denied denying dont doesnt didnt isnt arent wasnt werent wont cant "
    "couldnt shouldnt wouldnt hasnt havent hadnt aint".split()
)
_AUXILIARIES = frozenset("do does did".split())
_CONTRACTION_BASE = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
_TOKEN = re.compile(r"~|\d+(?:\.\d+)?|[^\W\d_]+(?:'[^\W\d_]+)*")
# "10-20", "10 to 20", "from 10 to 20", "between 10 and 20" -> between 10 and 20.
_RANGE = re.compile(
    r"(?:\b(?:between|from)\s+(\d+(?:\.\d+)?)\s*(?:-|to|and)\s*(\d+(?:\.\d+)?)"
    r"|\b(\d+(?:\.\d+)?)\s*(?:-|to)\s*(\d+(?:\.\d+)?))\b(?!\s*[-/]|\.\d)"
)


@frozen
class Facts:
    """What the guards compare: the words without numbers, dates and negations."""

    skeleton: str
    canonical: str  # the text with number words as digits, dates as one token
    numbers: tuple[tuple[str, float | tuple[float, float]], ...]  # quantities
    dates: tuple[tuple[int | None, int | None, int | None], ...]
    negations: int
    labels: tuple[tuple[str, str], ...] = ()  # numbers that name something: ("convoy", "100")


def _date_parts(match: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    groups = match.groupdict()
    month = _MONTHS[groups["mon"]] if groups.get("mon") else int(groups["m"])
    day = int(groups["d"]) if groups.get("d") else None
    year = int(groups["y"]) if groups.get("y") else None
    return (day, month, year)


_NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?")


def _read_number(tokens: list[str], i: int) -> tuple[float, int] | None:
    """The number starting at tokens[i] (digits or words), and the index after it."""
    j = i
    digits = False
    if tokens[j] == "a" and j + 1 < len(tokens) and tokens[j + 1] in _WORD_SCALES:
        value, j = 1.0, j + 1
    elif _NUMBER_TOKEN.fullmatch(tokens[j]):
        value, j, digits = float(tokens[j]), j + 1, True
    elif tokens[j] in _UNITS and tokens[j] != "dozen":
        value, j = float(_UNITS[tokens[j]]), j + 1
        if value >= 20 and j < len(tokens) and tokens[j] in _UNITS and _UNITS[tokens[j]] < 10:
            value, j = value + _UNITS[tokens[j]], j + 1
    else:
        return None
    while j < len(tokens) and tokens[j] in _WORD_SCALES:
        value *= _WORD_SCALES[tokens[j]]
        j += 1
    if digits and j == i + 1 and j < len(tokens) and tokens[j] in _SUFFIX_SCALES:
        value *= _SUFFIX_SCALES[tokens[j]]  # 10k, 2.5m, 3bn
        j += 1
    return value, j


def _one_is_number(tokens: list[str], i: int) -> bool:
    """'one' is a count in "one fire", not in "one of them" or "no one"."""
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    before = tokens[i - 1] if i > 0 else ""
    if after in ("", "of", "another", "or", "and", "who", "that", "thing", "day", "time"):
        return False
    return before not in ("no", "any", "every", "each", "the", "this", "that", "which", "someone")


def _number_at(tokens: list[str], i: int) -> tuple[float, int] | None:
    if i >= len(tokens):
        return None
    if tokens[i] == "one" and not _one_is_number(tokens, i):
        return None
    return _read_number(tokens, i)


def _tokens(prepared: str) -> tuple[list[str], list[str]]:
    """The tokens of a prepared text, and what separates each from the one before ("" for
    the second half of a split contraction; the text's end after the last token)."""
    tokens: list[str] = []
    gaps: list[str] = []
    end = 0
    for match in _TOKEN.finditer(prepared):
        token, gap, end = match.group(), prepared[end:match.start()], match.end()
        if token.endswith("n't"):
            base = token[:-3]
            tokens += [_CONTRACTION_BASE.get(base, base), "not"]
            gaps += [gap, ""]
        elif token == "cannot":
            tokens += ["can", "not"]
            gaps += [gap, ""]
        else:
            tokens.append(_POSSESSIVE.sub("", token).replace("'", "") if "'" in token else token)
            gaps.append(gap)
    gaps.append(prepared[end:])
    return tokens, gaps


# Numbers that name rather than count ("report number 100", "convoy 100", "checkpoint
# #7", "case no. 12"): in English a count comes before what it counts ("100 convoys",
# "more than 6250 militants") or after a verb ("killed 100"), a name's number after the
# noun it labels, with nothing it counts after it. Two such labels are not conflicting
# values: a different one names another thing. When a word follows that could be what
# the number counts ("Resolution 2254 calls"), it stays a quantity, as before.
_LABEL_MARKERS = frozenset("number no nr num id ref".split())  # "report no. 5", "case id 7"
# words before a number that make it a count, a time or a position, not a label
_NOT_LABELS = frozenset(
    """
    near since per across along among around behind beside beyond despite inside outside
    toward towards within onto past plus minus times till than top total totalling totaling
    aged age ages year years day days week weeks month months hour hours page pages
    """.split()
)


def _label_at(tokens: list[str], gaps: list[str], i: int) -> str | None:
    """The label of the plain integer tokens[i] when it names something (see above):
    the noun before it, or a marker ("number", "no.", "#") after a noun; else None."""
    if not 0 < i < len(tokens) or not tokens[i].isdigit():
        return None
    before, gap = tokens[i - 1], gaps[i]
    if gap.strip() == "#":  # "convoy #100"
        return before if _nounlike(before) else "#"
    if before in _LABEL_MARKERS and gap.strip() in ("", "."):  # "report number 100", "case no. 7"
        noun = tokens[i - 2] if i >= 2 and gaps[i - 1].isspace() else ""
        if _nounlike(noun):
            return noun
        if before != "no" or gap.strip() == ".":  # "no 5 fighters" is a denial, "No. 5" a label
            return before
        return None
    if not gap.isspace() or not _nounlike(before):
        return None
    after, next_gap = (tokens[i + 1], gaps[i + 1]) if i + 1 < len(tokens) else ("", gaps[i + 1])
    if "%" in next_gap or after in _WORD_SCALES or after in _SUFFIX_SCALES:
        return None  # "rate 5%", "budget 5 million"
    if after and next_gap.isspace() and _nounlike(after):
        return None  # "killed 100 people": what it counts follows
    return before


def _nounlike(word: str) -> bool:
    """Could be the noun a number labels: a content word, not a verb form, a preposition,
    a month, a number word or a qualifier."""
    return (word.isalpha() and len(word) > 1 and word not in STOPWORDS and word not in _NEGATIONS
            and word not in _NOT_LABELS and word not in _MONTHS and word not in _UNITS and word not in _WORD_SCALES
            and word not in _QUALIFIERS_BY_FIRST and not word.endswith(("ed", "ing")))


@lru_cache(maxsize=65536)
def extract_facts(text: str) -> Facts:
    """Numbers (with qualifiers), dates and negations of a text, and the words left."""
    text = unicodedata.normalize("NFKC", text or "")
    prepared = _prepare(_TWEET_SIGNATURE.sub(" ", text) if "(@" in text else text)
    dates: list[tuple[int | None, int | None, int | None]] = []
    if _DIGIT.search(prepared):  # every date and range pattern has digits
        def taken(match: re.Match[str]) -> str:
            dates.append(_date_parts(match))
            return " "

        has_month = _MONTH_WORD.search(prepared) is not None
        for k, pattern in enumerate(_DATE_PATTERNS):
            if k < 2 or has_month:  # the others name a month
                prepared = pattern.sub(taken, prepared)
        prepared = _RANGE.sub(
            lambda m: " between {} and {} ".format(*(g for g in m.groups() if g is not None)), prepared
        )
    tokens, gaps = _tokens(prepared)

    numbers: list[tuple[str, float | tuple[float, float]]] = []
    labels: list[tuple[str, str]] = []
    skeleton: list[str] = []
    canonical: list[str] = []
    negations = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _MAY_START_A_NUMBER or token[:1].isdigit():  # most words cannot start one
            if token == "between" and (low := _number_at(tokens, i + 1)):
                if low[1] < len(tokens) and tokens[low[1]] == "and":
                    if high := _number_at(tokens, low[1] + 1):
                        numbers.append(("between", (min(low[0], high[0]), max(low[0], high[0]))))
                        i = high[1]
                        continue
            qualified = None
            for phrase, qualifier in _QUALIFIERS_BY_FIRST.get(token, ()):
                n = len(phrase)
                if tuple(tokens[i : i + n]) == phrase and (read := _number_at(tokens, i + n)):
                    qualified = (qualifier, read)
                    break
            if qualified is None and (read := _number_at(tokens, i)):
                if read[1] == i + 1 and (label := _label_at(tokens, gaps, i)):
                    labels.append((label, token))
                    canonical.append(token)
                    i += 1
                    continue
                qualified = ("exact", read)
            if qualified is not None:
                qualifier, (value, end) = qualified
                numbers.append((qualifier, value))
                canonical.append(normalise(_format_number(qualifier, value)))
                i = end
                continue
        canonical.append(token)
        if token in _NEGATIONS and not (token in _LABEL_MARKERS and _label_at(tokens, gaps, i + 1)):
            negations += 1
        elif token not in _AUXILIARIES:
            skeleton.append(token)
        i += 1
    canonical += [normalise(_format_date(d)) for d in dates]
    return Facts(
        skeleton=" ".join(skeleton), canonical=" ".join(canonical), numbers=tuple(numbers),
        dates=tuple(dates), negations=negations, labels=tuple(labels),
    )  # fmt: skip


# --------------------------------------------------------------------------- values

def band(score: float, t1: float, t2: float) -> str | None:
    """A detector's score as the review queue shows it: near-certain at T2, review at T1."""
    if score >= t2:
        return "near-certain"
    if score >= t1:
        return "review"
    return None


ABOUT_TOLERANCE = 0.10  # "about 4700" covers 4230..5170


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = _THOUSANDS.sub("", unicodedata.normalize("NFKC", value).strip())
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _interval(qualifier: object, value: object) -> tuple[float, float] | None:
    """The range of quantities a (qualifier, value) admits; bounds are inclusive.

    Reporting uses "more than 6250" loosely (often it means "at least"), so the bound
    itself is admitted: "more than 6250" and "6250" do not contradict each other.
    """
    kind = Qualifier.lookup(qualifier)
    if kind is None:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    if kind is Qualifier.BETWEEN or isinstance(value, (tuple, list)):
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise ValueError(f"'between' needs a (low, high) pair, got {value!r}")
        low, high = _as_number(value[0]), _as_number(value[1])
        if low is None or high is None:
            return None
        return (min(low, high), max(low, high))
    number = _as_number(value)
    if number is None:
        return None
    if kind is Qualifier.EXACT:
        return (number, number)
    if kind is Qualifier.ABOUT:
        spread = abs(number) * ABOUT_TOLERANCE
        return (number - spread, number + spread)
    if kind is Qualifier.MORE_THAN:
        return (number, math.inf)
    return (-math.inf, number)


def _text_value(value: object) -> frozenset[str]:
    words = normalise(str(value)).split()
    return frozenset(w for w in words if w not in ("and", "et", "al"))


def values_compatible(q1: str | None, v1: object, q2: str | None, v2: object) -> bool:
    """Whether two structured values can both be true (they corroborate) or not.

    Numbers carry a qualifier: 'exact', 'about' (+-10%), 'more than', 'less than'
    (bounds inclusive) or 'between' (value is a ``(low, high)`` pair). Two values are
    compatible when the ranges they admit overlap: "more than 6250" and "7000" are,
    "less than 100" and "150" are not. Text values (names, author lists) compare after
    ``normalise``, word order and "and" ignored.
    """
    a, b = _interval(q1, v1), _interval(q2, v2)
    if a is None or b is None:
        if a is not None or b is not None:
            return False  # a number against a text
        return _text_value(v1) == _text_value(v2)
    tolerance = 1e-9 * max(1.0, abs(a[0]) if math.isfinite(a[0]) else 1.0)
    return a[0] <= b[1] + tolerance and b[0] <= a[1] + tolerance


def _dates_compatible(d1: tuple[int | None, ...], d2: tuple[int | None, ...]) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(d1, d2, strict=False))


# --------------------------------------------------------------------------- compare


@frozen
class Comparison:
    score: float
    kind: str | None  # "duplicate" | "conflict" | None
    reason: str


def _format_number(qualifier: str, value: float | tuple[float, float]) -> str:
    def plain(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else f"{x:g}"

    if qualifier == "between":
        return f"between {plain(value[0])} and {plain(value[1])}"  # type: ignore[index]
    prefix = "" if qualifier == "exact" else qualifier + " "
    return prefix + plain(value)  # type: ignore[arg-type]


_MONTH_NAMES = "January February March April May June July August September October November December".split()


def _format_date(d: tuple[int | None, int | None, int | None]) -> str:
    day, month, year = d
    parts = [str(day) if day else "", _MONTH_NAMES[month - 1] if month and 1 <= month <= 12 else "", str(year) if year else ""]
    return " ".join(p for p in parts if p) or "?"


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
        reasons.append(f"numbers: {_format_number(*pair[0])} vs {_format_number(*pair[1])}")  # type: ignore[arg-type]
    if fa.dates and fb.dates and not any(_dates_compatible(x, y) for x in fa.dates for y in fb.dates):
        reasons.append(f"dates: {_format_date(fa.dates[0])} vs {_format_date(fb.dates[0])}")
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
