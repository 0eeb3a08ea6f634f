"""Figures, event dates and places of a claim's text.

Numbers and their qualifiers are read by ``extract_facts`` (the same reading the
near-duplicate guards use); dates it finds are left out of the figures. Relative dates ("on
Thursday", "yesterday", "on 10 May") resolve against the publication date, to the latest such day
not after it; "since the beginning of Ramadan" resolves with the tabular Islamic calendar.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from verifier.domain import lexicon_ar
from verifier.domain.facts import AR_DATE_PATTERNS, AR_MONTHS, extract_facts
from verifier.domain.normalisation import fold_arabic, has_arabic, prepare
from verifier.domain.vocabulary import Qualifier

from . import arabic

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
_MONTH_RE = r"(?P<mon>" + "|".join(m for m in _MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_DAY_MONTH = re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r"(?:,?\s+(?P<y>\d{4}))?\b", re.I)
_MONTH_DAY = re.compile(r"\b" + _MONTH_RE + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?", re.I)
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_WEEKDAY = re.compile(r"\b(?:on\s+|last\s+)?(?P<w>" + "|".join(_WEEKDAYS) + r")\b", re.I)
_RELATIVE = re.compile(r"\b(?P<r>yesterday|today|tonight|this morning)\b", re.I)
_RAMADAN = re.compile(r"\b(?:since\s+)?(?:the\s+)?(?P<edge>beginning|start|end)\s+of\s+(?:the\s+(?:holy\s+)?month\s+of\s+)?Ramadan\b", re.I)
_AR_RAMADAN = re.compile("(?P<edge>" + "|".join(fold_arabic(w) for w in ("بداية", "مطلع", "أول", "نهاية"))
                         + r")\s+(?:" + fold_arabic("شهر") + r"\s+)?" + fold_arabic("رمضان"))
_VAGUE = {"tens": 10.0, "dozens": 12.0, "hundreds": 100.0, "thousands": 1000.0, "millions": 1e6}
_VAGUE_RANGE = re.compile(r"\bbetween\s+(tens|dozens|hundreds|thousands)\s+and\s+(tens|dozens|hundreds|thousands|millions)\b"
                          r"(?:\s+of\s+(?P<unit>[a-z][\w-]*))?", re.I)
_NUMBER_WORD = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|dozen|million)"
_UNIT_AFTER = re.compile(_NUMBER_WORD + r"(?:\s+(?:hundred|thousand|million|billion))*\s+(?:more\s+|new\s+|large\s+)?(?P<unit>[a-z][a-z-]+)", re.I)
_NOT_UNITS = frozenset("and or to of in on the a an per percent was were are is has have had more than".split())
_PLACE = re.compile(
    r"\b(?:in|into|near|at|from|of|across|around|outside|inside|towards?)\s+(?:the\s+)?"
    r"(?:(?:city|town|village|region|province|district|governorate|area|camp|countryside)\s+of\s+)?"
    r"(?P<place>(?:(?:northern|southern|eastern|western|central|north|south|east|west)\s+)?(?:[A-Z][\w’'-]*|al|el|ez|ad|as|ash|de)(?:[\s-](?:[A-Z][\w’'-]*|al|el|ez|ad|as|ash|de))*)"
)
_NOT_PLACES = frozenset(_WEEKDAYS + _MONTHS + ["ramadan", "i", "the", "iranian", "syrian", "iraqi", "shiite"])


def value_of(text: str) -> tuple[float | None, str | None, float | None, str | None]:
    """(value, qualifier, high, unit) of the first figure in the text, dates left out."""
    vague = _VAGUE_RANGE.search(text)
    numbers = [n for n in extract_facts(text).numbers if not _is_year(n)]
    if vague and (not numbers or vague.start() < _first_digit(text)):
        low, high = _VAGUE[vague.group(1).lower()], _VAGUE[vague.group(2).lower()]
        return low, Qualifier.BETWEEN.value, high, (vague.group("unit") or None)
    if not numbers:
        return None, None, None, None
    qualifier, number = numbers[0]
    unit = None
    if m := _UNIT_AFTER.search(_strip_dates(text)):
        word = m.group("unit").lower()
        unit = None if word in _NOT_UNITS else word
    if isinstance(number, tuple):
        return number[0], Qualifier.BETWEEN.value, number[1], unit
    return number, Qualifier.parse(qualifier, "qualifier").value, None, unit


def _first_digit(text: str) -> int:
    m = re.search(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b", text, re.I)
    return m.start() if m else len(text)


def _is_year(item) -> bool:
    _, n = item
    return not isinstance(n, tuple) and 1900 <= n <= 2100 and float(n).is_integer()


def _strip_dates(text: str) -> str:
    for pattern in (_ISO, _DAY_MONTH, _MONTH_DAY):
        text = pattern.sub(" ", text)
    return text


def _month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name[:3]))


def _latest(year: int, month: int, day: int, published: date) -> date | None:
    try:
        d = date(year, month, day)
        return d if d <= published else date(year - 1, month, day)
    except ValueError:
        return None


def event_date(text: str, published: date | None) -> date | None:
    """The first date the text gives, resolved against the publication date."""
    if has_arabic(text) and (found := arabic_event_date(text, published)):
        return found
    if m := _ISO.search(text):
        try:
            return date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return None
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if m := pattern.search(text):
            return _day_of(m["y"], _month_number(m["mon"]), int(m["d"]), published)
    if published is None:
        return None
    if m := _RELATIVE.search(text):
        return published - timedelta(days=1) if m["r"].lower() == "yesterday" else published
    if m := _WEEKDAY.search(text):
        back = (published.weekday() - _WEEKDAYS.index(m["w"].lower())) % 7
        return published - timedelta(days=back)
    if m := _RAMADAN.search(text):
        return ramadan_start(published) if m["edge"].lower() != "end" else None
    if m := _AR_RAMADAN.search(prepare(text)):  # «منذ بداية شهر رمضان»
        return ramadan_start(published) if m["edge"] != fold_arabic("نهاية") else None
    return None


_AR_RELATIVE = [(fold_arabic(w), back) for w, back in sorted(lexicon_ar.RELATIVE_DAYS.items(), key=lambda x: -len(x[0]))]
_AR_RELATIVE_RE = re.compile(r"(?<!\w)(?P<r>" + "|".join(w for w, _ in _AR_RELATIVE) + r")(?!\w)")
_AR_WEEKDAYS = {fold_arabic(w): n for w, n in lexicon_ar.WEEKDAYS.items()}
_AR_AMBIGUOUS = {fold_arabic(w) for w in lexicon_ar.AMBIGUOUS_WEEKDAYS}
_AR_WEEKDAY = re.compile(r"(?<!\w)(?P<day>" + fold_arabic(lexicon_ar.DAY_WORD) + r"\s+)?(?:[وف]?)(?P<w>"
                         + "|".join(_AR_WEEKDAYS) + r")(?!\w)")


def _day_of(year: str | None, month: int, day: int, published: date | None) -> date | None:
    """The date a day and month give: in the year written, else the latest such day not after the
    publication date (None without one, or for a day the month does not have)."""
    if year:
        try:
            return date(int(year), month, day)
        except ValueError:
            return None
    return _latest(published.year, month, day, published) if published else None


def arabic_event_date(text: str, published: date | None) -> date | None:
    """The first date an Arabic text gives: "12 نيسان/أبريل 2024", "5 أيار" (the latest 5 May not
    after the publication date), "أمس" (yesterday), "يوم الخميس" (the latest Thursday not
    after it); the words of ``lexicon_ar``. None when it gives none."""
    folded = prepare(text)
    if m := AR_DATE_PATTERNS[0].search(folded):
        return _day_of(m["y"], AR_MONTHS[m["mon"]], int(m["d"]), published)
    if published is None:
        return None
    if m := _AR_RELATIVE_RE.search(folded):
        return published + timedelta(days=dict(_AR_RELATIVE)[m["r"]])
    for m in _AR_WEEKDAY.finditer(folded):
        if m["w"] in _AR_AMBIGUOUS and not m["day"]:
            continue  # "الأحد" is also "the one", "الاثنين" "the two"
        return published - timedelta(days=(published.weekday() - _AR_WEEKDAYS[m["w"]]) % 7)
    return None


def _islamic_to_jd(year: int, month: int, day: int) -> float:
    """Julian day of a date of the tabular (arithmetical) Islamic calendar."""
    return day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439.5 - 1


def ramadan_start(on_or_before: date) -> date:
    """First of Ramadan (tabular calendar; may differ by a day or two from the sighted one)."""
    epoch = date(1858, 11, 17)  # Julian day 2400000.5
    approx = int((on_or_before.year - 622) * 33 / 32) + 1
    starts = [epoch + timedelta(days=_islamic_to_jd(h, 9, 1) - 2400000.5) for h in range(approx - 2, approx + 2)]
    return max(d for d in starts if d <= on_or_before)


def places(text: str, known: frozenset[str] = frozenset()) -> str | None:
    """The places a claim's text names ("; "-joined); ``known``: the place names its report gives
    elsewhere (Arabic, where no capital marks a name)."""
    if arabic.is_arabic(text):
        return "; ".join(arabic.places(text, known)) or None
    found: list[str] = []
    for m in _PLACE.finditer(text):
        place = m.group("place").strip(" -")
        if place.split()[-1].lower() in _NOT_PLACES or place.split()[0].lower() in _NOT_PLACES or len(place) < 3 \
                or not any(w[0].isupper() for w in place.split()):
            continue
        if place not in found:
            found.append(place)
    return "; ".join(found) or None
