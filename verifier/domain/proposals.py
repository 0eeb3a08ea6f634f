"""Proposals: claims read from a report's prose, stored for review, counted in nothing.

A ``Proposal`` is what ``verifier ingest`` keeps of one ``attribution.ProposedClaim`` once its
source is recognised among the known sources and the report's publisher closes its relay
chain. An analyst accepts it (it becomes an ordinary claim), rejects it, edits it, splits it
in two or merges it with the next one. Pure: no storage here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from attrs import define, evolve, field, frozen

from verifier.domain.checks import check_text, parse_date, text_list, utcnow
from verifier.domain.errors import DomainError
from verifier.domain.values import Value
from verifier.domain.vocabulary import Choice, Qualifier


class ProposalState(Choice):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@frozen
class SourceRef:
    """Who a proposal says asserts it: a known source (key), or a new one to create on
    acceptance (key None, with the name, kind and affiliation the report gives)."""

    key: str | None
    name: str
    kind: str | None = None
    affiliation: str | None = None

    @property
    def label(self) -> str:
        return self.key or self.name


def relay_chain(via: Sequence[str], publisher: str | None, source: str | None) -> list[str]:
    """The relay chain stored with a proposal: the relays the sentence names, nearest the
    source first, then the report's publisher last; never the source itself, never twice."""
    out: list[str] = []
    for hop in [*via, publisher]:
        if hop and hop != source and hop not in out:
            out.append(hop)
    return out


@define(slots=False, eq=False)
class Proposal:
    id: int | None
    document: str
    text: str = field(converter=lambda v: check_text(v, "text"))
    source: SourceRef | None
    start: int
    end: int
    via: list[str] = field(factory=list, converter=lambda v: list(text_list(list(v), "via")))
    source_mention: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    cue: str | None = None
    confidence: float = 0.5
    value: Value | None = None
    event_date: date | None = field(default=None, converter=lambda v: parse_date(v, "event_date"))
    location: str | None = field(default=None, converter=lambda v: check_text(v, "location", required=False, limit=500))
    denial: bool = field(default=False, converter=bool)
    """The source denies what the report's words say ("X denied that ..."): ``text`` states the
    negation it asserts."""
    state: ProposalState = field(default=ProposalState.PROPOSED, converter=lambda v: ProposalState.parse(v, "state"))
    claim: str | None = None
    created_at: datetime = field(factory=utcnow)

    def require_state(self, *states: ProposalState) -> None:
        if self.state not in states:
            hint = (f"; it is claim {self.claim} now: change that with `verifier claim edit {self.claim}`"
                    if self.state is ProposalState.ACCEPTED and self.claim else "")
            raise DomainError(f"proposal {self.id}", f"{self.state.value}, not "
                              + " or ".join(s.value for s in states) + hint)

    def summary(self) -> dict:
        """The plain data `--dry-run --json` prints for a proposal (and the audit keeps)."""
        value = self.value
        return {
            "text": self.text,
            "source": self.source.label if self.source else None,
            "source_mention": self.source_mention,
            "via": list(self.via),
            "cue": self.cue,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
            "value": value.to_json() if value else None,
            "qualifier": value.qualifier.label if value else None,
            "unit": value.unit if value else None,
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "location": self.location,
            "denial": self.denial,
        }

    def snapshot(self) -> dict:
        """Everything the audit log keeps of a proposal (enough to put it back as it was)."""
        return {
            "id": self.id, "document": self.document, **self.summary(),
            "source_key": self.source.key if self.source else None,
            "source_name": self.source.name if self.source else None,
            "source_kind": self.source.kind if self.source else None,
            "affiliation": self.source.affiliation if self.source else None,
            "source_start": self.source_start, "source_end": self.source_end,
            "state": self.state.value, "claim": self.claim,
        }

    @classmethod
    def from_snapshot(cls, snap: dict) -> Proposal:
        """The proposal as a snapshot() recorded it (an undo puts it back)."""
        source = None
        if snap.get("source_key") or snap.get("source_name"):
            source = SourceRef(snap.get("source_key"), snap.get("source_name") or snap["source_key"],
                               snap.get("source_kind"), snap.get("affiliation"))
        value = snap.get("value")
        high = value[1] if isinstance(value, list) else None
        low = value[0] if isinstance(value, list) else value
        return cls(
            id=snap["id"], document=snap["document"], text=snap["text"], source=source, start=snap["start"],
            end=snap["end"], via=snap.get("via") or [], source_mention=snap.get("source_mention"),
            source_start=snap.get("source_start"), source_end=snap.get("source_end"), cue=snap.get("cue"),
            confidence=snap.get("confidence", 0.5), value=proposal_value(low, snap.get("qualifier"), snap.get("unit"), high),
            event_date=snap.get("event_date"), location=snap.get("location"), denial=snap.get("denial", False),
            state=snap.get("state", "proposed"),
            claim=snap.get("claim"),
        )


