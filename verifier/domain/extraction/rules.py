"""The rules backend: attributions found with word lists and the shape of the sentence.

No model, no parser: a reporting verb (``lexicon.CUES``) or a source phrase ("according to",
"based on reports from") is the cue; the source is the noun phrase that governs it (left of the
verb, or right of it after a quotation: "..., said Smith"); the content is the rest of the
sentence on the other side, widened to a whole quotation when the cue sits beside one.
"""

from __future__ import annotations

from bisect import bisect_right

from .base import Found, Token, quote_pairs, strip_span, tokens
from .lexicon import AUXILIARIES, CUES, LEFT_STOPS, SOURCE_PHRASES, SPEECH, THAT_VERBS
from .segment import Block, Sentence

_TELL = frozenset("tell tells told telling asked asks asking urged urges urging".split())
_PARTICIPLES = frozenset(w for w in CUES if w.endswith("ing"))
_SOURCE_INNER = frozenset("( ) & . - “ ” \" ' ’ ‘".split())
_MAX_SOURCE = 9
_DETERMINERS = frozenset("the a an his her their its our my your this these those endless many several such no "
                         "any some every each".split())
_SUBORDINATORS = frozenset("while after as because whereas although though since".split())
_RELAYS = frozenset("quoted cited reported relayed carried".split())


def find(text: str, sents: list[Sentence], block_list: list[Block]) -> list[Found]:
    quotes = {b: quote_pairs(text, block.start, block.end) for b, block in enumerate(block_list)}
    out: list[Found] = []
    covered_to = -1
    for s in sents:
        if s.start < covered_to:  # inside a quotation an earlier attribution already took
            continue
        found = _sentence(text, tokens(text, s.start, s.end), s, quotes[s.block], block_list[s.block])
        for f in found:
            out.append(f)
            covered_to = max(covered_to, max(e for _, e in f.content))
    return out


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
        if lowers[m] in _SUBORDINATORS and not _in_quote(toks[m].start, quotes):
            for v in range(m + 2, min(m + 7, len(toks) - 1)):
                if lowers[v] in CUES and not toks[v].text[0].isupper() and not _in_quote(toks[v].start, quotes):
                    src = _left_source(toks, lowers, v)
                    k = _skip_after_cue(toks, lowers, v)
                    if src and src[0] == m + 1 and k < len(toks):
                        cut = strip_span(text, a, toks[m].start)
                        head = Found(f.cue, f.cue_start, f.cue_end, [*f.content[:-1], cut], f.source_start,
                                     f.source_end, f.confidence)
                        tail = Found(toks[v].text, toks[v].start, toks[v].end, [(toks[k].start, b)],
                                     toks[src[0]].start, toks[src[1] - 1].end, f.confidence - 0.1)
                        return [head, tail]
                    break
    for m in range(1, len(toks) - 2):
        if toks[m - 1].text == "," and toks[m].lower in _PARTICIPLES and not _in_quote(toks[m].start, quotes):
            lowers = [t.lower for t in toks]
            k = _skip_after_cue(toks, lowers, m)
            if k < len(toks) and (cut := strip_span(text, a, toks[m - 1].start)) and cut[1] > cut[0]:
                head = Found(f.cue, f.cue_start, f.cue_end, [*f.content[:-1], cut], f.source_start, f.source_end,
                             f.confidence)
                tail = Found(toks[m].text, toks[m].start, toks[m].end, [(toks[k].start, b)], f.source_start,
                             f.source_end, f.confidence - 0.1)
                return [head, tail]
    return [f]


def _in_quote(pos: int, quotes: list[tuple[int, int]]) -> bool:
    return any(a < pos < b - 1 for a, b in quotes)


def _sentence(text: str, toks: list[Token], s: Sentence, quotes, block: Block) -> list[Found]:
    if not toks:
        return []
    lowers = [t.lower for t in toks]
    if s.index == 0 and (headline := _headline(text, toks, s)):
        return [headline]
    phrase = _source_phrase(lowers)
    if phrase is not None:
        found = _by_phrase(text, toks, s, phrase, quotes, block)
        return [found] if found else []
    for v, tok in enumerate(toks):
        low = lowers[v]
        is_cue = low in CUES or (low in THAT_VERBS and v + 1 < len(toks) and lowers[v + 1] == "that")
        if not is_cue or _in_quote(tok.start, quotes) or (v > 0 and tok.text[0].isupper()):
            continue
        if low in _RELAYS and v + 1 < len(toks) and lowers[v + 1] == "by":
            continue  # "sources quoted by the X website": a relay inside the source
        if v > 0 and lowers[v - 1] in _DETERMINERS:
            continue  # a noun: "the calls", "his claims"
        if v + 1 < len(toks) and lowers[v + 1] == "by" and (v == 0 or lowers[v - 1] not in AUXILIARIES):
            continue  # a participle: "the country described by the president"
        found = _by_verb(text, toks, lowers, v, s, quotes, block)
        if found:
            return found
    return []


