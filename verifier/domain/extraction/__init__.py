"""Reading attributed claims from a report's prose (a small rule-based extractor).

``extract(text, published=..., backend="rules")`` returns ``attribution.ProposedClaim`` values
for the simple, common shapes: "X reported that Y", "according to X, Y", "based on reports from
X, Y", "Y, X said", a relay ("local sources quoted by the Enab Baladi website"), an attribution
carried to the sentences after it in the same paragraph, and the report's own voice. Figures
with a qualifier, a day of the month and a place are read where the sentence gives them.

This is the interim extractor the ingest service was built against; the project's full
extractor (and its spaCy backend) replaces it under the same signature.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from verifier.domain.attribution import ProposedClaim

BACKENDS = ("rules", "spacy")

_Q = "\"“”‘’'«»"
# A source mention: optional article, a quoted or capitalised name, an optional kind word
# and parenthesised affiliation; or a description ("local sources", "activists").
_CAP = r"(?:[A-Z][\w’'.&-]*|al-\w+)"
_NAME = (rf"(?:[Tt]he\s+)?(?:[{_Q}][^{_Q}\n]{{1,80}}[{_Q}]|(?i:local sources|activists|residents|witnesses|sources)"
         rf"|{_CAP}(?:\s+(?:{_CAP}|of|for|and|the|de))*)")
_KIND = r"(?:\s+(?P<kind>network|website|site|news agency|agency|channel|newspaper|organi[sz]ation|observatory|ministry))?"
_AFF = r"(?:\s*\((?P<aff>[^()\n]{1,60})\))?"
_SOURCE = (rf"(?P<mention>(?P<src>{_NAME}){_KIND}{_AFF})"
           rf"(?:\s+(?:quoted by|via|cited by)\s+(?P<relay>{_NAME})(?:\s+(?:network|website|agency|channel))?)?")
_VERBS = r"reported|said|stated|claimed|announced|confirmed|reports|says|added|noted|warned|revealed"

_PATTERNS = (
    ("based on reports from", re.compile(rf"^\s*(?i:based on reports? (?:from|by))\s+{_SOURCE},?\s+(?P<claim>.+)$", re.S)),
    ("according to", re.compile(rf"^\s*(?i:according to)\s+{_SOURCE},?\s+(?P<claim>.+)$", re.S)),
    ("reported", re.compile(rf"^\s*{_SOURCE}\s+(?P<cue>{_VERBS})(?:\s+that)?,?\s+(?P<claim>.+)$", re.S)),
    ("said", re.compile(rf"^\s*(?P<claim>.+?),\s+{_SOURCE}\s+(?P<cue>{_VERBS})\.?$", re.S)),
)
_PRONOUN = re.compile(r"^(?:he|she|they|it)$", re.I)

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[”\"’']?|$)", re.M)
_LIST_MARK = re.compile(r"^\s*(?:\d+[.)-]\s*|[-*•]\s+)")
_QUALIFIERS = {
    "more than": "more-than", "over": "more-than", "at least": "more-than", "upwards of": "more-than",
    "about": "about", "around": "about", "approximately": "about", "nearly": "about", "some": "about",
    "reaches about": "about", "less than": "less-than", "fewer than": "less-than", "up to": "less-than",
    "at most": "less-than",
}
_FIGURE = re.compile(
    r"(?:(?P<q>" + "|".join(sorted(map(re.escape, _QUALIFIERS), key=len, reverse=True)) + r")\s+)?"
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?P<unit>[a-z][a-z-]+))?", re.I)
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_DAY = re.compile(r"\bon\s+(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\b", re.I)
_PLACE = re.compile(r"\bin\s+(?:the\s+)?(?:(?:village|city|town|region|province) of\s+)?"
                    r"((?:[A-Z][\w’'-]+)(?:\s+(?:ez-|al-)?[A-Z][\w’'-]+)*)")
_UNIT_STOP = frozenset({"in", "of", "and", "the", "to", "on", "at", "for", "from", "by", "with", "a", "an"})


def extract(text: str, *, published: date | None = None, backend: str = "rules") -> list[ProposedClaim]:
    """The claims a report's text asserts, attributed where the text says who asserts them."""
    if backend not in BACKENDS:
        raise ValueError(f"backend: unknown extractor {backend!r} (one of: {', '.join(BACKENDS)})")
    if backend == "spacy":
        raise ValueError("backend: the spaCy extractor is not in this build (it comes with the nlp extra)")
    out: list[ProposedClaim] = []
    for paragraph in _paragraphs(text):
        carried: ProposedClaim | None = None
        for start, end in _sentences(text, *paragraph):
            found = _attributed(text, start, end, published)
            if found is not None:
                out.append(found)
                carried = found
            elif _is_statement(text[start:end]):
                out.append(_plain(text, start, end, published, carried))
    return out


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Blank-line separated blocks, and list items (each its own paragraph)."""
    pos = 0
    for m in re.finditer(r"\n\s*\n|\n(?=\s*(?:\d+[.)-]|[-*•])\s)", text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    block = text[start:end]
    for m in _SENTENCE.finditer(block):
        s, e = m.start(), m.end()
        mark = _LIST_MARK.match(block, s)
        if mark:
            s = mark.end()
        while s < e and block[s].isspace():
            s += 1
        while e > s and block[e - 1].isspace():
            e -= 1
        if e > s:
            yield start + s, start + e


def _is_statement(sentence: str) -> bool:
    return len(sentence.split()) >= 5 and sentence.rstrip("”\"’'")[-1:] in ".!?"


def _attributed(text: str, start: int, end: int, published: date | None) -> ProposedClaim | None:
    sentence = text[start:end]
    for cue, pattern in _PATTERNS:
        m = pattern.match(sentence)
        if m is None or _PRONOUN.match(m.group("src").strip()):
            continue
        claim_s, claim_e = _trim(sentence, m.start("claim"), m.end("claim"))
        if claim_e - claim_s < 8:
            continue
        relay = m.group("relay")
        return _with_facts(
            text, start + claim_s, start + claim_e, published,
            source_mention=m.group("mention"), source_name=_bare(m.group("src")),
            source_start=start + m.start("mention"), source_end=start + m.end("mention"),
            source_kind=(m.group("kind") or "").lower() or None,
            affiliation=(m.group("aff") or "").strip().lower() or None,
            via=(_bare(relay),) if relay else (), cue=(m.groupdict().get("cue") or cue).lower(), confidence=0.8,
        )
    return None


def _plain(text: str, start: int, end: int, published: date | None, carried: ProposedClaim | None) -> ProposedClaim:
    """A sentence that names no source: the attribution before it in its paragraph carries
    over; else it is the report's own voice."""
    if carried is None:
        return _with_facts(text, start, end, published, confidence=0.4)
    return _with_facts(text, start, end, published, source_mention=carried.source_mention,
                       source_name=carried.source_name, source_start=carried.source_start,
                       source_end=carried.source_end, source_kind=carried.source_kind,
                       affiliation=carried.affiliation, via=carried.via, cue=carried.cue, confidence=0.6)


