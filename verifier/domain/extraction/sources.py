"""A source mention as written -> name, kind, affiliation, relays; and resolving pronouns.

"the Syrian Center for Human Rights (Opposition)" -> name "Syrian Center for Human Rights",
affiliation "opposition"; "The “Eyn Alfurat” network" -> name "Eyn Alfurat", kind "network";
"local sources quoted by the Enab Baladi website" -> name "local sources", via ("Enab Baladi",).
A mention written in Arabic is read by ``arabic.mention_parts``: «شبكة دير الزور 24 عن مصادر محلية» ->
name "local sources", via ("دير الزور 24",); «المرصد السوري لحقوق الإنسان (معارض)» -> affiliation
"opposition".
"""

from __future__ import annotations

import re

from attrs import frozen

from . import arabic
from .lexicon import KINDS, PERSON_PRONOUNS, PRONOUNS

_RELAY = re.compile(r"\s*,?\s+(?:as\s+)?(?:quoted|cited|reported|relayed|carried)\s+by\s+|\s*,?\s+via\s+", re.I)
_AFFILIATION = re.compile(r"\s*\(([^()]{1,60})\)\s*$")
_QUOTED = re.compile(r"[“\"‘']([^“”\"‘’']{1,80})[”\"’']")
_DETERMINERS = re.compile(r"^(?:the|a|an|this|that|these|those)\s+", re.I)
_DESCRIPTIONS = frozenset("ministry network website agency organisation organization group channel newspaper "
                          "site center centre observatory official spokesman spokeswoman campaign".split())


@frozen
class Mention:
    name: str
    kind: str | None
    affiliation: str | None
    via: tuple[str, ...]
    name_start: int  # offsets of the source's own mention (without relays), in the document
    name_end: int


def _clean_name(part: str) -> tuple[str, str | None]:
    """A name without determiner, quotes and kind word; and the kind the words give."""
    kind = None
    words = part.strip().split()
    if words and (k := KINDS.get(words[-1].lower().strip(".,"))) and len(words) > 1:
        kind = k
    quoted = _QUOTED.search(part)
    if quoted:
        return quoted.group(1).strip(), kind
    name = _DETERMINERS.sub("", part.strip())
    if kind and len(name.split()) > 1 and name.split()[-1].lower() in ("network", "website", "site", "channel",
                                                                       "newspaper", "portal", "account", "page"):
        name = name.rsplit(None, 1)[0]
    return name.strip(" ,.;:"), kind


def analyse(text: str, start: int, end: int) -> Mention:
    """Read the mention text[start:end]."""
    mention = text[start:end]
    if arabic.is_arabic(mention):
        return _arabic(text, start, end)
    parts = _RELAY.split(mention)
    head = parts[0]
    affiliation = None
    if m := _AFFILIATION.search(head):
        inner = m.group(1).strip()
        if inner and not inner.isupper() or len(inner) > 6:  # "(Opposition)", not an acronym "(SOHR)"
            affiliation = inner.lower()
            head = head[:m.start()]
    name, kind = _clean_name(head)
    via = tuple(n for n, _ in (_clean_name(_AFFILIATION.sub("", p)) for p in parts[1:]) if n)
    lead = len(mention) - len(mention.lstrip())
    return Mention(name or mention.strip(), kind, affiliation, via, start + lead, start + lead + len(head.rstrip()))


def _arabic(text: str, start: int, end: int) -> Mention:
    parts = arabic.mention_parts(text, start, end)
    if not parts:
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        return Mention(text[start:end].strip(), None, None, (), start + lead, end)
    speaker = parts[-1]
    via = tuple(p.name for p in reversed(parts[:-1]))  # «نقلت A عن B»: B's words, relayed by A
    return Mention(speaker.name, speaker.kind, speaker.affiliation, via, speaker.start, speaker.end)


def is_pronoun(mention: str) -> bool:
    return mention.strip().lower() in PRONOUNS or arabic.is_pronoun(mention)


def is_description(mention: str) -> bool:
    """"the ministry", "the network": a definite description naming no one."""
    if arabic.is_arabic(mention):
        return arabic.is_description(mention)
    words = mention.strip().split()
    return (len(words) == 2 and words[0].lower() in ("the", "this", "that")
            and words[1].lower() in _DESCRIPTIONS)


def is_named(mention: str) -> bool:
    if arabic.is_arabic(mention):  # no capitals: any mention that is not a description or a pronoun
        return not arabic.is_description(mention) and not arabic.is_pronoun(mention)
    words = [w for w in re.findall(r"\w[\w’'-]*", mention)]
    return any(w[0].isupper() for w in words) and mention.strip().lower() not in PRONOUNS


def fits(mention: str, candidate: Mention) -> bool:
    """Could this pronoun or description refer to the candidate source?"""
    low = mention.strip().lower()
    if low in PERSON_PRONOUNS:
        return candidate.kind is None and len(candidate.name.split()) <= 4
    if low in ("it", "which"):
        return candidate.kind is not None or len(candidate.name.split()) > 2
    if arabic.is_arabic(mention) and is_description(mention):
        kind = arabic.description_kind(mention)
        return candidate.kind == kind or arabic.key(mention)[2:] in arabic.key(candidate.name)
    if is_description(mention):
        word = low.split()[1]
        return candidate.kind == KINDS.get(word, word) or word in candidate.name.lower()
    return True
