"""The domain model: sources, documents, claims, links, resolutions and audit events.

Plain attrs classes with no knowledge of storage. Entities are ``@define(slots=False,
eq=False)`` so SQLAlchemy can map them imperatively; value objects are ``@frozen``.
Every field that a user can get wrong has a validator whose message names the field.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from attrs import define, field, frozen


class DomainError(ValueError):
    """A value a user supplied is not acceptable; the message names the field."""

    def __init__(self, field_name: str, problem: str):
        self.field = field_name
        self.problem = problem
        super().__init__(f"{field_name}: {problem}")


class NotFound(LookupError):
    """A referenced source, claim or link does not exist."""

    def __init__(self, kind: str, key: str):
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with id {key!r}")


class Choice(enum.StrEnum):
    """A string enum whose parse() accepts a few spellings and names the field on failure."""

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {}

    @classmethod
    def parse(cls, value: Any, field_name: str):
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            raise DomainError(field_name, f"expected text, got {type(value).__name__}")
        text = re.sub(r"[\s_]+", "-", value.strip().lower())
        text = cls._aliases().get(text, text)
        try:
            return cls(text)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise DomainError(field_name, f"unknown value {value!r} (one of: {allowed})") from None

    def __str__(self) -> str:  # pragma: no cover - cosmetic
        return self.value


class SourceKind(Choice):
    OUTLET = "outlet"
    MONITOR = "monitor"
    SOCIAL = "social"
    OFFICIAL = "official"
    THINK_TANK = "think-tank"
    INDIVIDUAL = "individual"
    UNKNOWN = "unknown"

    @classmethod
    def _aliases(cls):
        return {
            "ngo": "monitor",
            "monitor/ngo": "monitor",
            "thinktank": "think-tank",
            "channel": "social",
            "social-channel": "social",
            "person": "individual",
            "media": "outlet",
            "government": "official",
        }


class Grade(Choice):
    """Admiralty source-reliability grade."""

    A = "A"  # completely reliable
    B = "B"  # usually reliable
    C = "C"  # fairly reliable
    D = "D"  # not usually reliable
    E = "E"  # unreliable
    F = "F"  # reliability cannot be judged
    G = "G"  # deliberately deceptive

    @classmethod
    def parse(cls, value: Any, field_name: str):
        if isinstance(value, str):
            value = value.strip().upper()
            try:
                return cls(value)
            except ValueError:
                raise DomainError(field_name, f"unknown grade {value!r} (one of: A, B, C, D, E, F, G)") from None
        return super().parse(value, field_name)


class Relation(Choice):
    DUPLICATES = "duplicates"
    CORROBORATES = "corroborates"
    CONTRADICTS = "contradicts"

    @classmethod
    def _aliases(cls):
        return {"duplicate": "duplicates", "corroborate": "corroborates", "contradict": "contradicts",
                "supports": "corroborates", "conflicts": "contradicts"}


class LinkOrigin(Choice):
    ANALYST = "analyst"
    DERIVED = "derived"
    DETECTOR = "detector"


class LinkState(Choice):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Verdict(Choice):
    TRUE = "true"
    MOSTLY_TRUE = "mostly-true"
    MIXED = "mixed"
    MOSTLY_FALSE = "mostly-false"
    FALSE = "false"
    UNVERIFIABLE = "unverifiable"

    @classmethod
    def _aliases(cls):
        return {"half-true": "mixed", "mostly-true": "mostly-true", "mostlytrue": "mostly-true",
                "mostlyfalse": "mostly-false"}

    @property
    def score(self) -> float | None:
        """Truth value used by track records; None for unverifiable (not counted)."""
        return VERDICT_SCORES[self.value]


#: Every verdict, best first: the one list the CLI, the TUI, the views and the services use.
VERDICTS: tuple[str, ...] = tuple(v.value for v in Verdict)

#: The truth value each verdict adds to a track record; None: not counted (unverifiable).
VERDICT_SCORES: dict[str, float | None] = {
    Verdict.TRUE.value: 1.0,
    Verdict.MOSTLY_TRUE.value: 0.75,
    Verdict.MIXED.value: 0.5,
    Verdict.MOSTLY_FALSE.value: 0.25,
    Verdict.FALSE.value: 0.0,
    Verdict.UNVERIFIABLE.value: None,
}


class Qualifier(Choice):
    EXACT = "exact"
    ABOUT = "about"
    MORE_THAN = "more-than"
    LESS_THAN = "less-than"
    BETWEEN = "between"

    @classmethod
    def _aliases(cls):
        return QUALIFIER_ALIASES

    @classmethod
    def lookup(cls, value: Any) -> Qualifier | None:
        """The qualifier a spelling names ("at least", "over", ">=", "more_than"), None when it
        names none; no qualifier at all (None or "") is exact."""
        if value is None:
            return cls.EXACT
        if not isinstance(value, str):
            return None
        return _qualifier_named(value)

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


@functools.lru_cache(maxsize=1024)  # value matching asks for the same few spellings again and again
def _qualifier_named(value: str) -> Qualifier | None:
    text = re.sub(r"[\s_]+", "-", value.strip().lower())
    if not text:
        return Qualifier.EXACT
    try:
        return Qualifier(QUALIFIER_ALIASES.get(text, text))
    except ValueError:
        return None


#: Other spellings of each qualifier, after ``Choice.parse``'s folding (lower case, runs of
#: spaces and '_' as '-'): the one list both a record's qualifier and value matching read.
QUALIFIER_ALIASES: dict[str, str] = {
    "exactly": "exact", "=": "exact",
    "approximately": "about", "approx": "about", "around": "about", "~": "about", "roughly": "about",
    "nearly": "about", "almost": "about",
    "over": "more-than", "at-least": "more-than", ">": "more-than", ">=": "more-than",
    "greater-than": "more-than", "above": "more-than",
    "under": "less-than", "at-most": "less-than", "fewer-than": "less-than", "<": "less-than",
    "<=": "less-than", "below": "less-than", "up-to": "less-than",
    "range": "between",
}  # fmt: skip


# --------------------------------------------------------------------------- values in columns

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


# --------------------------------------------------------------------------- helpers

KEY_RE = re.compile(r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]{1,200}$")
MAX_TEXT = 20_000


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
    return value


def slug(text: str, default: str = "source") -> str:
    """An id from a display name: lower case, each run of characters other than letters,
    digits, '_' and '.' as one '-' ("Eyn Alfurat - network" -> "eyn-alfurat-network");
    ``default`` when nothing is left."""
    out = re.sub(r"[^\w.]+", "-", text.strip().lower()).strip("-")
    return out[:200] or default


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


# --------------------------------------------------------------------------- values


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
                number = float(stripped.replace(",", ""))
            except ValueError:
                text = check_text(stripped, "value", limit=2000)
                return cls(q, None, None, text, unit)
            return cls.parse(number, q.value, unit)
        raise DomainError("value", f"expected a number, a [low, high] pair or text, got {type(value).__name__}")

    def __composite_values__(self):
        return (self.qualifier.value, self.number, self.high, self.text, self.unit)

    def to_json(self) -> Any:
        if self.text is not None:
            return self.text
        if self.qualifier is Qualifier.BETWEEN:
            return [_num(self.number), _num(self.high)]
        return _num(self.number)

    def describe(self) -> str:
        if self.text is not None:
            core = self.text
        elif self.qualifier is Qualifier.BETWEEN:
            core = f"between {_num(self.number)} and {_num(self.high)}"
        else:
            core = f"{'' if self.qualifier is Qualifier.EXACT else self.qualifier.label + ' '}{_num(self.number)}"
        return f"{core} {self.unit}" if self.unit else core


def _num(x: float | None):
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


# --------------------------------------------------------------------------- entities


def _kind(value):
    return SourceKind.parse(value, "type") if value not in (None, "") else SourceKind.UNKNOWN


def _grade(value):
    return Grade.parse(value, "grade") if value not in (None, "") else None


@define(slots=False, eq=False)
class Source:
    """Who asserts things."""

    key: str = field(converter=lambda v: check_key(v, "id"))
    name: str = field(converter=lambda v: check_text(v, "name", limit=500))
    kind: SourceKind = field(default=SourceKind.UNKNOWN, converter=_kind)
    aliases: list[str] = field(factory=list, converter=lambda v: list(text_list(v, "aliases")))
    affiliation: str | None = field(default=None, converter=lambda v: check_text(v, "affiliation", required=False, limit=500))
    parent: Source | None = None
    grade: Grade | None = field(default=None, converter=_grade)
    notes: str | None = field(default=None, converter=lambda v: check_text(v, "notes", required=False))
    created_at: datetime = field(factory=utcnow)

    def set_parent(self, parent: Source | None) -> None:
        probe = parent
        while probe is not None:
            if probe is self:
                raise DomainError("parent", f"{parent.key!r} would make {self.key!r} its own ancestor")
            probe = probe.parent
        self.parent = parent

    def ancestors(self) -> list[Source]:
        out, probe = [], self.parent
        while probe is not None and probe not in out:
            out.append(probe)
            probe = probe.parent
        return out

    def snapshot(self) -> dict:
        return {
            "id": self.key, "name": self.name, "type": value_of(self.kind), "aliases": list(self.aliases),
            "affiliation": self.affiliation, "parent": self.parent.key if self.parent else None,
            "grade": value_of(self.grade) if self.grade else None, "notes": self.notes,
        }


@define(slots=False, eq=False)
class Document:
    """Where claims were read."""

    key: str = field(converter=lambda v: check_key(v, "id"))
    title: str | None = field(default=None, converter=lambda v: check_text(v, "title", required=False, limit=2000))
    url: str | None = field(default=None, converter=lambda v: check_text(v, "url", required=False, limit=4000))
    publisher: Source | None = None
    published: date | None = field(default=None, converter=lambda v: parse_date(v, "published"))
    retrieved: date | None = field(default=None, converter=lambda v: parse_date(v, "retrieved"))
    created_at: datetime = field(factory=utcnow)

    def snapshot(self) -> dict:
        return {
            "id": self.key, "title": self.title, "url": self.url,
            "publisher": self.publisher.key if self.publisher else None,
            "published": iso(self.published), "retrieved": iso(self.retrieved),
        }


@define(slots=False, eq=False)
class Relay:
    """One hop of a claim's relay chain (position 0 is the nearest relay)."""

    position: int
    source: Source