def _trim(sentence: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (sentence[s].isspace() or sentence[s] in ","):
        s += 1
    while e > s and sentence[e - 1].isspace():
        e -= 1
    return s, e


def _bare(name: str) -> str:
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    return name.strip(_Q + " ") or name


def _with_facts(text: str, start: int, end: int, published: date | None, **fields) -> ProposedClaim:
    claim = text[start:end]
    value = qualifier = unit = None
    m = _FIGURE.search(claim)
    if m and not _DAY.search(claim[max(0, m.start() - 4):m.end() + 12]):
        value = float(m.group("n").replace(",", ""))
        qualifier = _QUALIFIERS.get((m.group("q") or "").lower(), "exact")
        word = (m.group("unit") or "").lower()
        unit = None if word in _UNIT_STOP or word in _MONTHS else word or None
    event_date = None
    d = _DAY.search(claim)
    if d and published is not None:
        try:
            event_date = date(published.year, _MONTHS[d.group(2).lower()], int(d.group(1)))
        except ValueError:
            event_date = None
    place = _PLACE.search(claim)
    text_out = " ".join(claim.split())
    return ProposedClaim(text=text_out[:1].upper() + text_out[1:], start=start, end=end, value=value,
                         qualifier=qualifier, unit=unit, event_date=event_date,
                         location=place.group(1) if place else None, **fields)
