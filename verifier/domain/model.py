"""The domain model: sources, documents, claims, links, resolutions and audit events.

Plain attrs classes with no knowledge of storage. Entities are ``@define(slots=False,
eq=False)`` so SQLAlchemy can map them imperatively; value objects are ``@frozen``.
Every field that a user can get wrong has a validator whose message names the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from attrs import define, field, frozen

from verifier.domain.checks import (
    check_key,
    check_link_ends,
    check_relays,
    check_text,
    iso,
    parse_date,
    text_list,
    utcnow,
    verdict_time,
)
from verifier.domain.errors import DomainError
from verifier.domain.values import Value
from verifier.domain.vocabulary import Grade, LinkOrigin, LinkState, Qualifier, Relation, SourceKind, Verdict


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
    language: str | None = None  # "ar", "en" (domain.language.detect); None when it cannot be told
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
        check_relays(self.source.key, [s.key for s in chain])
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
    at: datetime = field(factory=utcnow, converter=lambda v: verdict_time(v, "at") or utcnow())
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



def value_of(x):
    """The plain value of an enum member, or the value itself (rows loaded by the ORM
    carry the stored strings; objects built here carry the enums)."""
    return getattr(x, "value", x)



def claim_status(latest_verdict: str | None) -> str:
    return latest_verdict or "unresolved"
