"""Reading the facts of a claim text: its quantities (with qualifiers and ranges), dates,
negations and the numbers that name something ("convoy 100"). Pure functions."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from attrs import frozen

from verifier.domain import lexicon_ar
from verifier.domain.normalisation import (
    POSSESSIVE,
    STOPWORDS,
    TWEET_SIGNATURE,
    fold_arabic,
    has_arabic,
    normalise,
    prepare,
)

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


def _folded(table: dict[str, int]) -> dict[str, int]:
    return {fold_arabic(word): value for word, value in table.items()}


# Arabic: the word lists of ``lexicon_ar``, folded as ``prepare`` folds the text.
AR_MONTHS = _folded(lexicon_ar.MONTHS)
_AR_MONTH = r"(?P<{name}>" + "|".join(map(re.escape, sorted(AR_MONTHS, key=len, reverse=True))) + r")"
# "نيسان/أبريل": the Syriac and the transliterated name of one month, side by side
_AR_MONTH_PAIR = _AR_MONTH + r"(?:\s*[/(-]\s*(?:" + "|".join(sorted(AR_MONTHS, key=len, reverse=True)) + r")\s*\)?)?"
_AR_YEAR = r"(?:\s+(?:(?:من\s+)?(?:عام|العام|سنه)\s+)?(?P<y>\d{4}))?"
AR_DATE_PATTERNS = [
    # "12 نيسان 2024", "12 من أيار", "5 كانون الثاني/يناير عام 2024"
    re.compile(r"(?<!\w)(?P<d>\d{1,2})\s+(?:من\s+)?(?:شهر\s+)?" + _AR_MONTH_PAIR.format(name="mon") + r"(?!\w)" + _AR_YEAR),
    # "نيسان 2024", "شهر أيار من عام 2023"
    re.compile(r"(?<!\w)(?:شهر\s+)?" + _AR_MONTH_PAIR.format(name="mon")
               + r"\s+(?:(?:من\s+)?(?:عام|العام|سنه)\s+)?(?P<y>\d{4})(?!\w)"),
]
_AR_MONTH_WORD = re.compile(r"(?<!\w)(?:" + "|".join(sorted(AR_MONTHS, key=len, reverse=True)) + r")(?!\w)")

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

# Arabic number words (see lexicon_ar), folded.
_AR_UNITS = _folded(lexicon_ar.UNITS)
_AR_TEEN_UNITS = _folded(lexicon_ar.TEEN_UNITS)
_AR_TEEN = frozenset(map(fold_arabic, lexicon_ar.TEEN))
_AR_TENS = _folded(lexicon_ar.TENS)
_AR_HUNDREDS = _folded(lexicon_ar.HUNDREDS)
_AR_SCALES = _folded(lexicon_ar.SCALES)
_AR_DUALS = _folded(lexicon_ar.DUALS)
_AR_VAGUE = _folded(lexicon_ar.VAGUE)
_AR_BETWEEN, _AR_AND, _AR_FROM, _AR_TO = "بين", "و", "من", "الي"
_AR_QUALIFIERS = sorted(
    ((tuple(fold_arabic(phrase).split()), qualifier) for phrase, qualifier in lexicon_ar.QUALIFIERS),
    key=lambda item: -len(item[0]),
)
_AR_NEGATIONS = frozenset(map(fold_arabic, lexicon_ar.NEGATIONS))
_AR_LABEL_MARKERS = frozenset(map(fold_arabic, lexicon_ar.LABEL_MARKERS))
_AR_NUMBER_WORDS = frozenset({*_AR_UNITS, *_AR_TENS, *_AR_HUNDREDS, *_AR_SCALES, *_AR_DUALS, *_AR_VAGUE})
# Words a clitic (و "and", ف "so", ب "by", ل "for") may be written onto: "ولم", "بنحو", "وعشرون".
_AR_CLITICS = frozenset("وفبل")
_AR_CLITIC_HOSTS = frozenset(
    {*_AR_NEGATIONS, *_AR_NUMBER_WORDS, *(p[0] for p, _ in _AR_QUALIFIERS), _AR_BETWEEN}
)

# Qualifier phrases, longest first; matched on the tokens just before a number.
_QUALIFIERS = [
    (("no", "more", "than"), "less than"), (("not", "more", "than"), "less than"),
    (("no", "less", "than"), "more than"), (("not", "less", "than"), "more than"),
    (("no", "fewer", "than"), "more than"), (("in", "excess", "of"), "more than"),
    (("more", "than"), "more than"), (("greater", "than"), "more than"),
    (("at", "least"), "more than"), (("upwards", "of"), "more than"),
    (("over",), "more than"), (("above",), "more than"), (("exceeding",), "more than"),
    # a verb of exceeding bounds the figure that follows it ("the number now exceeds 6000")
    (("exceeds",), "more than"), (("exceeded",), "more than"), (("exceed",), "more than"),
    (("surpasses",), "more than"), (("surpassed",), "more than"), (("surpassing",), "more than"),
    (("less", "than"), "less than"), (("fewer", "than"), "less than"),
    (("at", "most"), "less than"), (("up", "to"), "less than"), (("under",), "less than"),
    (("below",), "less than"),
    (("close", "to"), "about"), (("an", "estimated"), "about"), (("about",), "about"),
    (("around",), "about"), (("approximately",), "about"), (("approx",), "about"),
    (("roughly",), "about"), (("nearly",), "about"), (("almost",), "about"),
    (("some",), "about"), (("estimated",), "about"), (("circa",), "about"),
    (("~",), "about"),
    *_AR_QUALIFIERS,
]  # fmt: skip

_QUALIFIERS_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _qualifier in _QUALIFIERS:  # longest first within each first word, as above
    _QUALIFIERS_BY_FIRST.setdefault(_phrase[0], []).append((_phrase, _qualifier))

# The words a number or a qualified number can start with ("a hundred", "between 10 and
# 20", "more than five"); any other word that does not start with a digit is a plain word.
_MAY_START_A_NUMBER = frozenset(
    {"a", "between", "~", *_UNITS, *_QUALIFIERS_BY_FIRST,
     _AR_BETWEEN, _AR_FROM, *_AR_NUMBER_WORDS, *_AR_TEEN_UNITS}
)

_NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor cannot without "
    "deny denies denied denying dont doesnt didnt isnt arent wasnt werent wont cant "
    "couldnt shouldnt wouldnt hasnt havent hadnt aint".split()
) | _AR_NEGATIONS
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
    if groups.get("mon"):
        month = _MONTHS[groups["mon"]] if groups["mon"] in _MONTHS else AR_MONTHS[groups["mon"]]
    else:
        month = int(groups["m"])
    day = int(groups["d"]) if groups.get("d") else None
    year = int(groups["y"]) if groups.get("y") else None
    return (day, month, year)


_NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?")


def _read_number(tokens: list[str], i: int) -> tuple[float, int] | None:
    """The number starting at tokens[i] (digits or words), and the index after it."""
    j = i
    digits = False
    if tokens[j] in _AR_NUMBER_WORDS or tokens[j] in _AR_TEEN_UNITS:
        return _read_arabic_number(tokens, i)
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
    if digits and j == i + 1:
        while j < len(tokens) and tokens[j] in _AR_SCALES:  # "300 الف", "2.5 مليون"
            value *= _AR_SCALES[tokens[j]]
            j += 1
    return value, j


def _read_arabic_number(tokens: list[str], i: int) -> tuple[float | tuple[float, float], int] | None:
    """An Arabic number in words at tokens[i]: "ثلاثة" 3, "أحد عشر" 11, "خمسة وعشرون" 25,
    "ثلاثمائة" 300, "ثلاثة آلاف" 3000, "ألفين" 2000; "عشرات" (tens of) and "مئات الآلاف"
    (hundreds of thousands) as the range of their order of magnitude, (10, 99) and
    (100000, 999999)."""
    token, j = tokens[i], i + 1
    nxt = tokens[j] if j < len(tokens) else ""
    if token in _AR_VAGUE:
        unit = _AR_VAGUE[token]
        while j < len(tokens) and tokens[j] in _AR_SCALES and _AR_SCALES[tokens[j]] > unit:
            unit *= _AR_SCALES[tokens[j]]  # "عشرات الآلاف": tens of thousands
            j += 1
        return (float(unit), float(unit * 10 - 1)), j
    if token in _AR_TEEN_UNITS:
        if nxt in _AR_TEEN:
            return float(10 + _AR_TEEN_UNITS[token]), j + 1
        return None
    if token in _AR_DUALS:
        return float(_AR_DUALS[token]), j
    if token in _AR_HUNDREDS:
        value = float(_AR_HUNDREDS[token])
    elif token in _AR_TENS:
        value = float(_AR_TENS[token])
    elif token in _AR_UNITS:
        value = float(_AR_UNITS[token])
        if value < 10 and nxt in _AR_TEEN:
            value, j = value + 10, j + 1  # "ثلاثة عشر"
        elif value < 10 and nxt in _AR_TENS:
            value, j = value + _AR_TENS[nxt], j + 1  # "خمسة وعشرون" (its و stripped)
    elif token in _AR_SCALES:
        value = float(_AR_SCALES[token])  # "ألف" alone: a thousand
    else:
        return None
    if value >= 100 and j < len(tokens) and (tokens[j] in _AR_TENS or tokens[j] in _AR_UNITS):
        rest = _read_arabic_number(tokens, j)  # "مئة وخمسون"
        if rest is not None and not isinstance(rest[0], tuple) and rest[0] < value:
            value, j = value + rest[0], rest[1]
    while j < len(tokens) and tokens[j] in _AR_SCALES and _AR_SCALES[tokens[j]] > value:
        value *= _AR_SCALES[tokens[j]]
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
            if token[0] in _AR_CLITICS and token not in _AR_CLITIC_HOSTS and token[1:] in _AR_CLITIC_HOSTS:
                token = token[1:]  # "ولم" -> "لم", "بنحو" -> "نحو", "وعشرون" -> "عشرون"
            tokens.append(POSSESSIVE.sub("", token).replace("'", "") if "'" in token else token)
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
    if has_arabic(before):
        # Arabic puts a count after a verb or a noun as often as before ("مقتل 5 في ..."): only
        # a marker makes a label ("القرار رقم 2254")
        if before in _AR_LABEL_MARKERS and i >= 2 and _nounlike(tokens[i - 2]):
            return tokens[i - 2]
        return "رقم" if before in _AR_LABEL_MARKERS else None
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


def _quantity_at(tokens: list[str], gaps: list[str], i: int) -> tuple[str, tuple, int] | None:
    """The quantity starting at token ``i`` ("between 10 and 20", "more than five", "6250"), or
    the number naming something there ("convoy 100"): ("number" | "label", what, next index)."""
    token = tokens[i]
    if token in _RANGE_WORDS and (low := _number_at(tokens, i + 1)) and not isinstance(low[0], tuple):
        if low[1] < len(tokens) and tokens[low[1]] == _RANGE_WORDS[token] and (high := _number_at(tokens, low[1] + 1)):
            if not isinstance(high[0], tuple):
                return "number", ("between", (min(low[0], high[0]), max(low[0], high[0]))), high[1]
    for phrase, qualifier in _QUALIFIERS_BY_FIRST.get(token, ()):
        n = len(phrase)
        if tuple(tokens[i : i + n]) == phrase and (read := _number_at(tokens, i + n)):
            if isinstance(read[0], tuple):  # "أكثر من عشرات": the range says it
                return "number", ("between", read[0]), read[1]
            return "number", (qualifier, read[0]), read[1]
    if token == _AR_FROM:  # "من" starts only a range
        return None
    if read := _number_at(tokens, i):
        if read[1] == i + 1 and (label := _label_at(tokens, gaps, i)):
            return "label", (label, token), i + 1
        if isinstance(read[0], tuple):  # "عشرات": tens of
            return "number", ("between", read[0]), read[1]
        return "number", ("exact", read[0]), read[1]
    return None


# The words that open a range, and the word between its bounds ("between 10 and 20",
# "بين 10 و20", "من 10 إلى 20").
_RANGE_WORDS = {"between": "and", _AR_BETWEEN: _AR_AND, _AR_FROM: _AR_TO}


@lru_cache(maxsize=65536)
def extract_facts(text: str) -> Facts:
    """Numbers (with qualifiers), dates and negations of a text, and the words left."""
    text = unicodedata.normalize("NFKC", text or "")
    prepared = prepare(TWEET_SIGNATURE.sub(" ", text) if "(@" in text else text)
    dates: list[tuple[int | None, int | None, int | None]] = []
    if _DIGIT.search(prepared):  # every date and range pattern has digits
        def taken(match: re.Match[str]) -> str:
            dates.append(_date_parts(match))
            return " "

        has_month = _MONTH_WORD.search(prepared) is not None
        for k, pattern in enumerate(_DATE_PATTERNS):
            if k < 2 or has_month:  # the others name a month
                prepared = pattern.sub(taken, prepared)
        if not prepared.isascii() and _AR_MONTH_WORD.search(prepared):
            for pattern in AR_DATE_PATTERNS:
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
            read = _quantity_at(tokens, gaps, i)
            if read is not None:
                kind, found, i = read
                if kind == "label":
                    labels.append(found)  # type: ignore[arg-type]
                    canonical.append(token)
                else:
                    numbers.append(found)  # type: ignore[arg-type]
                    canonical.append(normalise(format_number(*found)))  # type: ignore[arg-type]
                continue
        canonical.append(token)
        if token in _NEGATIONS and not (token in _LABEL_MARKERS and _label_at(tokens, gaps, i + 1)):
            negations += 1
        elif token not in _AUXILIARIES:
            skeleton.append(token)
        i += 1
    canonical += [normalise(format_date(d)) for d in dates]
    return Facts(
        skeleton=" ".join(skeleton), canonical=" ".join(canonical), numbers=tuple(numbers),
        dates=tuple(dates), negations=negations, labels=tuple(labels),
    )  # fmt: skip


def format_number(qualifier: str, value: float | tuple[float, float]) -> str:
    def plain(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else f"{x:g}"

    if qualifier == "between":
        return f"between {plain(value[0])} and {plain(value[1])}"  # type: ignore[index]
    prefix = "" if qualifier == "exact" else qualifier + " "
    return prefix + plain(value)  # type: ignore[arg-type]


_MONTH_NAMES = "January February March April May June July August September October November December".split()


def format_date(d: tuple[int | None, int | None, int | None]) -> str:
    day, month, year = d
    parts = [str(day) if day else "", _MONTH_NAMES[month - 1] if month and 1 <= month <= 12 else "", str(year) if year else ""]
    return " ".join(p for p in parts if p) or "?"
