"""The language a claim is written in, detected offline from its letters. Pure functions.

A script-ratio detector: the share of a text's letters in the Arabic script against the Latin
one. verifier reads two languages, Arabic (the only one it reads in Arabic script) and English
(the only one it reads in Latin script), so the script names the language; a Latin-script
text is called English only when English function words make up a fair share of its words,
so that French or a transliteration is not called English. Stored as an ISO 639-1 code in
``claims.language``; None when the text gives too little to tell (no letters, mixed halves).
"""

from __future__ import annotations

import re
import unicodedata

ARABIC, ENGLISH = "ar", "en"
LANGUAGES = (ARABIC, ENGLISH)

_MAJORITY = 0.6  # share of the letters a script needs to name the language
_ENGLISH_SHARE = 0.15  # share of the words that are English function words, for Latin text
_SHORT = 4  # Latin texts of fewer words are English (too short to tell otherwise)
_WORD = re.compile(r"[A-Za-z]+")
# the commonest English words (the top of any frequency list of English: determiners,
# prepositions, pronouns, auxiliaries, conjunctions), all of two letters or more
_ENGLISH_WORDS = frozenset(
    """
    the of and to in is was for on that with as by at from it be are were has have had
    he she they his her their its an or but not this which who will would been said after
    over into than more about no up out all one two we our you can did do does there
    """.split()
)


def _script(ch: str) -> str | None:
    if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff" \
            or "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
        return ARABIC
    if ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"):
        return "latin"
    return "other"


def detect(text: str) -> str | None:
    """"ar", "en" or None (see the module docstring): «قتل 11 عنصرا» is "ar", "Eleven
    militiamen were killed" "en", "Onze miliciens ont été tués" None."""
    letters = [c for c in (text or "") if c.isalpha()]
    if not letters:
        return None
    counts: dict[str | None, int] = {}
    for c in letters:
        script = _script(c)
        counts[script] = counts.get(script, 0) + 1
    if counts.get(ARABIC, 0) >= _MAJORITY * len(letters):
        return ARABIC
    if counts.get("latin", 0) >= _MAJORITY * len(letters):
        words = [w.lower() for w in _WORD.findall(text)]
        if len(words) < _SHORT or sum(w in _ENGLISH_WORDS for w in words) >= _ENGLISH_SHARE * len(words):
            return ENGLISH
    return None
