"""Denials: a source that denies a content asserts its negation.

"The Defence Ministry denied that any civilians were hurt in the strike on Sarmada" is the
ministry asserting "No civilians were hurt in the strike on Sarmada"; «نفت الوزارة وجود مدنيين بين
الضحايا» is the ministry asserting «لا وجود لمدنيين بين الضحايا». A proposal keeps the content it was
read from (its offsets) and states the negation in its text, so that once accepted the pair
judgement sees it contradict a claim asserting the content.

The negation is written by a few rules of each language's grammar, tried in order, the last
one always applying (English: "any"/"anyone" become "no"/"no one", "there is/was" takes "no",
"not" follows the first auxiliary or copula, a verb of the past takes "did not"; else "It is not
true that ..."; Arabic: a verbal noun takes «عدم» (existence: «لا وجود لـ»), a clause «ليس صحيحاً أن»).
"""

from __future__ import annotations

import re

from . import arabic

DENIALS = frozenset("deny denies denied denying".split())
_NEGATED_BEFORE = re.compile(r"\b(?:not|never|n't|no longer)\s+(?:\w+\s+)?$", re.I)

_ANY = {"any": "no", "anyone": "no one", "anybody": "nobody", "anything": "nothing", "ever": "never"}
_AUX = frozenset("is are was were am be has have had will would can could should may might must shall".split())
_DO = {"did", "does", "do"}
_THERE = re.compile(r"^(there\s+(?:is|are|was|were|has been|have been|had been|will be))\s+(?:any\s+)?", re.I)
_IRREGULAR_PAST = {
    "killed": "kill", "hit": "hit", "shot": "shoot", "struck": "strike", "took": "take", "sent": "send",
    "made": "make", "left": "leave", "fought": "fight", "began": "begin", "led": "lead", "lost": "lose",
    "gave": "give", "built": "build", "brought": "bring", "held": "hold", "ran": "run", "went": "go",
}
_SUBJECT_WORDS = 8


def is_denial(cue: str | None, text: str = "", cue_start: int | None = None) -> bool:
    """Is the cue a denial ("denied", «نفت»), not itself negated ("did not deny")?"""
    if not cue:
        return False
    if cue.lower() in DENIALS:
        return cue_start is None or not _NEGATED_BEFORE.search(text[max(0, cue_start - 30):cue_start])
    return arabic.is_denial(cue)


def negate(content: str) -> str:
    """The content's negation, as a sentence that can stand alone."""
    if arabic.is_arabic(content):
        return _negate_arabic(content)
    return _negate_english(content)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _negate_english(content: str) -> str:
    text = content.strip()
    text = re.sub(r"^(?:that|reports?\s+that|claims?\s+that|allegations?\s+that)\s+", "", text, flags=re.I)
    words = text.split()
    if not words:
        return content
    first = words[0].lower()
    if first in _ANY:
        return _capital(" ".join([_ANY[first], *words[1:]]))
    if m := _THERE.match(text):
        return _capital(f"{m.group(1)} no {text[m.end():]}")
    for i, w in enumerate(words[:_SUBJECT_WORDS]):
        low = w.lower().strip(",;")
        if i == 0 or not low.isalpha():
            continue
        if low in _AUX or low in _DO:
            nxt = words[i + 1].lower() if i + 1 < len(words) else ""
            if nxt in ("not", "never"):
                return _capital(" ".join(words[:i + 1] + words[i + 2:]))  # a denied negation: asserted
            rest = [_ANY.get(x.lower(), x) if j == 0 and x.lower() == "any" else x
                    for j, x in enumerate(words[i + 1:])]
            if rest and rest[0] == "no":
                return _capital(" ".join([*words[:i + 1], *rest]))
            return _capital(" ".join([*words[:i + 1], "not", *rest]))
        if i > 0 and (low in _IRREGULAR_PAST or (low.endswith("ed") and len(low) > 4)):
            base = _IRREGULAR_PAST.get(low) or _past_to_base(low)
            return _capital(" ".join([*words[:i], "did not", base, *words[i + 1:]]))
    if len(words) <= 6 or not any(w.lower() in _AUX for w in words):
        np = re.sub(r"^(?:any|the|a|an)\s+", "", text, flags=re.I)
        return _capital(f"no {np}")
    return f"It is not true that {text[:1].lower() + text[1:] if not words[0].isupper() else text}"


def _past_to_base(word: str) -> str:
    stem = word[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "ls":
        return stem[:-1]  # "shelled" keeps its l; "stopped" -> "stop"
    if stem.endswith("i"):
        return stem[:-1] + "y"
    if word.endswith(("ated", "ized", "ised", "uded", "ured", "ived", "osed", "used", "aged", "anced")):
        return word[:-1]
    return stem


_ANNA = re.compile(r"^(?:ب?[أا]ن[ّ]?|[إا]ن[ّ]?)(?:ه|ها)?\s+")
_EXISTENCE = re.compile(r"^وجود\s+")


def _negate_arabic(content: str) -> str:
    text = content.strip()
    if m := _ANNA.match(text):
        return "ليس صحيحاً أن " + text[m.end():]
    if m := _EXISTENCE.match(text):
        rest = text[m.end():]
        if rest.startswith("ال"):
            return "لا وجود لل" + rest[2:]
        return "لا وجود ل" + rest
    return "عدم " + text
