"""Who speaks: the token span of the source that governs a cue verb.

The rules backend's view of a sentence as a row of tokens: the source is the noun phrase left
of the verb ("Smith said"), before an appositive ("Charlie King, a former director of the
party, said"), or right of it after a quotation ("..., said Smith"); a relay ("sources quoted
by X") goes on to its own source. :func:`skip_after_cue` finds where the content starts.
"""

from __future__ import annotations

from .base import Token
from .lexicon import AUXILIARIES, CUES, LEFT_STOPS, RELAYS, SPEECH

_TELL = frozenset("tell tells told telling asked asks asking urged urges urging".split())
_SOURCE_INNER = frozenset("( ) & . - “ ” \" ' ’ ‘".split())
_MAX_SOURCE = 9


def left_source(toks: list[Token], lowers: list[str], v: int) -> tuple[int, int] | None:
    j = v - 1
    while j >= 0 and lowers[j] in AUXILIARIES and not toks[j].text[0].isupper():
        j -= 1
    if j < 0 or not toks[j].word:
        return None
    if lowers[j] in ("who", "which"):
        return j, j + 1
    end, k = j + 1, j
    while k >= 0 and end - k <= _MAX_SOURCE:
        t, low = toks[k], lowers[k]
        if t.word:
            if low in LEFT_STOPS and not (t.text[0].isupper() and k > 0) or low in CUES and k < j:
                break
        elif t.text not in _SOURCE_INNER:
            break
        k -= 1
    start = k + 1
    if k >= 2 and lowers[k] == "by" and lowers[k - 1] in RELAYS:  # a relay: go on to its source
        if inner := left_source(toks, lowers, k - 1):
            return inner[0], end
    while start < end and (lowers[start] in LEFT_STOPS or lowers[start] in ("of", "for", "-") or not toks[start].word
                           and not (toks[start].text in "“\"‘(" and _closes(toks, start, end))):
        start += 1
    if start >= end or end - start > _MAX_SOURCE:
        return None
    return start, end


def _appositive_source(toks: list[Token], lowers: list[str], v: int) -> tuple[int, int] | None:
    """"Charlie King, a former director of the party, said ...": the name before the appositive."""
    closer = toks[v - 1].text
    back = [t for t in toks[v + 1:] if t.word]
    if len(back) < 4:
        return None
    for c in range(v - 2, max(-1, v - 30), -1):
        t = toks[c].text
        if t in "“”\"":
            return None
        if t == closer or (closer in "—–" and t in "—–"):
            src = _np_before(toks, lowers, c)
            if src and src[0] <= 3 and toks[src[0]].text[0].isupper():
                return src
    return None


def _np_before(toks: list[Token], lowers: list[str], c: int) -> tuple[int, int] | None:
    end, k = c, c - 1
    while k >= 0 and end - k <= _MAX_SOURCE and (toks[k].word or toks[k].text in _SOURCE_INNER):
        if toks[k].word and lowers[k] in LEFT_STOPS and not toks[k].text[0].isupper():
            break
        k -= 1
    start = k + 1
    while start < end and not toks[start].word:
        start += 1
    return (start, end) if start < end else None


def _closes(toks: list[Token], start: int, end: int) -> bool:
    pair = {"“": "”", '"': '"', "‘": "’", "(": ")"}[toks[start].text]
    return any(toks[x].text == pair for x in range(start + 1, end))


def _right_source(toks: list[Token], lowers: list[str], v: int) -> tuple[int, int] | None:
    k = v + 1
    while k < len(toks) and k - v <= _MAX_SOURCE and (toks[k].word or toks[k].text in "&.-’'") and \
            lowers[k] not in ("that", "in", "on", "at", "during", "to", "when", "after", "before", "of"):
        k += 1
    return (v + 1, k) if k > v + 1 else None


def skip_after_cue(toks, lowers, v: int) -> int:
    """Index where the content starts after the cue at v (its object, "that", a setting)."""
    k = v + 1
    if k < len(toks) and lowers[k] in ("for", "on", "out", "to") and lowers[v] in ("called", "calls", "calling"):
        k += 1
    limit = min(len(toks), k + 9)
    for m in range(k, limit):
        if lowers[m] == "that":
            if all(toks[x].word or toks[x].text in ",.’'-" for x in range(k, m)):
                return m + 1
            break
        if toks[m].text in ":":
            return m + 1
        if toks[m].text in "“\"" and m > k and toks[m - 1].text in ",:":
            return m
        if not toks[m].word and toks[m].text not in ",.’'-":
            break
    if k < len(toks) and toks[k].text in ":,":
        return k + 1
    if lowers[v] in _TELL and k < len(toks) and lowers[k] not in ("that", "the", "a"):
        k += 1
        while k < len(toks) and toks[k].text[:1].isupper() and toks[k].word:
            k += 1
    return k


def verb_source(toks, lowers, v):
    """The source of the cue verb at ``v`` (token span), and whether it follows the verb ("…, said X")."""
    src = left_source(toks, lowers, v)
    if src is None and v > 0 and toks[v - 1].text in ",—–":
        src = _appositive_source(toks, lowers, v)
    if src is None:
        before = toks[v - 1].text if v > 0 else ""
        if lowers[v] in SPEECH and (v == 0 or before in ",”\"’'—–"):
            src = _right_source(toks, lowers, v)
            return src, src is not None
    return src, False
