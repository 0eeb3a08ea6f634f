"""What an attribution finder returns (where the cue, the source and the content are), and the
tokens and quotations both finders read."""

from __future__ import annotations

import re

from attrs import field, frozen

from .segment import Block

_TOKEN = re.compile(r"\w+(?:[-’'.&]\w+)*|[^\w\s]")
_OPEN_QUOTES = "“\"‘«"
_CLOSE_QUOTES = "”\"’»"


@frozen
class Found:
    """One attribution found in the text (offsets into the document)."""

    cue: str
    cue_start: int
    cue_end: int
    content: tuple[tuple[int, int], ...] = field(converter=tuple)
    source_start: int | None = None
    source_end: int | None = None
    confidence: float = 0.6


@frozen
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def word(self) -> bool:
        return self.text[:1].isalnum() or self.text[:1] == "_"


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def quote_pairs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of quotations in text[start:end], outer quote marks included.

    Curly quotes pair by direction; straight double quotes pair in order; NYT's '' ... ''."""
    pairs: list[tuple[int, int]] = []
    opened: int | None = None
    straight: int | None = None
    i = start
    while i < end:
        ch = text[i]
        if ch == "“" or ch == "«":
            if opened is None:
                opened = i
        elif ch in "”»" and opened is not None:
            pairs.append((opened, i + 1))
            opened = None
        elif ch == '"' and opened is not None and straight is None and i > start and not text[i - 1].isspace():
            pairs.append((opened, i + 1))  # “...," : a curly quotation closed by a straight mark
            opened = None
        elif ch == '"' or (ch == "'" and text.startswith("''", i)):
            width = 1 if ch == '"' else 2
            if straight is None:
                straight = i
            else:
                pairs.append((straight, i + width))
                straight = None
            i += width
            continue
        i += 1
    if opened is not None and text[opened + 1:end].strip():
        pairs.append((opened, end))  # a quotation open to the end of the block (it continues)
    return sorted(pairs)


def strip_span(text: str, start: int, end: int, chars: str = " \t\n,;:—–-") -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def in_quote(pos: int, quotes: list[tuple[int, int]]) -> bool:
    return any(a < pos < b - 1 for a, b in quotes)


def widen(a: int, b: int, quotes, block: Block) -> tuple[int, int]:
    """Widen a content span to the quotations it touches (they may run past the sentence)."""
    for qa, qb in quotes:
        if qa < b and qb > a:
            a, b = min(a, qa), max(b, min(qb, block.end))
    return a, b
