"""The rows the read side returns: frozen attrs classes with typed fields.

Each prints as JSON through the one converter (``views.convert``) with the keys, in the order,
the command line has always printed: a field is a key, ``from_`` prints as ``from``, a claim's
``figure`` stands as its ``value``, ``qualifier`` and ``unit`` keys (none when it has no value),
and an optional part left out (``document``, ``topic``) prints no key at all.
"""

from __future__ import annotations

from typing import Any

from attrs import fields, frozen

# --------------------------------------------------------------------------- audit


@frozen(kw_only=True)
class AuditEvent:
    """One event of the audit log, as a history lists it: ``before``/``after`` the records."""

    seq: int
    at: str
    analyst: str | None
    action: str
    entity: str
    key: str | None
    before: Any  # the record before and after (a dict, usually), None when there was none
    after: Any

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> AuditEvent:
        """From ``adapters.repository.event_row``'s record."""
        return cls(seq=r["seq"], at=r["at"], analyst=r["analyst"], action=r["action"], entity=r["entity"], key=r["key"],
                   before=r["before"], after=r["after"])


@frozen(kw_only=True)
class Summary:
    """How much the store holds."""

    sources: int
    claims: int
    unresolved: int
    links: int
    suggested: int
    events: int


# --------------------------------------------------------------------------- sources


@frozen(kw_only=True)
class SourceRow:
    """A source in a listing: its counts and reliability (score, letter, the 90% interval
    ``low``–``high``). ``topic``: the topic the record was asked for, if any."""

    id: str
    name: str
    type: str | None
    affiliation: str | None
    parent: str | None
    grade: str | None
    aliases: tuple[str, ...]
    claims: int
    resolved: int
    verdicts: dict[str, int]
    score: float
    letter: str | None
    borrows_from: str | None
    topic: str | None = None
    low: float
    high: float


@frozen(kw_only=True)
class Dependency:
    source: str
    note: str | None


@frozen(kw_only=True)
class Topic:
    topic: str  # a tag or subject of the source's claims, casefolded: what --topic asks about
    resolved: int  # how many of the source's claims under it have a verdict


@frozen(kw_only=True)
class TopicRecord:
    topic: str
    score: float
    low: float
    high: float
    counted: int


@frozen(kw_only=True)
class Reliability:
    score: float
    low: float
    high: float
    letter: str
    counted: int
    counts: dict[str, int]
    prior: tuple[float, float]
    words: str
    borrows_from: str | None


@frozen(kw_only=True)
class ScoreStep:
    at: str | None
    claim: str
    verdict: str
    before: float
    after: float
    delta: float


@frozen(kw_only=True)
class Move:
    at: str | None
    claim: str
    verdict: str
    delta: float


# --------------------------------------------------------------------------- claims


@frozen(kw_only=True)
class Figure:
    """A claim's value: text, a number or a ``[low, high]`` range; its qualifier in words."""

    value: str | int | float | list[int | float]
    qualifier: str | None
    unit: str | None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Figure | None:
        """From ``domain.values.value_record`` ({} when the claim has no value)."""
        if not record:
            return None
        return cls(value=record["value"], qualifier=record["qualifier"], unit=record["unit"])


@frozen(kw_only=True)
class ClaimRow:
    """A claim in a listing (the queue): where it came from, its state and belief."""

    id: str
    text: str
    source: str
    source_name: str | None
    via: tuple[str, ...]
    status: str
    published: str | None
    event_date: str | None
    location: str | None
    tags: tuple[str, ...]
    subject: str | None
    support: int
    contradicted: int
    belief: float | None
    credibility: int
    words: str
    suggested_duplicates: int
    assignee: str | None
    figure: Figure | None = None
    language: str | None = None  # "ar", "en"; None when it cannot be told


@frozen(kw_only=True)
class DocumentRef:
    id: str
    title: str | None
    url: str | None
    published: str | None


@frozen(kw_only=True)
class Resolution:
    verdict: str
    at: str | None
    rationale: str | None
    evidence: str | None
    analyst: str | None


@frozen(kw_only=True)
class Link:
    """A link of a claim, seen from it: ``other`` is the claim at the other end."""

    from_: str
    to: str
    other: str
    other_text: str
    relation: str
    origin: str
    state: str
    score: float | None
    note: str | None
    analyst: str | None
    kind: str
    review: str | None


@frozen(kw_only=True)
class ClaimDetail(ClaimRow):
    """One claim with the document it was read in, its resolutions, links and history."""

    document: DocumentRef | None = None
    resolutions: tuple[Resolution, ...]
    links: tuple[Link, ...]
    history: tuple[AuditEvent, ...]
    # the newest audit event when this was read: `resolve`, `link` and the duplicates and copies
    # decisions refuse, given it as --if-unchanged-since, what anyone changed after it
    as_of: int = 0

    @classmethod
    def from_row(cls, row: ClaimRow, **detail: Any) -> ClaimDetail:
        """The claim ``row`` lists, with its ``detail`` (document, resolutions, links, history)."""
        return cls(**{a.name: getattr(row, a.name) for a in fields(ClaimRow)}, **detail)


@frozen(kw_only=True)
class SourceDetail:
    """One source's record (on ``topic`` if asked), its topics and their records, its
    dependencies, its score's history and its most recent claims."""

    id: str
    name: str
    type: str | None
    aliases: tuple[str, ...]
    affiliation: str | None
    parent: str | None
    children: tuple[str, ...]
    grade: str | None
    notes: str | None
    claims: int
    relayed: int
    depends_on: tuple[Dependency, ...]
    depended_on_by: tuple[Dependency, ...]
    as_of: str | None
    topic: str | None
    half_life_days: float | None
    topics: tuple[Topic, ...]
    by_topic: tuple[TopicRecord, ...]
    reliability: Reliability
    score_history: tuple[ScoreStep, ...]
    moved_most: tuple[Move, ...]
    recent_claims: tuple[ClaimRow, ...]
    history: tuple[AuditEvent, ...]


# --------------------------------------------------------------------------- documents


@frozen(kw_only=True)
class DocumentClaim:
    id: str
    text: str


@frozen(kw_only=True)
class DocumentDetail:
    id: str
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None
    retrieved: str | None
    claims: tuple[DocumentClaim, ...]
    claim_count: int
    history: tuple[AuditEvent, ...]


# --------------------------------------------------------------------------- duplicates


@frozen(kw_only=True)
class DuplicatePair:
    """A pair the detector suggested: ``kind`` duplicate or conflict, ``band`` its score's band."""

    a: str
    b: str
    a_text: str
    b_text: str
    score: float | None
    kind: str
    state: str
    band: str | None
    reason: str | None


@frozen(kw_only=True)
class Match:
    """A tracked claim like a text, and how like (0–100)."""

    id: str
    score: float
    text: str


@frozen(kw_only=True)
class SimilarClaim(Match):
    """A near-duplicate of a claim, with the detector's verdict on the pair (``kind``:
    duplicate, conflict or None)."""

    kind: str | None
