"""Own sourcing: a report that says where its own information came from.

"Our correspondents in Al-Bukamal saw…", "residents said…", "according to people living near
the crossing…", "a photo of our own", «مراسلنا في…», «أفاد سكان…»: a report that names its own
witnesses is evidence that it did not take the story from another outlet. Media-monitoring
practice (and the copy/relay analysis of Clough et al. 2002 on agency copy) treats such a
statement as the mark of independent newsgathering; it does not prove independence, but
without reused text, a translation, a relay or a shared parent it is what tells two
re-tellings of one event apart from a copy. :func:`own_sourcing` finds the phrase, so the
explanation can quote it.
"""

from __future__ import annotations

import re

_ENGLISH = [
    r"\bour (?:own )?(?:correspondents?|reporters?|journalists?|team|crew|stringers?)\b",
    r"\b(?:residents|locals|villagers|witnesses|eyewitnesses|people living (?:near|in|around)[\w\s'-]{0,40}?)"
    r" (?:said|told|reported|described|saw|say)\b",
    r"\baccording to (?:residents|locals|villagers|witnesses|eyewitnesses|people (?:living|who live) "
    r"(?:near|in|around))",
    r"\b(?:told|spoke to|interviewed) (?:our|this) (?:correspondent|reporter|newspaper|outlet|site|network)\b",
    r"\b(?:we|our team) (?:saw|witnessed|filmed|photographed|visited)\b",
    r"\b(?:a |the )?(?:photos?|photographs?|footage|video|pictures?) (?:of (?:its|their|our) own|"
    r"(?:taken|filmed|shot) by (?:our|its|their) (?:own )?(?:correspondents?|reporters?|team))",
    r"\b(?:its|their|our) own (?:photos?|photographs?|footage|video|pictures?|sources)\b",
]
_ARABIC = [
    r"مراسل(?:نا|ونا|ينا|تنا|و\s*\S+|\s+\S+)",  # our correspondent(s), the X correspondent
    r"(?:أفاد|افاد|قال|أكد|اكد|ذكر|روى|وصف)(?:ت|وا)?\s+(?:سكان|أهالي|اهالي|شهود)",  # residents/witnesses said
    r"(?:ل)?فريقنا",  # (told) our team
    r"(?:بحسب|وفق(?:ا|اً)?\s+ل|حسب)\s*(?:سكان|أهالي|اهالي|شهود)",  # according to residents/witnesses
    r"شهود\s+عيان",  # eyewitnesses
    r"صور(?:ة)?\s+(?:خاصة|حصرية)",  # our own photo(s)
]
_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (*_ENGLISH, *_ARABIC)]


_KINDS = (
    ("witnesses", re.compile(r"witness|شهود", re.IGNORECASE)),
    ("residents", re.compile(r"resident|local|villager|people|سكان|أهالي|اهالي", re.IGNORECASE)),
    ("correspondent", re.compile(r"correspondent|reporter|journalist|team|crew|stringer|\bwe\b|مراسل|فريق", re.IGNORECASE)),
    ("own pictures", re.compile(r"photo|footage|video|picture|صور", re.IGNORECASE)),
)


def sourcing_kinds(text: str) -> frozenset[str]:
    """Who the report says saw it ("correspondent", "residents", "witnesses", "own pictures"),
    in any language: a translation keeps these, an independent re-telling has its own."""
    text = " ".join((text or "").split())
    kinds = set()
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            kinds.update(kind for kind, words in _KINDS if words.search(m.group(0)))
    return frozenset(kinds)


def own_sourcing(text: str) -> str | None:
    """The first phrase of ``text`` by which a report names its own witnesses or material
    (as written, whitespace folded), or None."""
    text = " ".join((text or "").split())
    found = [m for p in _PATTERNS if (m := p.search(text))]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return first.group(0).strip()