@define(slots=False, eq=False)
class Claim:
    """One source's assertion in its own words."""

    key: str = field(converter=lambda v: check_key(v, "id"))
    text: str = field(converter=lambda v: check_text(v, "text"))
    source: Source = field()
    relays: list[Relay] = field(factory=list)
    document: Document | None = None
    published: date | None = field(default=None, converter=lambda v: parse_date(v, "published"))
    event_date: date | None = field(default=None, converter=lambda v: parse_date(v, "event_date"))
    location: str | None = field(default=None, converter=lambda v: check_text(v, "location", required=False, limit=500))
    tags: list[str] = field(factory=list, converter=lambda v: list(text_list(v, "tags")))
    subject: str | None = field(default=None, converter=lambda v: check_text(v, "subject", required=False, limit=1000))
    value: Value | None = None
    norm: str = ""
    status: str = "unresolved"
    created_at: datetime = field(factory=utcnow)

    @source.validator
    def _check_source(self, attribute, value):
        if not isinstance(value, Source):
            raise DomainError("source", "a claim needs a source")

    @classmethod
    def new(cls, key: str, text: str, source: Source, via: Sequence[Source] = (), **fields) -> Claim:
        claim = cls(key=key, text=text, source=source, **fields)
        claim.set_via(via)
        return claim

    @property
    def via(self) -> list[Source]:
        return [r.source for r in sorted(self.relays, key=lambda r: r.position)]

    def set_via(self, chain: Iterable[Source]) -> None:
        chain = list(chain)
        check_via(self.source.key, [s.key for s in chain])
        self.relays[:] = [Relay(position=i, source=s) for i, s in enumerate(chain)]

    def snapshot(self) -> dict:
        out = {
            "id": self.key, "text": self.text, "source": self.source.key,
            "via": [s.key for s in self.via],
            "document": self.document.key if self.document else None,
            "published": iso(self.published), "event_date": iso(self.event_date),
            "location": self.location, "tags": list(self.tags), "subject": self.subject,
        }
        if self.value is not None:
            out["value"] = self.value.to_json()
            out["qualifier"] = Qualifier.parse(self.value.qualifier, "qualifier").label
            out["unit"] = self.value.unit
        return out


