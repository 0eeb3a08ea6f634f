"""Attributions that go on past their sentence, and ones that split inside it.

Run over every backend's findings (``extract`` calls :func:`continue_quotes`): a quotation that
opens the next sentence with no cue of its own is the same speaker's, so is a quotation the
speaker's name interrupts; "A, calling B" is two attributions from one source.
"""

from __future__ import annotations

from bisect import bisect_right

from .base import Found, in_quote, quote_pairs, strip_span, tokens
from .lexicon import CUES, PARTICIPLES
from .segment import Block, Sentence
from .speakers import left_source, skip_after_cue

_SUBORDINATORS = frozenset("while after as because whereas although though since".split())


def continue_quotes(text: str, found: list[Found], sents: list[Sentence], block_list: list[Block]) -> list[Found]:
    """“A,” he said. “B.”: a quotation opening the next sentence of the same paragraph, with no
    cue of its own, is his too. Attributions inside the added quotation are dropped."""
    starts = [s.start for s in sents]
    block_starts = [b.start for b in block_list]
    cache: dict[int, list[tuple[int, int]]] = {}

    def quotes_at(pos: int) -> tuple[Block | None, list[tuple[int, int]]]:
        i = bisect_right(block_starts, pos) - 1
        if i < 0 or pos > block_list[i].end:
            return None, []
        if i not in cache:
            cache[i] = quote_pairs(text, block_list[i].start, block_list[i].end)
        return block_list[i], cache[i]

    out: list[Found] = []
    for f in sorted(found, key=lambda f: f.content[0][0]):
        if out and any(a <= f.cue_start < b for a, b in out[-1].content):
            continue
        i = bisect_right(starts, f.cue_start) - 1
        if 0 <= i < len(sents) - 1:
            s, nxt = sents[i], sents[i + 1]
            last = f.content[-1][1]
            if nxt.block == s.block and text[nxt.start] in "“\"'" and last <= nxt.start:
                quotes = quotes_at(s.start)[1]
                span = next(((a, b) for a, b in quotes if a == nxt.start), None)
                if span and not any(t.lower in CUES for t in tokens(text, span[1], nxt.end)):
                    f = Found(f.cue, f.cue_start, f.cue_end, [*f.content, span], f.source_start, f.source_end,
                              f.confidence)
        f = _with_interrupting_quote(text, f, quotes_at)
        out.append(f)
    return [g for f in out for g in _split_participles(text, f, quotes_at)]


def _with_interrupting_quote(text: str, f: Found, quotes_at) -> Found:
    """“A,” said Smith, “B.”: the quotation after the source is the same content."""
    a, b = f.content[-1]
    edge = max(f.cue_end, f.source_end or 0)
    left = min(f.cue_start, f.source_start if f.source_start is not None else f.cue_start)
    if not (b <= left and edge > b and (text[b - 1:b] in "”\"'" or text[b:left].strip() == ",")):
        return f
    k = edge
    while k < len(text) and k - edge < 200 and text[k] not in "“\"'\n.!?":
        k += 1
    if k >= len(text) or text[k] not in "“\"'" or text[edge:k].rstrip()[-1:] not in (",", ""):
        return f
    span = next(((qa, qb) for qa, qb in quotes_at(k)[1] if qa == k), None)
    if span is None:
        return f
    return Found(f.cue, f.cue_start, f.cue_end, [*f.content, span], f.source_start, f.source_end, f.confidence)


def _split_participles(text: str, f: Found, quotes_at) -> list[Found]:
    """"A, calling B": the participle opens an attribution of its own, from the same source."""
    a, b = f.content[-1]
    quotes = quotes_at(a)[1]
    toks = tokens(text, a, b)
    lowers = [t.lower for t in toks]
    for m in range(2, len(toks) - 3):
        if lowers[m] in _SUBORDINATORS and not in_quote(toks[m].start, quotes):
            for v in range(m + 2, min(m + 7, len(toks) - 1)):
                if lowers[v] in CUES and not toks[v].text[0].isupper() and not in_quote(toks[v].start, quotes):
                    src = left_source(toks, lowers, v)
                    k = skip_after_cue(toks, lowers, v)
                    if src and src[0] == m + 1 and k < len(toks):
                        cut = strip_span(text, a, toks[m].start)
                        head = Found(f.cue, f.cue_start, f.cue_end, [*f.content[:-1], cut], f.source_start,
                                     f.source_end, f.confidence)
                        tail = Found(toks[v].text, toks[v].start, toks[v].end, [(toks[k].start, b)],
                                     toks[src[0]].start, toks[src[1] - 1].end, f.confidence - 0.1)
                        return [head, tail]
                    break
    for m in range(1, len(toks) - 2):
        if toks[m - 1].text == "," and toks[m].lower in PARTICIPLES and not in_quote(toks[m].start, quotes):
            lowers = [t.lower for t in toks]
            k = skip_after_cue(toks, lowers, m)
            if k < len(toks) and (cut := strip_span(text, a, toks[m - 1].start)) and cut[1] > cut[0]:
                head = Found(f.cue, f.cue_start, f.cue_end, [*f.content[:-1], cut], f.source_start, f.source_end,
                             f.confidence)
                tail = Found(toks[m].text, toks[m].start, toks[m].end, [(toks[k].start, b)], f.source_start,
                             f.source_end, f.confidence - 0.1)
                return [head, tail]
    return [f]
