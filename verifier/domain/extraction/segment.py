"""Blocks (paragraphs, list items, headings) and sentences, as character offsets.

A line is a block unless it continues a wrapped sentence (the previous line does not end a
sentence and this one starts in lower case). A list marker ("1.", "2-", "-", "*") opens a
list item and is left out of its sentences. Sentences end at . ! ? (then closing quotes or
brackets) before a capital, a digit or an opening quote, except after a known abbreviation.
"""

from __future__ import annotations

import re

from attrs import frozen

_LIST_MARKER = re.compile(r"[^\S\n]*(?:\d{1,3}[^\S\n]*[.)\-–]|[-*•·–])[^\S\n]*(?=\S)")
_TERMINAL = ".!?؟۔"
_CLOSERS = "\"'”’»)]"
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen lt col sgt capt maj adm cmdr st jr sr co corp inc ltd "
    "vs no nos vol dept est fig approx univ assn bros ave blvd mt ft sept oct nov dec jan feb "
    "aug apr jun jul u.s u.n u.k e.g i.e a.m p.m d.c".split()
)
_SENTENCE_END = re.compile(r"[.!?؟۔]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]{0,2}[A-Z0-9\u0600-\u06ff])|[.!?؟۔]+[\"'”’»)\]]*\s*$")


@frozen
class Sentence:
    start: int
    end: int
    block: int
    index: int  # position within its block
    list_item: bool


@frozen
class Block:
    start: int
    end: int
    list_item: bool


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    pos = 0
    current: list[int] | None = None  # [start, end, list_item]
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        stripped = line.strip()
        if not stripped:
            if current:
                out.append(Block(current[0], current[1], bool(current[2])))
            current = None
            continue
        marker = _LIST_MARKER.match(line)
        is_item = bool(marker) and not re.match(r"[ \t]*\d{1,3}\s*[.)]\d", line)
        content_start = line_start + (marker.end() if is_item else len(line) - len(line.lstrip()))
        content_end = line_start + len(line.rstrip())
        continues = (
            current is not None and not is_item and stripped[0].islower()
            and text[current[1] - 1] not in _TERMINAL + ":"
        )
        if continues:
            current[1] = content_end
            continue
        if current:
            out.append(Block(current[0], current[1], bool(current[2])))
        current = [content_start, content_end, is_item]
    if current:
        out.append(Block(current[0], current[1], bool(current[2])))
    return out


def _abbreviation_before(text: str, dot: int, start: int) -> bool:
    m = re.search(r"([\w.]+)$", text[start:dot])
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isalpha()  # an initial: "J. Smith"


def sentences(text: str, block_list: list[Block] | None = None) -> list[Sentence]:
    out: list[Sentence] = []
    for b, block in enumerate(block_list if block_list is not None else blocks(text)):
        start, k = block.start, 0
        for m in _SENTENCE_END.finditer(text, block.start, block.end):
            if m.group(0).rstrip() == "." and m.end() < block.end and _abbreviation_before(text, m.start(), start):
                continue
            end = m.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                out.append(Sentence(start, end, b, k, block.list_item))
                k += 1
            start = m.end()
            while start < block.end and text[start].isspace():
                start += 1
        if start < block.end and text[start:block.end].strip():
            out.append(Sentence(start, block.end, b, k, block.list_item))
    return out
