"""Checks of the fields a user supplies (ids, names, texts, dates, lists) and the rules between
them (a relay chain, a link's ends, a dependency, a parent), each raising ``DomainError`` naming
the field; slugs and source ids from names; ISO text of dates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from verifier.domain.errors import DomainError

KEY_RE = re.compile(r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]{1,200}$")


KEY_RE = re.compile(r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]{1,200}$")
MAX_TEXT = 20_000
# Unicode's format characters (category Cf) that hide in an id: zero-width spaces and joiners,
# the word joiner, the BOM, soft hyphen, and every bidirectional mark, embedding, override, isolate
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")



def check_key(value: Any, field_name: str = "id") -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise DomainError(field_name, f"expected text, got {type(value).__name__}")
    value = value.strip()
    # printable ASCII is what KEY_RE accepts in ASCII; the C-level tests are 10x faster
    if value.isascii() and value.isprintable() and 0 < len(value) <= 200:
        return value
    if not KEY_RE.match(value):
        raise DomainError(field_name, "must be 1-200 printable characters")
    if hidden := _INVISIBLE.search(value):
        # "x\u200b11" and "x11" would be two ids that print the same
        raise DomainError(field_name, f"contains an invisible character (U+{ord(hidden.group()):04X}: "
                                      "zero-width or a text-direction control)")
    return value



def slug(text: str, default: str = "source") -> str:
    """An id from a display name: lower case, each run of characters other than letters,
    digits, '_' and '.' as one '-' ("Eyn Alfurat - network" -> "eyn-alfurat-network");
    ``default`` when nothing is left."""
    out = re.sub(r"[^\w.]+", "-", text.strip().lower()).strip("-")
    return out[:200] or default



UNKNOWN_SOURCE = "unknown"  # the source of a claim nobody is named for



def source_key(text: str | None) -> str:
    """The id a source gets from the name it is first given, by every path (``claim add``,
    ``source`` named in an import file or a CSV column, a ClaimReview author): its
    :func:`slug` ("Eyn Alfurat - network" -> "eyn-alfurat-network", "ghost" stays "ghost");
    :data:`UNKNOWN_SOURCE` when there is no name. One rule, so one name is one source."""
    if text is None or not text.strip():
        return UNKNOWN_SOURCE
    return slug(text, UNKNOWN_SOURCE)



def check_relays(source: str, via: Sequence[str]) -> None:
    """A relay chain names each source once, never the claim's own source."""
    if len(set(via)) != len(via):
        raise DomainError("via", "a relay chain names the same source twice")
    if source in via:
        raise DomainError("via", f"the claim's own source {source!r} cannot relay it")



def check_link_ends(a: str, b: str) -> None:
    if a == b:
        raise DomainError("to", f"a claim cannot be linked to itself ({a!r})")



def check_dependency(source: str, on: str) -> None:
    if source == on:
        raise DomainError("on", "a source cannot depend on itself")



def check_parent(key: str, parent: str | None) -> None:
    if parent == key:
        raise DomainError("parent", "a source cannot be its own parent")



def check_text(value: Any, field_name: str, *, required: bool = True, limit: int = MAX_TEXT) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise DomainError(field_name, f"expected text, got {type(value).__name__}")
    if "\x00" in value:
        raise DomainError(field_name, "contains a NUL byte")
    value = value.strip()
    if required and not value:
        raise DomainError(field_name, "must not be empty")
    if len(value) > limit:
        raise DomainError(field_name, f"longer than {limit} characters")
    return value or None


def check_percent(value: Any, field_name: str) -> str:
    """A percentage setting (0 to 100), as stored."""
    try:
        v = float(value)
    except ValueError:
        raise DomainError(field_name, f"expected a number from 0 to 100, got {value!r}") from None
    if not 0 <= v <= 100:
        raise DomainError(field_name, f"expected a number from 0 to 100, got {value!r}")
    return str(v)


def check_half_life(value: Any, field_name: str) -> str:
    """A half-life setting (days, or "off" for no decay), as stored."""
    from verifier.domain import pooling

    try:
        days = pooling.parse_half_life(value)
    except ValueError as exc:
        raise DomainError(field_name, str(exc).split(": ", 1)[1]) from None
    return "off" if days is None else str(days)



def parse_date(value: Any, field_name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise DomainError(field_name, f"not a date (YYYY-MM-DD): {value!r}")



def parse_datetime(value: Any, field_name: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise DomainError(field_name, f"not a date or time (ISO 8601): {value!r}") from None
    else:
        raise DomainError(field_name, f"not a date or time (ISO 8601): {value!r}")
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt



FUTURE_TOLERANCE = timedelta(days=1)
"""How far past the clock a verdict's time may lie: a day covers every time zone and a clock
somewhat off, never a typo of a year (9999-12-31)."""


def verdict_time(value: Any, field_name: str = "at") -> datetime | None:
    """A verdict's time (``parse_datetime``), refused beyond today: a verdict cannot be given later."""
    dt = parse_datetime(value, field_name)
    if dt is not None and dt > utcnow() + FUTURE_TOLERANCE:
        raise DomainError(field_name, f"{iso(dt)} is in the future: a verdict is dated when it is given")
    return dt


def utcnow() -> datetime:
    """Naive UTC 'now', microsecond precision (stored naive, read as UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)



def text_list(value: Any, field_name: str) -> tuple[str, ...]:
    """A list of short strings; a string is split on ';' (the CSV convention)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [v for v in value.split(";")]
    if not isinstance(value, (list, tuple)):
        raise DomainError(field_name, f"expected a list, got {type(value).__name__}")
    out = []
    for item in value:
        if not isinstance(item, str):
            raise DomainError(field_name, f"expected a list of text, found {type(item).__name__}")
        item = item.strip()
        if item:
            if "\x00" in item:
                raise DomainError(field_name, "contains a NUL byte")
            out.append(item)
    return tuple(out)



def iso(value) -> str | None:
    """A date or datetime as ISO 8601 text (the import format's spelling); None stays None."""
    return None if value is None else value.isoformat()
