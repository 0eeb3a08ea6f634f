"""Attributed claims read from a report's text (issue 12): ``extract(text)``.

1. The text is cut into blocks (paragraphs, list items) and sentences (``segment``).
2. An attribution finder places cue, source and content: the rules backend (``rules``, no model,
   the default) or spaCy's dependency parse (``backend="spacy"``, the ``nlp`` extra: its finder
   lives in ``verifier.adapters.nlp`` and is loaded only when asked for, the one door from here).
3. Each attribution becomes a ``ProposedClaim``: the mention is read for name, kind, affiliation
   and relays (``sources``); pronouns and descriptions resolve to the nearest fitting named source
   before them; figures, event dates and places come from the claim's text (``figures``).
4. Sentences no cue governs are the report's own voice (source None), unless the attribution
   before them carries over: the following sentences of the same paragraph or list item, and a
   next item that opens by pointing back ("Implementing this policy, ..."), stay with that source
   until the report speaks for itself ("it is evident", "our assessment").
5. Sentences written in Arabic are read by ``arabic`` (its word list ``cues_ar.tsv``) whatever the
   backend; ``arabic_rules=False`` leaves them to the backend (what verifier did before it read Arabic).
6. A denial ("X denied that ...", «نفت X ...») is proposed as its source asserting the negation
   (``polarity``), marked ``denial``.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left
from collections.abc import Callable
from datetime import date

from ..attribution import ProposedClaim
from . import arabic, figures, polarity, sources
from .base import Found, strip_span, tokens
from .continuation import continue_quotes
from .documents import Document, DocumentError, read_document
from .lexicon import ANAPHORIC_OPENERS, OWN_VOICE, OWN_VOICE_FRAME
from .segment import Block, Sentence, blocks, sentences

__all__ = ["BACKENDS", "Document", "DocumentError", "Found", "extract", "read_document", "finder"]

Finder = Callable[[str, list[Sentence], list[Block]], list[Found]]

BACKENDS: dict[str, str] = {
    "rules": "verifier.domain.extraction.rules:find",
    "spacy": "verifier.adapters.nlp:find",
}



def finder(backend: str) -> Finder:
    """The attribution finder of a backend ("rules" or "spacy")."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown extraction backend {backend!r} (one of: {', '.join(BACKENDS)})")
    module, name = BACKENDS[backend].split(":")
    return getattr(importlib.import_module(module), name)


def extract(text: str, *, published: date | None = None, backend: str = "rules",
            own_voice: bool = True, arabic_rules: bool = True) -> list[ProposedClaim]:
    """Propose the claims of a report's text, in document order. ``arabic_rules=False`` reads
    Arabic sentences with the backend's English rules (the baseline a bench compares with)."""
    block_list = blocks(text)
    sents = sentences(text, block_list)
    if arabic_rules:
        written = [arabic.is_arabic(text[s.start:s.end]) for s in sents]
        others = [s for s, ar in zip(sents, written, strict=True) if not ar]
        found = finder(backend)(text, others, block_list) if others else []
        found = sorted(found + arabic.find(text, [s for s, ar in zip(sents, written, strict=True) if ar],
                                           block_list), key=lambda f: f.content[0][0])
    else:
        found = finder(backend)(text, sents, block_list)
    found = continue_quotes(text, found, sents, block_list)
    places = arabic.place_names(text) if arabic_rules and arabic.is_arabic(text) else frozenset()
    claims: list[ProposedClaim] = []
    known: list[sources.Mention] = []
    by_sentence: dict[int, list[ProposedClaim]] = {}
    starts = [s.start for s in sents]
    for f in found:
        claim = _claim(text, f, published, known, places)
        claims.append(claim)
        by_sentence.setdefault(_sentence_of(starts, f.cue_start), []).append(claim)
    if own_voice:
        claims += _unattributed(text, sents, block_list, found, by_sentence, published, places)
    return sorted(claims, key=lambda c: (c.start, c.end))


