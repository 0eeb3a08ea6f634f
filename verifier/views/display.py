"""Text as a screen must show it."""

from __future__ import annotations

from verifier.domain import display


def display_pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, hostile)`` pieces, in order: a hostile piece is one
    character that must never reach a terminal as itself (``domain.display.HOSTILE``:
    controls, bidirectional overrides), for a screen to show as a visible escape."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in display.HOSTILE.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out
