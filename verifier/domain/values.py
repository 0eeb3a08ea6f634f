"""Structured values: the range of quantities a (qualifier, value) admits, and whether two
values can both be true. Shared by the pair judgement and the corroboration code."""

from __future__ import annotations

import math
import unicodedata

from verifier.domain.model import Qualifier
from verifier.domain.normalisation import THOUSANDS, normalise

ABOUT_TOLERANCE = 0.10  # "about 4700" covers 4230..5170


def as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = THOUSANDS.sub("", unicodedata.normalize("NFKC", value).strip())
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
