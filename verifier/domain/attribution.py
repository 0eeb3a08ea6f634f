"""Attributed claims read from a report's prose: the shape every extractor returns.

An extractor (rules by default, spaCy with the ``nlp`` extra) turns a document's text into
``ProposedClaim`` values: who asserts what, through whom, with which cue, where in the text,
with the figures and dates the sentence gives. They are proposals: the ingest service stores them
for review and nothing counts them until an analyst accepts one.

Offsets are character offsets into the text the extractor was given (``text[start:end]`` is the
claim's span as written; ``text[source_start:source_end]`` the source mention as written).
"""

from __future__ import annotations

from datetime import date

from attrs import field, frozen


@frozen
class ProposedClaim:
    text: str
    """The asserted content, without the attribution phrase."""
    start: int
    end: int
    source_mention: str | None = None
    """The mention as written ("he", "local sources", "the Eyn Alfurat network");
    None where the report speaks in its own voice (the publisher is the source)."""
    source_name: str | None = None
    """The named source the mention resolves to within the text (a pronoun or a
    description resolved to the nearest fitting named source), else the mention itself."""
    source_start: int | None = None
    source_end: int | None = None
    source_kind: str | None = None
    """The kind the text gives: "network", "website", "agency", "organisation", ..."""
    affiliation: str | None = None
    """A parenthesised affiliation after the mention: "(Opposition)" gives "opposition"."""
    via: tuple[str, ...] = field(default=(), converter=tuple)
    """Relays the sentence names between the source and the report, nearest the source first
    ("local sources quoted by the Enab Baladi website" gives via ("Enab Baladi",)). The report's
    publisher is not included: the ingest service puts it last."""
    cue: str | None = None
    """"reported", "according to", "based on reports from", "quote", ...; None for the
    report's own voice."""
    confidence: float = 0.5
    value: float | str | None = None
    qualifier: str | None = None
    """A ``Qualifier`` value: exact, about, more-than, less-than, between."""
    value_high: float | None = None
    """Upper bound when qualifier is "between"."""
    unit: str | None = None
    event_date: date | None = None
    location: str | None = None
    denial: bool = False
    """The source denies the content ("X denied that ...", «نفت X ...»): ``text`` states its
    negation ("No civilians were hurt ..."), the offsets still point at the content as written."""

    @property
    def attributed(self) -> bool:
        """True when the sentence names who asserts it (a cue was found)."""
        return self.cue is not None
