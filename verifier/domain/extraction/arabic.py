"""Arabic attributions: the rules backend's reading of a sentence written in Arabic.

Arabic reports attribute in a few fixed shapes, read here with the word list ``cues_ar.tsv``
(data beside the code, its source named in its header):

- a phrase before the source: «بحسب المرصد السوري، فإن أكثر من 300 …», «وفقاً للمرصد، قُتل …»,
  or after the content: «… في غارة، بحسب المرصد.»;
- a reporting verb before its source (verb-subject order, the usual one): «أفادت شبكة عين الفرات
  بأن …», «قال موقع أورينت إن …», «نفت الوكالة وجود …»; or after it: «المرصد قال إن …»;
- a relay: «نقلت شبكة دير الزور 24 عن مصادر محلية أن …» is local sources via the network.

The source runs from the verb to the complementiser («أن»، «بأن»، «إن»); with none (a denial's
verbal noun: «نفت الوكالة وجود …») it is the noun phrase after the verb: a kind word and the name
in construct with it, then the definite words that qualify it, up to the first indefinite word.
Words are compared folded (``key``: diacritics, tatweel and hamza forms folded), and a leading
«و»/«ف» ("and") is taken off a cue.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from attrs import frozen

from verifier.domain.normalisation import normalise

from .base import Found, Token, in_quote, quote_pairs, strip_span
from .lexicon import KINDS
from .segment import Block, Sentence

WORDS_FILE = "cues_ar.tsv"
_LETTER = re.compile(r"[\u0620-\u064a\u0671-\u06d3\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc]")
_LATIN = re.compile(r"[A-Za-z]")
# A word: letters, digits, diacritics and tatweel (which \w alone would cut a word at).
_TOKEN = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+|[^\w\s]")
_PUNCT = " \t\n,;:—–-،؛"
_CONJUNCTIONS = frozenset(normalise(w) for w in "و ف كما فيما بينما حين في المقابل ثم لكن".split())
_PREPOSITIONS = frozenset(normalise(w) for w in "في من على الى إلى منذ بعد قبل خلال عند حول مع ضد".split())
_SIDE = frozenset(normalise(w) for w in "جهته جهتها جانبه جانبها ناحيته ناحيتها".split())
_RELAY_WORD = "عن"
_PRONOUNS = frozenset(normalise(w) for w in "هو هي هم هن".split())
_DROPPED_KINDS = frozenset(("network", "website", "channel", "newspaper", "page", "account"))


def key(word: str) -> str:
    """The folded form words are compared in (diacritics, tatweel, hamza forms, quotes)."""
    return normalise(word.replace("\u0640", ""))


def is_arabic(text: str) -> bool:
    """Is the text written in Arabic (more Arabic letters than Latin ones)?"""
    arabic = len(_LETTER.findall(text))
    return arabic > 0 and arabic >= len(_LATIN.findall(text))


@frozen
class Words:
    """``cues_ar.tsv`` read: folded form -> its English gloss (or polarity for verbs)."""

    verbs: dict[str, str]  # folded verb -> "+" or "-" (a denial)
    relays: frozenset[str]
    phrases: dict[tuple[str, ...], str]
    complementisers: frozenset[str]
    kinds: dict[str, str]
    generic: dict[tuple[str, ...], str]
    affiliations: dict[str, str]
    own_voice: tuple[str, ...]
    anaphoric: frozenset[str]
    labels: frozenset[str]
    glosses: dict[str, str]


@lru_cache(maxsize=1)
def words() -> Words:
    text = (resources.files("verifier.domain.extraction") / WORDS_FILE).read_text(encoding="utf-8")
    by_role: dict[str, list[tuple[str, str, str]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith(("#", "form\t")):
            continue
        form, role, polarity, english = line.split("\t")
        by_role.setdefault(role, []).append((key(form), polarity, english))
    get = by_role.get

    def multi(role):
        return {tuple(k.split()): e for k, _, e in get(role, [])}

    verbs = {k: p for k, p, _ in get("verb", []) + get("relay", [])}
    return Words(
        verbs=verbs, relays=frozenset(k for k, _, _ in get("relay", [])), phrases=multi("phrase"),
        complementisers=frozenset(k for k, _, _ in get("complementiser", [])) | {"انه", "انها", "بانه", "بانها"},
        kinds={k: e for k, _, e in get("kind", [])}, generic=multi("generic"),
        affiliations={k: e for k, _, e in get("affiliation", [])},
        own_voice=tuple(k for k, _, _ in get("own-voice", [])),
        anaphoric=frozenset(k for k, _, _ in get("anaphoric", [])),
        labels=frozenset(k for k, _, _ in get("label", [])),
        glosses={k: e for rows in by_role.values() for k, _, e in rows},
    )


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def _bare(k: str) -> str:
    """A folded word without a leading "and" («وأفادت» -> «افادت»)."""
    return k[1:] if len(k) > 2 and k[0] in "وف" else k


def cue_of(k: str) -> str | None:
    """The folded verb a word is (with or without a leading «و»/«ف»), or None."""
    w = words()
    if k in w.verbs:
        return k
    return _bare(k) if _bare(k) in w.verbs else None


def is_denial(cue: str | None) -> bool:
    """Is the cue (as written) an Arabic denial verb («نفى»، «نفت»)?"""
    return bool(cue) and words().verbs.get(cue_of(key(cue)) or "") == "-"


def _definite(k: str) -> bool:
    return k.startswith("ال") or k.startswith("لل") or k.startswith("وال")


# --------------------------------------------------------------------------- finding

def find(text: str, sents: list[Sentence], block_list: list[Block]) -> list[Found]:
    """The attributions of Arabic sentences (one per sentence at most)."""
    out: list[Found] = []
    quotes: dict[int, list[tuple[int, int]]] = {}
    for s in sents:
        if s.block not in quotes:
            block = block_list[s.block]
            quotes[s.block] = quote_pairs(text, block.start, block.end)
        if found := _sentence(text, s, quotes[s.block]):
            out.append(found)
    return out


@frozen
class _Row:
    toks: list[Token]
    keys: list[str]

    def word(self, i: int) -> bool:
        return self.toks[i].word


def _sentence(text: str, s: Sentence, quotes) -> Found | None:
    toks = tokens(text, s.start, s.end)
    row = _Row(toks, [key(t.text) if t.word else t.text for t in toks])
    start = _after_label(row)
    phrase = _phrase(row, start, quotes)
    verbs = [v for v in range(start, len(toks))
             if toks[v].word and not in_quote(toks[v].start, quotes) and cue_of(row.keys[v]) is not None]
    if phrase is not None and not (verbs and verbs[0] < phrase[0]):  # «ذكر X نقلاً عن Y»: the verb's
        return _by_phrase(text, row, s, phrase, start)
    for v in verbs:
        if found := _by_verb(text, row, s, v, start, quotes):
            return found
    return None


def _after_label(row: _Row) -> int:
    """Where the sentence starts after a label («ملخص:»), which is never a source."""
    if len(row.toks) > 2 and row.keys[0] in words().labels and row.toks[1].text in ":：-–—":
        return 2
    return 0


def _phrase(row: _Row, start: int, quotes) -> tuple[int, int] | None:
    phrases = words().phrases
    for i in range(start, len(row.toks)):
        if not row.toks[i].word or in_quote(row.toks[i].start, quotes):
            continue
        for phrase in phrases:
            n = len(phrase)
            got = tuple(row.keys[i:i + n])
            if len(got) == n and (got == phrase or (_bare(got[0]),) + got[1:] == phrase):
                return i, i + n
    return None


def _is_lead(row: _Row, a: int, b: int) -> bool:
    """Are tokens a..b only conjunctions and adverbials («وفي المقابل،»، «كما»، «ومن جهتها»)?"""
    return all(not row.word(i) or row.keys[i] in _CONJUNCTIONS or _bare(row.keys[i]) in _CONJUNCTIONS
               or row.keys[i] in _PREPOSITIONS or _bare(row.keys[i]) in _PREPOSITIONS or row.keys[i] in _SIDE
               for i in range(a, b))


def _stop(row: _Row, i: int) -> bool:
    t = row.toks[i].text
    return t in ",،:;؛.!?؟" or row.keys[i] in words().complementisers


def _by_phrase(text: str, row: _Row, s: Sentence, phrase: tuple[int, int], start: int) -> Found | None:
    i, j = phrase
    toks = row.toks
    if j + 1 < len(toks) and row.keys[j] == "ما" and cue_of(row.keys[j + 1]):
        j += 2  # «بحسب ما أفادت شبكة X»: the source follows the verb
    k = _source_end(row, j, stop_at_comma=True)
    if k <= j:
        return None
    src = (toks[j].start, toks[k - 1].end)
    cue = text[toks[i].start:toks[phrase[1] - 1].end]
    if _is_lead(row, start, i):  # «بحسب X، فإن …»: the content follows
        c = _content_start(row, k)
        parts = [_span(text, toks[c].start, s.end)] if c < len(toks) else []
    else:  # «…، بحسب X.»
        parts = [_span(text, toks[start].start, toks[i].start)]
        if k < len(toks) - 1:
            parts.append(_span(text, toks[k].end, s.end))
    parts = [p for p in parts if p]
    if not parts:
        return None
    return Found(cue, toks[i].start, toks[phrase[1] - 1].end, parts, src[0], src[1], 0.8)


def _span(text: str, a: int, b: int) -> tuple[int, int] | None:
    a, b = strip_span(text, a, b, _PUNCT)
    return (a, b) if len(tokens(text, a, b)) >= 2 else None


def _source_end(row: _Row, j: int, *, stop_at_comma: bool) -> int:
    """The end (exclusive) of the source that starts at token j: the complementiser or
    punctuation that closes it when one comes within a few words, else its noun phrase."""
    w = words()
    for k in range(j, min(len(row.toks), j + 12)):
        if row.keys[k] in w.complementisers or row.toks[k].text == ":" or (
                stop_at_comma and row.toks[k].text in ",،"):
            return _trim(row, j, k)
        if row.toks[k].text in ",،.!?؟":
            break
    return _noun_phrase(row, j)


def _trim(row: _Row, j: int, k: int) -> int:
    """Drop a trailing preposition («أشار المرصد إلى أن»)."""
    while k > j and (row.keys[k - 1] in _PREPOSITIONS or not row.toks[k - 1].text.strip(",،")):
        k -= 1
    return k


def _closing(row: _Row, k: int) -> int:
    """Past a quotation or parenthesis opening at k (the index after its closing mark)."""
    pair = {"«": "»", '"': '"', "“": "”", "(": ")"}.get(row.toks[k].text)
    if pair is None:
        return k
    for m in range(k + 1, min(len(row.toks), k + 12)):
        if row.toks[m].text == pair:
            return m + 1
    return k


def _noun_phrase(row: _Row, j: int) -> int:
    """The source's noun phrase from token j: a generic source («مصادر محلية»), or a head (a kind
    word with the name in construct with it) and the definite words, numbers, quoted names and
    parentheses after it."""
    w, n = words(), len(row.toks)
    for phrase in sorted(w.generic, key=len, reverse=True):
        if tuple(row.keys[j:j + len(phrase)]) == phrase:
            return j + len(phrase)
    if j >= n:
        return j
    k = _closing(row, j)
    if k == j:
        head = row.keys[j]
        k = j + 1
        if head in w.kinds and k < n:  # «شبكة عين الفرات»: the name in construct with the kind word
            k = _closing(row, k) if row.toks[k].text in "«\"“" else k + 1
    while k < n and k - j < 8:
        t, kk = row.toks[k].text, row.keys[k]
        if t in "«\"“(":
            end = _closing(row, k)
            if end == k:
                break
            k = end
        elif row.word(k) and kk not in w.complementisers and kk not in _PREPOSITIONS and (
                _definite(kk) or kk.isdigit() or (kk.startswith("ل") and k + 1 < n and _definite(row.keys[k + 1]))):
            k += 1
        else:
            break
    return k


def _by_verb(text: str, row: _Row, s: Sentence, v: int, start: int, quotes) -> Found | None:
    toks, keys, w = row.toks, row.keys, words()
    verb = cue_of(keys[v])
    if v > start and not _is_lead(row, start, v) and not _set_off(row, v):
        return _subject_first(text, row, s, v, start)
    j = v + 1
    if j >= len(toks) or not toks[j].word:
        return None
    k = _source_end(row, j, stop_at_comma=False)
    if verb in w.relays or any(keys[x] == _RELAY_WORD for x in range(j, k)):
        r = next((x for x in range(j, min(len(toks), j + 10)) if keys[x] == _RELAY_WORD), None)
        if r is None or r + 1 >= len(toks):
            return None
        k = max(k, _source_end(row, r + 1, stop_at_comma=False))
    if k <= j:
        return None
    c = _content_start(row, k)
    if c >= len(toks):
        return None
    content = _span(text, toks[c].start, s.end)
    if content is None:
        return None
    confident = c > k
    return Found(toks[v].text, toks[v].start, toks[v].end, [content], toks[j].start, toks[k - 1].end,
                 0.7 if confident else 0.6)


def _set_off(row: _Row, v: int) -> bool:
    """«وفي سياق متصل، نفت …»: an adverbial set off by a comma before a verb its clause follows
    (not «…، قالت الشبكة.», where the verb closes the sentence)."""
    after = [i for i in range(v + 1, len(row.toks)) if row.word(i)]
    return row.toks[v - 1].text in ",،" and (len(after) > 6 or any(row.keys[i] in words().complementisers
                                                                      for i in after))


def _content_start(row: _Row, k: int) -> int:
    """Past the punctuation, preposition and complementiser between source and content."""
    w = words()
    c = k
    while c < len(row.toks) and (row.toks[c].text in ",،:" or row.keys[c] in w.complementisers or (
            row.keys[c] in _PREPOSITIONS and c + 1 < len(row.toks) and row.keys[c + 1] in w.complementisers)):
        c += 1
    return c


def _subject_first(text: str, row: _Row, s: Sentence, v: int, start: int) -> Found | None:
    """«المرصد السوري قال إن …» (subject-verb order); «…، قالت الشبكة.» (the content first)."""
    toks = row.toks
    lead = [i for i in range(start, v) if row.word(i)]
    if toks[v - 1].text in ",،" and len(lead) >= 3:
        after = [i for i in range(v + 1, len(toks)) if row.word(i)]
        if 0 < len(after) <= 6 and not any(row.keys[i] in words().complementisers for i in after):
            return _content_first(text, toks, v, start)
    first = _subject_start(row, v, start, lead)
    if first is None:
        return None
    c = _content_start(row, v + 1)
    if c == v + 1 or c >= len(toks):  # "X verb" with no complementiser: not read as an attribution
        return None
    content = _span(text, toks[c].start, s.end)
    if content is None:
        return None
    return Found(toks[v].text, toks[v].start, toks[v].end, [content], toks[first].start, toks[v - 1].end, 0.6)


def _content_first(text: str, toks, v: int, start: int) -> Found | None:
    """«…، قالت الشبكة.»: the content before the verb, the source after it."""
    content = _span(text, toks[start].start, toks[v - 1].start)
    if content is None:
        return None
    return Found(toks[v].text, toks[v].start, toks[v].end, [content], toks[v + 1].start, toks[-1].end
                 if toks[-1].word else toks[-2].end, 0.6)


def _subject_start(row: _Row, v: int, start: int, lead: list[int]) -> int | None:
    """Where the subject before the verb starts, or None when the words there cannot name a source."""
    toks, keys, w = row.toks, row.keys, words()
    first = lead[0] if lead else start
    commas = [i for i in range(start, v) if toks[i].text in ",،"]
    if commas:  # «من جهتها، المرصد يؤكد …»: the subject follows the adverbial set off by a comma
        first = commas[-1] + 1
    while first < v and (keys[first] in _CONJUNCTIONS or keys[first] in _SIDE):
        first += 1
    if first >= v or any(toks[i].text in ",،" for i in range(first, v)) or v - first > 8:
        return None
    head = keys[first]
    if head in _PREPOSITIONS or _bare(head) in _PREPOSITIONS or not (
            _definite(head) or head in w.kinds or _bare(head) in w.kinds or toks[first].text in "«\"“"
            or any(tuple(keys[first:first + len(g)]) == g for g in w.generic)):
        return None
    return first


# --------------------------------------------------------------------------- the source mention

@frozen
class Part:
    name: str
    kind: str | None
    affiliation: str | None
    start: int
    end: int


def mention_parts(text: str, start: int, end: int) -> list[Part]:
    """The sources a mention names, the speaker last: «شبكة X عن مصادر محلية» -> [X, local sources]."""
    toks = tokens(text, start, end)
    pieces: list[list[Token]] = [[]]
    for i, t in enumerate(toks):
        k = key(t.text)
        if k == _RELAY_WORD or (k == "نقلا" and i + 1 < len(toks) and key(toks[i + 1].text) == _RELAY_WORD):
            if pieces[-1]:
                pieces.append([])
            continue
        pieces[-1].append(t)
    return [p for p in (_part(text, piece, start) for piece in pieces if piece) if p is not None]


def _part(text: str, toks: list[Token], mention_start: int) -> Part | None:
    w = words()
    kept, affiliation = _outside_parentheses(toks)
    kept = [t for t in kept if t.word or t.text in "«»\"“”"]
    if kept and key(kept[0].text) in ("ما", "نقلا") or (kept and _bare(key(kept[0].text)) in w.verbs):
        kept = kept[1:]
    words_only = [t for t in kept if t.word]
    if not words_only:
        return None
    keys = [key(t.text) for t in words_only]
    for phrase, english in w.generic.items():
        if tuple(keys[:len(phrase)]) == phrase and len(keys) <= len(phrase) + 1:
            return Part(english, None, affiliation, words_only[0].start, words_only[-1].end)
    first = words_only[0]
    first_key, lam = _without_lam(text, first, keys[0])
    stem = first_key[2:] if first_key.startswith("ال") else first_key
    kind_gloss = w.kinds.get(first_key) or w.kinds.get(stem)
    kind = KINDS.get(kind_gloss, kind_gloss) if kind_gloss else None
    quoted = re.search(r"[«\"“]([^«»\"“”]{1,80})[»\"”]", text[kept[0].start:kept[-1].end])
    if quoted:
        name = quoted.group(1).strip()
        a = kept[0].start + quoted.start(1)
        return Part(name, kind, affiliation, a, a + len(quoted.group(1)))
    rest = words_only
    if kind_gloss and kind in _DROPPED_KINDS | {"agency"} and not _definite(first_key) and len(words_only) > 1:
        rest = words_only[1:]  # «شبكة عين الفرات» -> «عين الفرات»
    name, a, b = _name_of(text, rest, first, lam)
    if affiliation is None and len(rest) > 1 and key(rest[-1].text) in w.affiliations and \
            w.affiliations[key(rest[-1].text)] == "opposition":  # «المرصد … المعارض»
        affiliation = "opposition"
    return Part(name, kind, affiliation, a, b)


def _outside_parentheses(toks: list[Token]) -> tuple[list[Token], str | None]:
    """The tokens outside parentheses, and the affiliation a parenthesis glosses: «(معارض)»
    is an affiliation, an acronym such as «(سانا)» is left out."""
    w = words()
    affiliation = None
    kept: list[Token] = []
    depth, inner = 0, []
    for t in toks:
        if t.text == "(":
            depth, inner = depth + 1, []
        elif t.text == ")" and depth:
            depth -= 1
            glossed = [w.affiliations[key(x.text)] for x in inner if key(x.text) in w.affiliations]
            affiliation = affiliation or (glossed[0] if glossed else None)
        elif depth:
            inner.append(t)
        else:
            kept.append(t)
    return kept, affiliation


def _without_lam(text: str, first: Token, first_key: str) -> tuple[str, bool]:
    """«وفقاً للمرصد»: the preposition ل is not the name; the first word's key without it, and whether it had it."""
    w = words()
    if first_key.startswith("ل") and (first_key.startswith("لل") or first_key[1:] in w.kinds) and \
            key(text[max(0, first.start - 12):first.start]).split()[-1:] in (["وفقا"], ["طبقا"], ["ووفقا"]):
        return ("ا" + first_key[1:] if first_key.startswith("لل") else first_key[1:]), True
    return first_key, False