def _sentence_of(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def _content_text(text: str, spans) -> str:
    return " … ".join(text[a:b] for a, b in spans)


def _structure(claim_text: str, published: date | None, places: frozenset[str] = frozenset()) -> dict:
    value, qualifier, high, unit = figures.value_of(claim_text)
    return {"value": value, "qualifier": qualifier, "value_high": high, "unit": unit,
            "event_date": figures.event_date(claim_text, published), "location": figures.places(claim_text, places)}


def _resolve(mention_text: str, mention: sources.Mention, known: list[sources.Mention]) -> str:
    if sources.is_pronoun(mention_text) or sources.is_description(mention_text):
        for candidate in reversed(known):
            if sources.is_named(candidate.name) and sources.fits(mention_text, candidate):
                return candidate.name
    return mention.name


_COMPLEMENTISER = re.compile(r"that\s+|(?:ف|ب)?[أإا]ن[ّ]?\s+")


def _without_that(text: str, spans) -> tuple[tuple[int, int], ...]:
    """The content without a leading complementiser ("that the law was fair" -> "the law ...",
    «بأن إيران …» -> «إيران …»)."""
    (a, b), rest = spans[0], spans[1:]
    if m := _COMPLEMENTISER.match(text[a:b]):
        a += m.end()
    return ((a, b), *rest)


def _claim(text: str, f: Found, published: date | None, known: list[sources.Mention],
           places: frozenset[str] = frozenset()) -> ProposedClaim:
    f = Found(f.cue, f.cue_start, f.cue_end, _without_that(text, f.content), f.source_start, f.source_end,
              f.confidence)
    claim_text = _content_text(text, f.content)
    start, end = f.content[0][0], f.content[-1][1]
    fields = _structure(claim_text, published, places)
    if polarity.is_denial(f.cue, text, f.cue_start):
        claim_text, fields["denial"] = polarity.negate(claim_text), True
    if f.source_start is None:
        return ProposedClaim(claim_text, start, end, cue=f.cue, confidence=f.confidence, **fields)
    mention = sources.analyse(text, f.source_start, f.source_end)
    written = text[mention.name_start:mention.name_end]
    name = _resolve(written, mention, known)
    if sources.is_named(mention.name) and not sources.is_pronoun(written):
        known.append(mention)
    confidence = f.confidence if name == mention.name or not sources.is_pronoun(written) else f.confidence - 0.1
    return ProposedClaim(
        claim_text, start, end, source_mention=written, source_name=name, source_start=mention.name_start,
        source_end=mention.name_end, source_kind=mention.kind, affiliation=mention.affiliation, via=mention.via,
        cue=f.cue, confidence=round(confidence, 2), **fields,
    )


def _is_statement(text: str, s: Sentence) -> bool:
    """A full sentence (not a heading, a list of names or an introduction ending with a colon)."""
    body = text[s.start:s.end].rstrip("”\"’'») ")
    words = [t for t in tokens(text, s.start, s.end) if t.word]
    return body[-1:] in ".!?؟۔" and len(words) >= 4


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _overlaps(merged: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does any of the merged (sorted, disjoint) spans overlap [start, end)?"""
    i = bisect_left(merged, (end, end))
    return i > 0 and merged[i - 1][1] > start


def _unattributed(text, sents, block_list, found, by_sentence, published, places) -> list[ProposedClaim]:
    covered = _merged([(a, b) for f in found for a, b in f.content] + [(f.cue_start, f.cue_end) for f in found])
    out: list[ProposedClaim] = []
    carry: ProposedClaim | None = None
    carry_block = -1
    for i, s in enumerate(sents):
        if i in by_sentence:
            claim = by_sentence[i][-1]
            carry = claim if claim.source_mention and claim.start >= s.start else None
            carry_block = s.block
            continue
        if _overlaps(covered, s.start, s.end) or not _is_statement(text, s):
            if s.block != carry_block and not _is_statement(text, s):
                carry = None
            continue
        sentence = text[s.start:s.end]
        lowered = sentence.lower()
        written_in_arabic = arabic.is_arabic(sentence)
        own = arabic.own_voice(sentence) if written_in_arabic else any(marker in lowered for marker in OWN_VOICE)
        first = (re.match(r"\W*(\w+)", sentence) or [None, ""])[1].lower()
        pointing_back = arabic.anaphoric(sentence) if written_in_arabic else first in ANAPHORIC_OPENERS
        carries = carry is not None and not own and (
            s.block == carry_block or (pointing_back and block_list[s.block].list_item))
        start, end = s.start, s.end
        if m := OWN_VOICE_FRAME.match(sentence):
            start = s.start + m.end()
        start, end = strip_span(text, start, end, " \t")
        claim_text = text[start:end]
        fields = _structure(claim_text, published, places)
        if carries:
            out.append(ProposedClaim(
                claim_text, start, end, source_mention=carry.source_mention, source_name=carry.source_name,
                source_start=carry.source_start, source_end=carry.source_end, source_kind=carry.source_kind,
                affiliation=carry.affiliation, via=carry.via, cue=carry.cue,
                confidence=round(carry.confidence - 0.2, 2), **fields))
            carry_block = s.block
        else:
            carry = None
            out.append(ProposedClaim(claim_text, start, end, confidence=0.4, **fields))
    return out
