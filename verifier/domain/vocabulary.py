"""The domain's words: source kinds, grades, relations, link origins and states, verdicts (best
first, with their scores) and qualifiers (with their other spellings). Each parses the spellings a
user may type and names the field when it cannot."""

from __future__ import annotations

import enum
import functools
import re
from typing import Any

from verifier.domain import lexicon_ar
from verifier.domain.errors import DomainError
from verifier.domain.normalisation import fold_arabic


class Choice(enum.StrEnum):
    """A string enum whose parse() accepts a few spellings and names the field on failure."""

    #: other spellings a user may type -> the value they name (each choice declares its own)
    ALIASES = enum.nonmember({})

    @classmethod
    def parse(cls, value: Any, field_name: str):
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            raise DomainError(field_name, f"expected text, got {type(value).__name__}")
        text = re.sub(r"[\s_]+", "-", value.strip().lower())
        text = cls.ALIASES.get(text, text)
        try:
            return cls(text)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise DomainError(field_name, f"unknown value {value!r} (one of: {allowed})") from None

    def __str__(self) -> str:  # pragma: no cover - cosmetic
        return self.value


class SourceKind(Choice):
    OUTLET = "outlet"
    MONITOR = "monitor"
    SOCIAL = "social"
    OFFICIAL = "official"
    THINK_TANK = "think-tank"
    INDIVIDUAL = "individual"
    UNKNOWN = "unknown"

    ALIASES = enum.nonmember({
        "ngo": "monitor",
        "monitor/ngo": "monitor",
        "thinktank": "think-tank",
        "channel": "social",
        "social-channel": "social",
        "person": "individual",
        "media": "outlet",
        "government": "official",
    })


class Grade(Choice):
    """Admiralty source-reliability grade."""

    A = "A"  # completely reliable
    B = "B"  # usually reliable
    C = "C"  # fairly reliable
    D = "D"  # not usually reliable
    E = "E"  # unreliable
    F = "F"  # reliability cannot be judged
    G = "G"  # deliberately deceptive

    @classmethod
    def parse(cls, value: Any, field_name: str):
        if isinstance(value, str):
            value = value.strip().upper()
            try:
                return cls(value)
            except ValueError:
                raise DomainError(field_name, f"unknown grade {value!r} (one of: A, B, C, D, E, F, G)") from None
        return super().parse(value, field_name)


class Relation(Choice):
    DUPLICATES = "duplicates"
    CORROBORATES = "corroborates"
    CONTRADICTS = "contradicts"

    ALIASES = enum.nonmember({"duplicate": "duplicates", "corroborate": "corroborates", "contradict": "contradicts",
                              "supports": "corroborates", "conflicts": "contradicts"})


class LinkOrigin(Choice):
    ANALYST = "analyst"
    DERIVED = "derived"
    DETECTOR = "detector"


class LinkState(Choice):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Verdict(Choice):
    TRUE = "true"
    MOSTLY_TRUE = "mostly-true"
    MIXED = "mixed"
    MOSTLY_FALSE = "mostly-false"
    FALSE = "false"
    UNVERIFIABLE = "unverifiable"

    ALIASES = enum.nonmember({"half-true": "mixed", "mostly-true": "mostly-true", "mostlytrue": "mostly-true",
                              "mostlyfalse": "mostly-false"})

    @property
    def score(self) -> float | None:
        """Truth value used by track records; None for unverifiable (not counted)."""
        return VERDICT_SCORES[self.value]


#: Every verdict, best first: the one list the CLI, the TUI, the views and the services use.
VERDICTS: tuple[str, ...] = tuple(v.value for v in Verdict)


#: The truth value each verdict adds to a track record; None: not counted (unverifiable).
VERDICT_SCORES: dict[str, float | None] = {
    Verdict.TRUE.value: 1.0,
    Verdict.MOSTLY_TRUE.value: 0.75,
    Verdict.MIXED.value: 0.5,
    Verdict.MOSTLY_FALSE.value: 0.25,
    Verdict.FALSE.value: 0.0,
    Verdict.UNVERIFIABLE.value: None,
}


#: Other spellings of each qualifier, after ``Choice.parse``'s folding (lower case, runs of
#: spaces and '_' as '-'): the one list both a record's qualifier and value matching read.
QUALIFIER_ALIASES: dict[str, str] = {
    "exactly": "exact", "=": "exact",
    "approximately": "about", "approx": "about", "around": "about", "~": "about", "roughly": "about",
    "nearly": "about", "almost": "about",
    "over": "more-than", "at-least": "more-than", ">": "more-than", ">=": "more-than",
    "greater-than": "more-than", "above": "more-than",
    "under": "less-than", "at-most": "less-than", "fewer-than": "less-than", "<": "less-than",
    "<=": "less-than", "below": "less-than", "up-to": "less-than",
    "range": "between",
    # Arabic ("أكثر من", "نحو", "ما لا يقل عن"...: lexicon_ar), as written and folded
    **{re.sub(r"\s+", "-", spelling): meaning.replace(" ", "-")
       for phrase, meaning in lexicon_ar.QUALIFIERS for spelling in (phrase, fold_arabic(phrase))},
    "بين": "between",
}  # fmt: skip


class Qualifier(Choice):
    EXACT = "exact"
    ABOUT = "about"
    MORE_THAN = "more-than"
    LESS_THAN = "less-than"
    BETWEEN = "between"

    ALIASES = enum.nonmember(QUALIFIER_ALIASES)

    @classmethod
    def lookup(cls, value: Any) -> Qualifier | None:
        """The qualifier a spelling names ("at least", "over", ">=", "more_than"), None when it
        names none; no qualifier at all (None or "") is exact."""
        if value is None:
            return cls.EXACT
        if not isinstance(value, str):
            return None
        return _qualifier_named(value)

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


@functools.lru_cache(maxsize=1024)  # value matching asks for the same few spellings again and again
def _qualifier_named(value: str) -> Qualifier | None:
    text = re.sub(r"[\s_]+", "-", value.strip().lower())
    if not text:
        return Qualifier.EXACT
    try:
        return Qualifier(QUALIFIER_ALIASES.get(text, text))
    except ValueError:
        return None
