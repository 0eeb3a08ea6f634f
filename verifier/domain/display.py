"""Shortening texts for one-line listings without changing what they say.

A shortened text always ends (or starts) with "…", so a cut is never mistaken for the
whole; two texts shown as a pair (a suggested duplicate) are cut around the first place
where they differ, so the cut never hides the difference the analyst has to judge.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"

#: Characters that must never reach a terminal as themselves: C0 controls (but tab and
#: newline), DEL, C1 controls, the bidirectional embeddings, overrides and isolates, and the
#: invisible direction marks (LRM, RLM, ALM). The CLI and the TUI show them as escapes.
HOSTILE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def shorten(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters; when cut, it ends with "…"."""
    if len(text) <= width:
        return text
    return text[:max(width - 1, 0)] + ELLIPSIS


def first_difference(a: str, b: str) -> int | None:
    """The index of the first character where ``a`` and ``b`` differ (None when equal)."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def shorten_pair(a: str, b: str, width: int, before: int | None = None) -> tuple[str, str]:
    """Both texts in at most ``width`` characters each, cut at the same places, keeping the
    first difference in view with ``before`` characters of shared context ahead of it
    (a third of the width by default). The shared start, when dropped, becomes "…"."""
    diff = first_difference(a, b)
    if diff is None or max(len(a), len(b)) <= width:
        return shorten(a, width), shorten(b, width)
    before = width // 3 if before is None else before
    if diff + 1 + min(before, width // 2) <= width:  # the difference shows after a plain cut
        return shorten(a, width), shorten(b, width)
    start = max(diff - before, 0)
    space = a.find(" ", start, diff)  # the shared context starts at a word
    if start and a[start - 1] != " " and space != -1:
        start = space + 1
    return _window(a, start, width), _window(b, start, width)


def _window(text: str, start: int, width: int) -> str:
    if start == 0:
        return shorten(text, width)
    rest = text[start:]
    if len(rest) + 1 <= width:
        return ELLIPSIS + rest
    return ELLIPSIS + rest[:max(width - 2, 0)] + ELLIPSIS