def claim_text(content: str) -> str:
    """A claim as it reads on its own: the content clause cut from "X reported that there are..."
    starts with a capital ("There are..."); a first word written with a capital, a digit or a
    mark inside ("deirezzor24", "iPhone") is a name and stays as written."""
    first = content.split(maxsplit=1)[0] if content.strip() else ""
    if first[:1].islower() and first.rstrip(",.;:").isalpha() and first.islower():
        return content[:1].upper() + content[1:]
    return content


def proposal_value(value, qualifier: str | None, unit: str | None, high: float | None = None) -> Value | None:
    """An extractor's figure as the domain's Value (validated: a bad figure names its field)."""
    if value is None or value == "":
        return None
    if qualifier and Qualifier.parse(qualifier, "qualifier") is Qualifier.BETWEEN:
        return Value.parse([value, high if high is not None else value], "between", unit)
    return Value.parse(value, qualifier, unit)


# --------------------------------------------------------------------------- split and merge

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")
_CLAUSE = re.compile(r",?\s+(?:and|while|but|whereas)\s+|;\s+")


def split_point(text: str) -> int | None:
    """Where to cut a proposal in two by default: the sentence end nearest its middle, else
    the clause boundary ("; ", ", and ") nearest it; None when the text has neither."""
    middle = len(text) / 2
    for pattern in (_SENTENCE_END, _CLAUSE):
        cuts = [m.end() for m in pattern.finditer(text) if 0 < m.start() and m.end() < len(text)]
        if cuts:
            return min(cuts, key=lambda c: abs(c - middle))
    return None


def split(p: Proposal, at: int) -> tuple[Proposal, Proposal]:
    """The proposal cut at character ``at`` of its text: two proposals over the two parts,
    each keeping the source, relay chain and cue (figures stay with the part that has them)."""
    if not 0 < at < len(p.text):
        raise DomainError("at", f"cut inside the text (1 to {len(p.text) - 1}), not at {at}")
    head, tail = p.text[:at].strip(), p.text[at:].strip()
    if not head or not tail:
        raise DomainError("at", "both parts of a split need some text")
    cut = p.start + at if p.end - p.start == len(p.text) else p.start + (p.end - p.start) * at // len(p.text)
    keeps_value = p.value is not None and _mentions(tail, p.value) and not _mentions(head, p.value)
    first = evolve(p, text=head, end=cut, value=None if keeps_value else p.value)
    second = evolve(p, id=None, text=tail, start=cut, value=p.value if keeps_value else None,
                    created_at=utcnow())
    return first, second


def _mentions(text: str, value: Value) -> bool:
    if value.number is None:
        return value.text is not None and value.text in text
    number = f"{value.number:g}"
    return number in text.replace(",", "")


def merge(a: Proposal, b: Proposal, body: str | None) -> Proposal:
    """``a`` and ``b`` (of one document) as one proposal: a's source, chain and cue, the span
    covering both, the text of that span when the report's text is at hand."""
    if a.document != b.document:
        raise DomainError("proposal", f"proposals {a.id} and {b.id} come from different documents")
    first, second = sorted((a, b), key=lambda p: p.start)
    start, end = first.start, max(first.end, second.end)
    text = body[start:end] if body and 0 <= start < end <= len(body) else f"{first.text} {second.text}"
    return evolve(a, text=" ".join(text.split()), start=start, end=end, value=a.value or b.value,
                  event_date=a.event_date or b.event_date, location=a.location or b.location,
                  confidence=min(a.confidence, b.confidence))
