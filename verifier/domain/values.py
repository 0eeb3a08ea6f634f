"""Structured claim values, in one place: ``Value`` (a number, a range or a short text, with its
qualifier and unit), a value to and from its database columns, the range of quantities a
(qualifier, value) admits, and whether two values can both be true (the pair judgement and the
corroboration code ask)."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from attrs import field, frozen

from verifier.domain.checks import check_text
from verifier.domain.errors import DomainError
from verifier.domain.facts import extract_facts
from verifier.domain.normalisation import THOUSANDS, fold_arabic, normalise
from verifier.domain.vocabulary import Qualifier

ABOUT_TOLERANCE = 0.10  # "about 4700" covers 4230..5170


def as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = THOUSANDS.sub("", fold_arabic(unicodedata.normalize("NFKC", value).strip()))
        try:
            return float(text)
        except ValueError:
            return None
    return None


def interval(qualifier: object, value: object) -> tuple[float, float] | None:
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
        low, high = as_number(value[0]), as_number(value[1])
        if low is None or high is None:
            return None
        return (min(low, high), max(low, high))
    number = as_number(value)
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
    a, b = interval(q1, v1), interval(q2, v2)
    if a is None or b is None:
        if a is not None or b is not None:
            return False  # a number against a text
        return _text_value(v1) == _text_value(v2)
    tolerance = 1e-9 * max(1.0, abs(a[0]) if math.isfinite(a[0]) else 1.0)
    return a[0] <= b[1] + tolerance and b[0] <= a[1] + tolerance


def dates_compatible(d1: tuple[int | None, ...], d2: tuple[int | None, ...]) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(d1, d2, strict=False))



def qualifier_words(qualifier: str | None) -> str:
    """A stored qualifier as words ("more-than" -> "more than"); no qualifier is "exact"."""
    return (qualifier or Qualifier.EXACT.value).replace("-", " ")



def value_from_columns(qualifier: str | None, number: float | None, high: float | None, text: str | None):
    """A claim's value from its columns: the text, a (low, high) pair for "between", else the number."""
    if text is not None:
        return text
    if qualifier == Qualifier.BETWEEN.value:
        return (number, high)
    return number



def _whole(x):
    return int(x) if x is not None and float(x).is_integer() else x



def value_record(qualifier: str | None, number: float | None, high: float | None, text: str | None,
                 unit: str | None) -> dict:
    """A claim's value columns as a record's fields, {} when it has no value: "value" (text,
    number or [low, high], whole numbers as int), "qualifier" in words and "unit"."""
    if text is None and number is None:
        return {}
    value = value_from_columns(qualifier, _whole(number), _whole(high), text)
    return {"value": list(value) if isinstance(value, tuple) else value, "qualifier": qualifier_words(qualifier),
            "unit": unit}



@frozen
class Value:
    """A structured claim value: a number, a (low, high) range, or a short text."""

    qualifier: Qualifier = field(default=Qualifier.EXACT)
    number: float | None = None
    high: float | None = None
    text: str | None = None
    unit: str | None = None

    @classmethod
    def parse(cls, value: Any, qualifier: Any = None, unit: Any = None) -> Value | None:
        if value is None or value == "":
            return None
        q = Qualifier.parse(qualifier, "qualifier") if qualifier not in (None, "") else Qualifier.EXACT
        unit = check_text(unit, "unit", required=False, limit=100)
        if isinstance(value, bool):
            raise DomainError("value", "expected a number, a [low, high] pair or text, got a boolean")
        if isinstance(value, (int, float)):
            if value != value or value in (float("inf"), float("-inf")):
                raise DomainError("value", "must be a finite number")
            if q is Qualifier.BETWEEN:
                raise DomainError("value", "qualifier 'between' needs a [low, high] pair")
            return cls(q, float(value), None, None, unit)
        if isinstance(value, (list, tuple)):
            if len(value) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
                raise DomainError("value", "a range must be a [low, high] pair of numbers")
            low, high = float(value[0]), float(value[1])
            if low > high:
                raise DomainError("value", f"range low {value[0]} is above high {value[1]}")
            return cls(Qualifier.BETWEEN, low, high, None, unit)
        if isinstance(value, str):
            stripped = value.strip()
            try:
                number = float(fold_arabic(stripped).replace(",", ""))
            except ValueError:
                text = check_text(stripped, "value", limit=2000)
                return cls(q, None, None, text, unit)
            return cls.parse(number, q.value, unit)
        raise DomainError("value", f"expected a number, a [low, high] pair or text, got {type(value).__name__}")

    @classmethod
    def read(cls, text: str, unit: str | None = None) -> Value | None:
        """The first quantity a phrase states, with its qualifier, in English or Arabic:
        "more than 300" and «أكثر من ٣٠٠» are (more-than, 300), «بين 10 و20» (between, 10, 20),
        «عشرات» (between, 10, 99), «أحد عشر» 11; None when it states none."""
        numbers = extract_facts(text or "").numbers
        if not numbers:
            return None
        qualifier, number = numbers[0]
        if isinstance(number, tuple):
            return cls(Qualifier.BETWEEN, float(number[0]), float(number[1]), None, unit)
        return cls(Qualifier.parse(qualifier, "qualifier"), float(number), None, None, unit)

    def __composite_values__(self):
        return (self.qualifier.value, self.number, self.high, self.text, self.unit)

    def to_json(self) -> Any:
        if self.text is not None:
            return self.text
        if self.qualifier is Qualifier.BETWEEN:
            return [_whole(self.number), _whole(self.high)]
        return _whole(self.number)

    def describe(self) -> str:
        if self.text is not None:
            core = self.text
        elif self.qualifier is Qualifier.BETWEEN:
            core = f"between {_whole(self.number)} and {_whole(self.high)}"
        else:
            core = f"{'' if self.qualifier is Qualifier.EXACT else self.qualifier.label + ' '}{_whole(self.number)}"
        return f"{core} {self.unit}" if self.unit else core