def changed_fields(before: dict, after: dict) -> list[str]:
    """The fields of a record (a ``snapshot()``) that differ, in the record's order; a
    claim's qualifier and unit are part of its ``value``."""
    out = []
    for name in dict.fromkeys([*before, *after]):
        if before.get(name) != after.get(name):
            name = "value" if name in ("qualifier", "unit") else name
            if name not in out:
                out.append(name)
    return out


@define(slots=False, eq=False)
class Link:
    """A relation between two claims (from ``a`` to ``b``)."""

    a: Claim
    b: Claim
    relation: Relation = field(converter=lambda v: Relation.parse(v, "relation"))
    origin: LinkOrigin = field(default=LinkOrigin.ANALYST, converter=lambda v: LinkOrigin.parse(v, "origin"))
    state: LinkState = field(default=LinkState.CONFIRMED, converter=lambda v: LinkState.parse(v, "state"))
    score: float | None = None
    note: str | None = field(default=None, converter=lambda v: check_text(v, "note", required=False, limit=4000))
    analyst: str | None = None
    created_at: datetime = field(factory=utcnow)
    updated_at: datetime = field(factory=utcnow)

    def __attrs_post_init__(self):
        check_link_ends(self.a.key, self.b.key)

    def snapshot(self) -> dict:
        return {
            "from": self.a.key, "to": self.b.key, "relation": value_of(self.relation),
            "origin": value_of(self.origin), "state": value_of(self.state), "score": self.score, "note": self.note,
        }