_NOT_SPEAKERS = frozenset("note update editor editors photo source sources related read watch see update correction "
                          "breaking exclusive video live transcript warning disclaimer".split())


def _headline(text: str, toks: list[Token], s: Sentence) -> Found | None:
    """"Elizabeth Warren: Donald Trump Is a ‘Proven Failure’": a speaker, a colon, what they said."""
    colon = next((i for i, t in enumerate(toks[:5]) if t.text == ":"), None)
    if not colon or not all(t.word and t.text[0].isupper() and len(t.text) > 1 for t in toks[:colon]):
        return None
    if any(t.lower in _NOT_SPEAKERS or t.lower in LEFT_STOPS for t in toks[:colon]):
        return None
    rest = [t for t in toks[colon + 1:] if t.word]
    if len(rest) < 4:
        return None
    c = toks[colon]
    return Found(":", c.start, c.end, [(toks[colon + 1].start, s.end)], toks[0].start, toks[colon - 1].end, 0.5)


def _source_phrase(lowers: list[str]) -> tuple[int, int] | None:
    for i in range(len(lowers)):
        for phrase in SOURCE_PHRASES:
            if tuple(lowers[i:i + len(phrase)]) == phrase:
                return i, i + len(phrase)
    return None


def _widen(a: int, b: int, quotes, block: Block) -> tuple[int, int]:
    """Widen a content span to the quotations it touches (they may run past the sentence)."""
    for qa, qb in quotes:
        if qa < b and qb > a:
            a, b = min(a, qa), max(b, min(qb, block.end))
    return a, b


def _span(text: str, a: int, b: int, quotes, block: Block) -> tuple[int, int] | None:
    a, b = strip_span(text, a, b)
    if b - a < 2:
        return None
    a, b = _widen(a, b, quotes, block)
    a, b = strip_span(text, a, b)
    words = sum(1 for t in tokens(text, a, b) if t.word)
    return (a, b) if words >= 2 else None


def _by_phrase(text, toks, s: Sentence, phrase, quotes, block) -> Found | None:
    i, j = phrase
    k, depth = j, 0
    while k < len(toks) and k - j < 16:
        t = toks[k].text
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif depth <= 0 and t in ",;:.!?—–" or (depth <= 0 and toks[k].lower == "that" and k > j):
            break
        k += 1
    if k == j:
        return None
    src = (toks[j].start, toks[k - 1].end)
    cue = text[toks[i].start:toks[j - 1].end]
    lead = [t for t in toks[:i] if t.word]
    if len(lead) <= 1:  # "According to X, ...": the content follows the source
        content = _span(text, toks[k].end if k < len(toks) else src[1], s.end, quotes, block)
        parts = [content] if content else []
    else:  # "..., according to X." or "... according to X, ..."
        before = _span(text, s.start, toks[i].start, quotes, block)
        after = _span(text, toks[k].end, s.end, quotes, block) if k < len(toks) - 1 else None
        parts = [p for p in (before, after) if p]
    if not parts:
        return None
    return Found(cue, toks[i].start, toks[j - 1].end, parts, src[0], src[1], 0.8)


def _left_source(toks: list[Token], lowers: list[str], v: int) -> tuple[int, int] | None:
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
    if k >= 2 and lowers[k] == "by" and lowers[k - 1] in _RELAYS:  # a relay: go on to its source
        if inner := _left_source(toks, lowers, k - 1):
            return inner[0], end
    while start < end and (lowers[start] in LEFT_STOPS or lowers[start] in ("of", "for", "-") or not toks[start].word
                           and not (toks[start].text in "“\"‘(" and _closes(toks, start, end))):
        start += 1
    if start >= end or end - start > _MAX_SOURCE:
        return None
    return start, end


def _quote_before(text: str, start: int, quotes) -> tuple[int, int] | None:
    """“Why would you?” Lichtman said: the quotation ending just before the sentence."""
    for qa, qb in quotes:
        if qb <= start and not text[qb:start].strip():
            return qa, qb
    return None


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


def _skip_after_cue(toks, lowers, v: int) -> int:
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