def _name_of(text: str, rest: list[Token], first: Token, lam: bool) -> tuple[str, int, int]:
    """The name these words spell, and its span (without a leading preposition ل)."""
    a, b = rest[0].start, rest[-1].end
    name = text[a:b]
    if lam and rest[0] is first:
        a += 1
        name = ("ال" + text[a + 1:b]) if key(first.text).startswith("لل") else text[a:b]
    return name, a, b


def is_description(mention: str) -> bool:
    """«الوكالة»، «الشبكة»، «الوزارة»: a definite kind word alone, naming no one."""
    ks = [key(t.text) for t in tokens(mention) if t.word]
    return len(ks) == 1 and ks[0].startswith("ال") and ks[0][2:] in words().kinds


def description_kind(mention: str) -> str | None:
    ks = [key(t.text) for t in tokens(mention) if t.word]
    gloss = words().kinds.get(ks[0][2:]) if ks else None
    return KINDS.get(gloss, gloss) if gloss else None


def is_pronoun(mention: str) -> bool:
    return key(mention.strip()) in _PRONOUNS


# --------------------------------------------------------------------------- the report's own voice

def own_voice(sentence: str) -> bool:
    """Does the sentence speak in the report's own voice («من الواضح أن»، «في تقديرنا»)?"""
    folded = " " + " ".join(_bare(k) if len(k) > 3 else k for k in key(sentence).split()) + " "
    return any(f" {marker} " in folded or f" {marker}" in folded[:len(marker) + 3] for marker in words().own_voice)