@define(slots=False, eq=False)
class Resolution:
    """An analyst's verdict on a claim. History is kept; the latest counts."""

    claim: Claim
    verdict: Verdict = field(converter=lambda v: Verdict.parse(v, "verdict"))
    at: datetime = field(factory=utcnow, converter=lambda v: parse_datetime(v, "at") or utcnow())
    rationale: str | None = field(default=None, converter=lambda v: check_text(v, "rationale", required=False))
    evidence: str | None = field(default=None, converter=lambda v: check_text(v, "evidence", required=False, limit=4000))
    analyst: str | None = None
    created_at: datetime = field(factory=utcnow)

    def snapshot(self) -> dict:
        return {
            "claim": self.claim.key, "verdict": value_of(self.verdict), "at": iso(self.at),
            "rationale": self.rationale, "evidence": self.evidence, "analyst": self.analyst,
        }


@frozen
class Dependency:
    """The analyst's declaration that one source depends on another (counted once)."""

    source: str
    on: str
    note: str | None = None


def check_via(source: str, via: Sequence[str]) -> None:
    """A claim's relay chain (source ids, nearest first) names no source twice, nor the claim's own."""
    if len(set(via)) != len(via):
        raise DomainError("via", "a relay chain names the same source twice")
    if source in via:
        raise DomainError("via", f"the claim's own source {source!r} cannot relay it")


def check_link_ends(a: str, b: str) -> None:
    """A link joins two claims (ids), not one claim to itself."""
    if a == b:
        raise DomainError("to", f"a claim cannot be linked to itself ({a!r})")


def check_dependency(source: str, on: str) -> None:
    """A source (id) depends on another one, never on itself."""
    if source == on:
        raise DomainError("on", "a source cannot depend on itself")


def value_of(x):
    """The plain value of an enum member, or the value itself (rows loaded by the ORM
    carry the stored strings; objects built here carry the enums)."""
    return getattr(x, "value", x)


def iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") if value.microsecond == 0 else value.isoformat()
    return value.isoformat()


def claim_status(latest_verdict: str | None) -> str:
    return latest_verdict or "unresolved"