def _verb_source(toks, lowers, v):
    """The source of the cue verb at ``v`` (token span), and whether it follows the verb ("…, said X")."""
    src = _left_source(toks, lowers, v)
    if src is None and v > 0 and toks[v - 1].text in ",—–":
        src = _appositive_source(toks, lowers, v)
    if src is None:
        before = toks[v - 1].text if v > 0 else ""
        if lowers[v] in SPEECH and (v == 0 or before in ",”\"’'—–"):
            src = _right_source(toks, lowers, v)
            return src, src is not None
    return src, False


def _by_verb(text, toks, lowers, v, s: Sentence, quotes, block) -> list[Found]:
    cue_tok = toks[v]
    src, inverted = _verb_source(toks, lowers, v)
    if src is None:
        return []
    src_start, src_end = toks[src[0]].start, toks[src[1] - 1].end
    left_edge = min(src_start, cue_tok.start)
    right = max(src[1], v + 1)
    back_words = [t for t in toks[right:] if t.word]
    front_words = [t for t in toks if t.word and t.end <= left_edge]
    front_set_off = left_edge > s.start and text[:left_edge].rstrip()[-1:] in ",”\"’—–:"
    if not front_words and len(back_words) <= 3:
        before = _quote_before(text, s.start, quotes)
        if before is not None:
            return [Found(cue_tok.text, cue_tok.start, cue_tok.end, [before], src_start, src_end, 0.7)]
    front_quote = left_edge > s.start and text[:left_edge].rstrip(" ,")[-1:] in "”\"'"
    if inverted or (front_quote and len(front_words) >= 2) or (len(front_words) >= 3 and front_set_off and (
            len(back_words) <= 4 or back_words and back_words[0].lower in _PARTICIPLES)):
        content = _span(text, s.start, left_edge, quotes, block)
        if content is None:
            return []
        parts = [content]
        tail = [t for t in toks[right:] if t.text not in ","]
        if tail and tail[0].text in "“\"'" and text[content[1] - 1] in "”\"'":
            if more := _span(text, tail[0].start, s.end, quotes, block):
                parts.append(more)  # “A,” he said, “B.”
        out = [Found(cue_tok.text, cue_tok.start, cue_tok.end, parts, src_start, src_end,
                     0.75 if lowers[v] in SPEECH else 0.55)]
        if len(parts) > 1:
            return out
        # "..., he said, adding that ...": a second attribution from the same source.
        for m in range(right, len(toks)):
            if lowers[m] in _PARTICIPLES:
                k = _skip_after_cue(toks, lowers, m)
                if k < len(toks) and (more := _span(text, toks[k].start, s.end, quotes, block)):
                    out.append(Found(toks[m].text, toks[m].start, toks[m].end, [more], src_start, src_end, 0.6))
                break
        return out
    k = _skip_after_cue(toks, lowers, v)
    if k >= len(toks):
        return []
    cut, more = _coordinated(text, toks, lowers, k, s, quotes, block)
    content = _span(text, toks[k].start, toks[cut].start if more else s.end, quotes, block)
    if content is None:
        return more
    more = [f if f.source_start is not None else
            Found(f.cue, f.cue_start, f.cue_end, f.content, src_start, src_end, f.confidence) for f in more]
    return [Found(cue_tok.text, cue_tok.start, cue_tok.end, [content], src_start, src_end,
                  0.7 if lowers[v] in SPEECH else 0.5), *more]


def _coordinated(text, toks, lowers, k, s, quotes, block) -> tuple[int, list[Found]]:
    """"He said A, and noted that B" / "..., but he said B": where the first content ends, and
    the attribution that follows it."""
    for m in range(k + 1, len(toks)):
        if lowers[m] not in ("and", "but", ";") or _in_quote(toks[m].start, quotes):
            continue
        for v in range(m + 1, min(m + 5, len(toks))):
            if lowers[v] in SPEECH and not toks[v].text[0].isupper():
                between = toks[m + 1:v]
                if all(t.lower in AUXILIARIES or t.lower in ("he", "she", "they", "i", "we") or t.text[0].isupper()
                       for t in between):
                    sub = Sentence(toks[m + 1].start, s.end, s.block, s.index, s.list_item)
                    found = _by_verb(text, toks[m + 1:], lowers[m + 1:], v - m - 1, sub, quotes, block) if between and \
                        any(t.lower not in AUXILIARIES for t in between) else []
                    if not found:  # the same source goes on: "and noted that ..."
                        j = _skip_after_cue(toks, lowers, v)
                        part = _span(text, toks[j].start, s.end, quotes, block) if j < len(toks) else None
                        found = [Found(toks[v].text, toks[v].start, toks[v].end, [part], None, None, 0.55)] \
                            if part else []
                    if found:
                        return m, found
                break
    return len(toks), []