def anaphoric(sentence: str) -> bool:
    """Does it open by pointing back («وتنفيذاً لهذه السياسة»، «هذا»)?"""
    first = next((key(t.text) for t in tokens(sentence) if t.word), "")
    return first in words().anaphoric or _bare(first) in words().anaphoric


def gloss(word: str) -> str | None:
    """The English gloss the word list gives a word (its folded form), if any."""
    return words().glosses.get(key(word))


# --------------------------------------------------------------------------- places

# "the city of X" -> X: settlement words are left out of the place; facilities keep theirs.
_SETTLEMENTS = frozenset(key(w) for w in "مدينة بلدة قرية منطقة ريف محافظة حي ناحية".split())
_FACILITIES = frozenset(key(w) for w in "مطار قاعدة مخيم معبر سجن مستشفى مشفى ميناء سد".split())
_DIRECTIONS = frozenset(key(w) for w in "شمال جنوب شرق غرب شمالي جنوبي شرقي غربي وسط".split())
# The first word of a place name in construct with the next: «أبو خشب»، «دير الزور»، «الإمام علي».
_CONSTRUCT = frozenset(key(w) for w in "أبو أم دير تل عين رأس جسر بيت كفر خان معرة باب جبل سهل وادي بئر بني مرج قصر "
                                       "الإمام الشيخ السيدة".split())


