"""The rules backend: attributions found with word lists and the shape of the sentence.

No model, no parser: a reporting verb (``lexicon.CUES``) or a source phrase ("according to",
"based on reports from") is the cue; the source is the noun phrase that governs it (left of the
verb, or right of it after a quotation: "..., said Smith"); the content is the rest of the
sentence on the other side, widened to a whole quotation when the cue sits beside one.
"""

from __future__ import annotations

from .base import Found, Token, in_quote, quote_pairs, strip_span, tokens, widen
from .lexicon import AUXILIARIES, CUES, LEFT_STOPS, PARTICIPLES, RELAYS, SOURCE_PHRASES, SPEECH, THAT_VERBS
from .segment import Block, Sentence
from .speakers import skip_after_cue, verb_source

_DETERMINERS = frozenset("the a an his her their its our my your this these those endless many several such no "
                         "any some every each".split())


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
        if not is_cue or in_quote(tok.start, quotes) or (v > 0 and tok.text[0].isupper()):
            continue
        if low in RELAYS and v + 1 < len(toks) and lowers[v + 1] == "by":
            continue  # "sources quoted by the X website": a relay inside the source
        if v > 0 and lowers[v - 1] in _DETERMINERS:
            continue  # a noun: "the calls", "his claims"
        if v + 1 < len(toks) and lowers[v + 1] == "by" and (v == 0 or lowers[v - 1] not in AUXILIARIES):
            continue  # a participle: "the country described by the president"
        found = _by_verb(text, toks, lowers, v, s, quotes, block)
        if found:
            return found
    return []


# Labels a line opens with ("Summary: ...", "Update: ..."): never a speaker.
_NOT_SPEAKERS = frozenset("note notes update updates editor editors photo source sources related read watch see correction "
                          "breaking exclusive video live transcript warning disclaimer summary background context "
                          "analysis assessment conclusion conclusions comment overview highlights takeaway takeaways "
                          "abstract excerpt caption".split())


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


def _span(text: str, a: int, b: int, quotes, block: Block) -> tuple[int, int] | None:
    a, b = strip_span(text, a, b)
    if b - a < 2:
        return None
    a, b = widen(a, b, quotes, block)
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


def _quote_before(text: str, start: int, quotes) -> tuple[int, int] | None:
    """“Why would you?” Lichtman said: the quotation ending just before the sentence."""
    for qa, qb in quotes:
        if qb <= start and not text[qb:start].strip():
            return qa, qb
    return None


def _by_verb(text, toks, lowers, v, s: Sentence, quotes, block) -> list[Found]:
    cue_tok = toks[v]
    src, inverted = verb_source(toks, lowers, v)
    if src is None:
        return []
    source = (toks[src[0]].start, toks[src[1] - 1].end)
    left_edge = min(source[0], cue_tok.start)
    right = max(src[1], v + 1)
    back_words = [t for t in toks[right:] if t.word]
    front_words = [t for t in toks if t.word and t.end <= left_edge]
    if not front_words and len(back_words) <= 3:
        before = _quote_before(text, s.start, quotes)
        if before is not None:
            return [Found(cue_tok.text, cue_tok.start, cue_tok.end, [before], *source, 0.7)]
    if inverted or _said_after_content(text, left_edge, s, front_words, back_words):
        return _content_before(text, toks, lowers, v, s, quotes, block, left_edge, right, source)
    return _content_after(text, toks, lowers, v, s, quotes, block, source)


def _said_after_content(text, left_edge: int, s: Sentence, front_words, back_words) -> bool:
    """"A,” he said / A, he said: the content comes before the source and its verb."""
    front_set_off = left_edge > s.start and text[:left_edge].rstrip()[-1:] in ",”\"’—–:"
    front_quote = left_edge > s.start and text[:left_edge].rstrip(" ,")[-1:] in "”\"'"
    return bool((front_quote and len(front_words) >= 2) or (len(front_words) >= 3 and front_set_off and (
        len(back_words) <= 4 or back_words and back_words[0].lower in PARTICIPLES)))


def _content_before(text, toks, lowers, v, s: Sentence, quotes, block, left_edge, right, source) -> list[Found]:
    """The content before the verb; a quotation resumed after it (“A,” he said, “B.”) or a
    second attribution (..., he said, adding that ...) from the same source."""
    cue_tok = toks[v]
    content = _span(text, s.start, left_edge, quotes, block)
    if content is None:
        return []
    parts = [content]
    tail = [t for t in toks[right:] if t.text not in ","]
    if tail and tail[0].text in "“\"'" and text[content[1] - 1] in "”\"'":
        if more := _span(text, tail[0].start, s.end, quotes, block):
            parts.append(more)  # “A,” he said, “B.”
    out = [Found(cue_tok.text, cue_tok.start, cue_tok.end, parts, *source, 0.75 if lowers[v] in SPEECH else 0.55)]
    if len(parts) > 1:
        return out
    return out + _adding(text, toks, lowers, right, s, quotes, block, source)


def _adding(text, toks, lowers, right, s: Sentence, quotes, block, source) -> list[Found]:
    """"..., he said, adding that ...": a second attribution from the same source."""
    for m in range(right, len(toks)):
        if lowers[m] in PARTICIPLES:
            k = skip_after_cue(toks, lowers, m)
            if k < len(toks) and (more := _span(text, toks[k].start, s.end, quotes, block)):
                return [Found(toks[m].text, toks[m].start, toks[m].end, [more], *source, 0.6)]
            break
    return []


def _content_after(text, toks, lowers, v, s: Sentence, quotes, block, source) -> list[Found]:
    """He said (that) A; with "and noted that B" after it, that attribution too."""
    cue_tok = toks[v]
    k = skip_after_cue(toks, lowers, v)
    if k >= len(toks):
        return []
    cut, more = _coordinated(text, toks, lowers, k, s, quotes, block)
    content = _span(text, toks[k].start, toks[cut].start if more else s.end, quotes, block)
    if content is None:
        return more
    more = [f if f.source_start is not None else
            Found(f.cue, f.cue_start, f.cue_end, f.content, *source, f.confidence) for f in more]
    return [Found(cue_tok.text, cue_tok.start, cue_tok.end, [content], *source,
                  0.7 if lowers[v] in SPEECH else 0.5), *more]


def _coordinated(text, toks, lowers, k, s, quotes, block) -> tuple[int, list[Found]]:
    """"He said A, and noted that B" / "..., but he said B": where the first content ends, and
    the attribution that follows it."""
    for m in range(k + 1, len(toks)):
        if lowers[m] not in ("and", "but", ";") or in_quote(toks[m].start, quotes):
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
                        j = skip_after_cue(toks, lowers, v)
                        part = _span(text, toks[j].start, s.end, quotes, block) if j < len(toks) else None
                        found = [Found(toks[v].text, toks[v].start, toks[v].end, [part], None, None, 0.55)] \
                            if part else []
                    if found:
                        return m, found
                break
    return len(toks), []
