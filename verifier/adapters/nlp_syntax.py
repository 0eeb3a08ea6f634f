"""Reading spaCy's dependency parse for the extractor's spaCy backend (:mod:`verifier.adapters.nlp`).

Pure functions of parsed tokens (no model is loaded here): who is the subject of a reporting verb
(its agent, its ``nsubj``, or that of the verb it hangs from), the words of that subject worth
naming as the source, and the words the verb governs as its content.
"""

from __future__ import annotations

from verifier.domain.extraction.lexicon import SPEECH

_SUBJECTS = ("nsubj",)  # a passive subject is what was said, not who: "Her death was confirmed"
_NOT_IN_SOURCE = frozenset("relcl acl appos advcl".split())
RELAY_VERBS = frozenset("quote cite report relay carry".split())
_CIRCUMSTANCE = frozenset("in at after before during since amid despite following on with while".split())


def subject_of(verb):
    """The verb's subject: its agent ("opposed by X"), its subject, the noun a participle describes
    ("polls showing ..."), or the subject of the verb it is coordinated with or hangs from
    ("..., adding that", "by proposing to ...")."""
    seen = 0
    while verb is not None and seen < 4:
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if by is not None:
            return by
        for child in verb.children:
            if child.dep_ in _SUBJECTS:
                return child
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.i != verb.head.i:
            verb = verb.head.head
        elif verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i:
            verb = verb.head
        else:
            return None
        seen += 1
    return None


def _complements(tok) -> list:
    """What a cue with no clause of its own is about: its object, infinitive or prepositional
    complement ("endorsed Clinton", "vowed to block it", "referred to X as Y"), without the
    circumstances after an object ("... in an interview on Monday", "after the meeting")."""
    out = []
    for c in sorted(tok.children, key=lambda c: c.i):
        if c.i < tok.i or c.dep_ not in ("dobj", "xcomp", "prep", "attr", "oprd", "dative"):
            continue
        if c.dep_ == "prep" and out and c.lower_ in _CIRCUMSTANCE:
            break
        out.append(c)
    return out


def _interjected(tok) -> bool:
    """A bare reporting verb set into the clause it reports: "“A,” he said", "A, many argue, B",
    "A, said the chief executive"."""
    head = tok.head
    if head.i == tok.i or any(c.dep_ in ("dobj", "xcomp") for c in tok.children):
        return False
    if tok.dep_ == "parataxis" or tok.dep_ == "ccomp" and head.i < tok.i:
        return True
    first = next((t for t in tok.subtree if not t.is_punct), tok)
    before = tok.doc[first.i - 1] if first.i > 0 else None
    return tok.dep_ == "conj" and before is not None and before.text == "," and tok.lower_ in SPEECH


def _passive_content(tok, subject) -> list | None:
    """"The bill, opposed by X" / "The plan was backed by X": what the agent's verb is about."""
    if subject.head.dep_ != "agent" or subject.head.head.i != tok.i or any(c.dep_ == "ccomp" for c in tok.children):
        return None
    patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    if patient is not None:
        return list(patient.subtree)
    if tok.dep_ == "acl" and tok.i > tok.head.i:
        mine = {t.i for t in tok.subtree}
        return [t for t in tok.head.subtree if t.i not in mine and t.i < tok.i]
    return None


def source_span(subject) -> tuple[int, int]:
    """The subject's words without relative clauses, appositives or punctuation at the edges: the
    run of words around its head. A relay ("sources quoted by the X website") is kept."""
    drop = set()
    for t in subject.subtree:
        if t.i != subject.i and t.dep_ in _NOT_IN_SOURCE and t.lemma_.lower() not in RELAY_VERBS:
            drop.update(x.i for x in t.subtree)
    start = end = subject.i
    while start - 1 >= subject.left_edge.i and start - 1 not in drop:
        start -= 1
    while end + 1 <= subject.right_edge.i and end + 1 not in drop:
        end += 1
    doc = subject.doc
    while end > start and (doc[end].is_punct and doc[end].text not in ")”\"" or doc[end].dep_ in ("cc", "prep")):
        end -= 1
    while start < end and doc[start].is_punct and doc[start].text not in "“\"(":
        start += 1
    return start, end


def content_tokens(tok, subject) -> list | None:
    """The words a verbal cue governs as its content (unsorted), or None when it governs none."""
    clauses = [c for c in tok.children if c.dep_ == "ccomp"]
    # "While A is true, X said B": the small model hangs both clauses on the cue; the one after it
    content = next((c for c in clauses if c.i > tok.i), clauses[0] if clauses else None)
    passive = _passive_content(tok, subject)
    if passive is not None:
        toks = passive
    elif content is None and _interjected(tok):
        content = tok.head  # "“A,” he said", "That attitude, many argue, could ...", "A, said X"
        toks = [t for t in content.subtree if t.i not in {x.i for x in tok.subtree}]
    elif content is not None:
        toks = list(content.subtree)
        # "X reported that militias loyal to the regime set fire to crops": the small model hangs
        # "set fire ..." on the cue as an xcomp or dobj beside the ccomp; a reporting verb with a
        # that-clause takes no such complement of its own, so it is the rest of the clause
        end = content.right_edge.i
        for c in sorted((c for c in tok.children if c.i > end), key=lambda c: c.i):
            if c.dep_ not in ("xcomp", "dobj") or c.left_edge.i != end + 1:
                break
            toks.extend(c.subtree)
            end = c.right_edge.i
    else:
        toks = [t for c in _complements(tok) if c.i not in {x.i for x in subject.subtree} for t in c.subtree]
        if tok.lower_ not in SPEECH and not toks:
            return None
    return toks