def places(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    """Places a sentence names: after a settlement word («قرية أبو خشب» -> «أبو خشب»), a facility
    with its name («مطار النيرب العسكري»), or a direction («جنوب سوريا»); and the ``known`` names
    (``place_names`` of the whole report: one name, one sense in a report) wherever they stand
    («أهالي دير الزور»), unless inside a place already found."""
    spans = _place_spans(text)
    for name in known:
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if not any(a <= m.start() and m.end() <= b for a, b, _ in spans):
                spans.append((m.start(), m.end(), name))
    found: list[str] = []
    for _, _, place in sorted(spans):
        if place not in found:
            found.append(place)
    return found


def place_names(text: str) -> frozenset[str]:
    """The names a report gives as places (after a settlement word or a direction), for ``places``."""
    return frozenset(name for _, _, name in _place_spans(text, bare=True))


def _place_spans(text: str, bare: bool = False) -> list[tuple[int, int, str]]:
    toks = [t for t in tokens(text) if t.word or t.text in ",،.؛:()«»"]
    keys = [key(t.text) if t.word else t.text for t in toks]
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks) - 1:
        k = keys[i]
        if k in _SETTLEMENTS or k in _FACILITIES or (k in _DIRECTIONS and keys[i + 1] not in _DIRECTIONS
                                                      and keys[i + 1] not in _SETTLEMENTS | _FACILITIES):
            a = i if k in _FACILITIES else i + 1
            end = _place_end(toks, keys, i + 1)
            if end > i + 1 and not (bare and k in _FACILITIES):
                first = i if k in _DIRECTIONS and not bare else a
                place = text[toks[first].start:toks[end - 1].end]
                found.append((toks[first].start, toks[end - 1].end, place))
                i = end
                continue
        i += 1
    return found


def _place_end(toks: list[Token], keys: list[str], j: int) -> int:
    w = words()
    if j >= len(toks) or not toks[j].word or keys[j] in _PREPOSITIONS or keys[j] in _SETTLEMENTS or \
            keys[j] in w.complementisers or keys[j][:1] == "و" and _definite(keys[j][1:]):
        return j
    k = j + 1
    if keys[j] in _CONSTRUCT and k < len(toks) and toks[k].word:
        k += 1
    while k < len(toks) and toks[k].word and _definite(keys[k]) and not keys[k].startswith("لل") and k - j < 4:
        if keys[k - 1] in _CONSTRUCT and k + 1 < len(toks) and toks[k + 1].word and not _definite(keys[k + 1]):
            k += 1
        k += 1
    return k
