"""Text normalisation: the comparable form of a claim (``claims.norm``), the terms the
text index is asked for, and the templates of templated feeds. Pure functions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

from verifier.domain import lexicon_ar

_DIGIT = re.compile(r"\d")

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
TWEET_SIGNATURE = re.compile(
    r"\s[-\u2014\u2013]{1,2}\s[^\u2014]{0,80}?\(@\w+\)\s+[A-Za-z]+\s+\d{1,2},\s+\d{4}\s*$"
)
THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f\u2009'](?=\d{3}(?!\d))")
POSSESSIVE = re.compile(r"(?<=\w)'s\b")
APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
# A token: letters and digits, or a decimal number ("2.5") kept whole.
WORD = re.compile(r"[^\W_]*\d(?:\.\d+)+[^\W_]*|[^\W_]+")
_DECIMAL = re.compile(r"\d\.\d")
# In ASCII, WORD's tokens are runs of letters and digits: every other byte separates.
_ASCII_SEPARATORS = bytes(c if chr(c).isascii() and chr(c).isalnum() else 0x20 for c in range(256))


# Arabic letter variants folded to one letter (after NFKC and the removal of combining marks,
# which already take hamza above/below and madda off alef, waw and ya): alef wasla -> alef,
# alef maqsura -> ya, ta marbuta -> ha, Persian kaf and ya -> Arabic; tatweel dropped; the digits
# of every script (Arabic-Indic, Persian) -> ASCII, the Arabic decimal and thousands separators
# -> "." and ",". The usual folding of Arabic information retrieval (Larkey et al. 2002).
_ARABIC_FOLD = str.maketrans(
    {
        "\u0671": "\u0627",  # alef wasla
        "\u0649": "\u064a",  # alef maqsura -> ya
        "\u0629": "\u0647",  # ta marbuta -> ha
        "\u06a9": "\u0643",  # Persian kaf
        "\u06cc": "\u064a",  # Persian ya
        "\u0640": None,  # tatweel
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def has_arabic(text: str) -> bool:
    """Whether the text holds an Arabic-script character."""
    return not text.isascii() and _ARABIC.search(text) is not None


def fold_arabic(text: str) -> str:
    """Arabic letter variants folded, diacritics and tatweel dropped, digits as ASCII.

    The form every Arabic word is compared in: أحمد, إحمد and احمد are one word, مستشفى and
    مستشفي, مدينة and مدينه too; ٣٠٠ and ۳۰۰ read as 300. Text without Arabic is unchanged.
    """
    if text.isascii():
        return text
    return _strip_marks(unicodedata.normalize("NFKC", text)).translate(_ARABIC_FOLD)


def _strip_marks(text: str) -> str:
    if text.isascii():  # nothing to strip; the common case, and 30x faster
        return text
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", kept)


def prepare(text: str) -> str:
    """NFKC, straight quotes, no URLs, no diacritics, casefolded, 6,250 -> 6250; Arabic
    letter variants folded and every script's digits as ASCII (``fold_arabic``)."""
    text = text or ""
    # the cheap tests skip passes that cannot change the text (import speed)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    elif "`" in text:
        text = text.translate(_QUOTES)
    if "/" in text or "www." in text or "WWW." in text or "Www." in text:
        text = _URL.sub(" ", text)
    text = _strip_marks(text.casefold())
    if not text.isascii():
        text = text.translate(_ARABIC_FOLD)
    if not text.isascii() or "," in text or "'" in text:
        text = THOUSANDS.sub("", text)
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
    text = prepare(text)
    if "'" in text:
        text = POSSESSIVE.sub("", text)
        text = APOSTROPHE.sub("", text)
    if text.isascii() and not ("." in text and _DECIMAL.search(text)):
        # the same tokens as WORD, found by a byte translation (4x faster; import speed)
        return " ".join(text.encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii").split())
    return " ".join(WORD.findall(text))


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
) | frozenset(fold_arabic(w) for w in lexicon_ar.STOPWORDS)


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


def content_words(norm: str) -> tuple[str, ...]:
    """The words of a normalised text that the pair score looks at: no stopwords, no repeats."""
    return tuple(dict.fromkeys(t for t in norm.split() if t not in STOPWORDS))


# Larkey, Ballesteros & Connell's light10 stemmer for Arabic ("Light stemming for Arabic
# information retrieval", 2007), on folded text: و and the definite article's forms off the
# front, the common suffixes off the end, each only when enough of the word is left.
_AR_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def light_stem(word: str) -> str:
    """The light10 stem of a folded Arabic word ("والمدارس" -> "مدارس", "الحكومية" -> "حكوم");
    any other word is returned as it is."""
    if not word or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    if word.startswith("و") and len(word) > 3:
        word = word[1:]
    for article in _AR_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            word = word[len(article):]
            break
    for suffix in _AR_SUFFIXES:  # one pass, as light10: each suffix at most once, in this order
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word
