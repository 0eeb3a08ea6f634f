"""The cue lexicon learned from annotated attributions (``bench/learn_cues.py`` writes ``cues.tsv``
beside this module from PolNeAR *train*): counts of words, no text. The spaCy backend keys words by
lemma, part of speech and frame (``verifier.adapters.nlp.cue_key``) and asks it which are cues."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources

LEXICON = "cues.tsv"

Key = tuple[str, str, str]


class Lexicon:
    """Cue lemmas learned from annotated attributions (``bench/learn_cues.py``): for each
    ``(lemma, pos, frame)``, how often it headed a cue and how often it was seen in training. Its
    precision is smoothed toward the base rate ``prior`` with ``weight`` pseudo-uses, so a word
    seen 5 times is not trusted like one seen 500 times; a key is a cue when that reaches
    ``threshold``. Keys seen fewer than ``min_seen`` times are unknown: the word lists decide."""

    def __init__(self, rows: dict[Key, tuple[int, int]], threshold: float, min_seen: int,
                 prior: float = 0.0, weight: float = 0.0):
        self.rows, self.threshold, self.min_seen = rows, threshold, min_seen
        self.prior, self.weight = prior, weight

    @classmethod
    def parse(cls, text: str) -> Lexicon:
        head: dict[str, str] = {}
        rows: dict[Key, tuple[int, int]] = {}
        for line in text.splitlines():
            if line.startswith("#"):
                head.update(part.split("=", 1) for part in line[1:].split() if "=" in part)
            elif line.strip() and not line.startswith("lemma\t"):
                lemma, pos, frame, cues, seen = line.split("\t")[:5]
                rows[(lemma, pos, frame)] = (int(cues), int(seen))
        return cls(rows, float(head.get("threshold", 0.5)), int(head.get("min_seen", 5)),
                   float(head.get("prior", 0)), float(head.get("weight", 0)))

    def precision(self, key: Key) -> float | None:
        cues, seen = self.rows.get(key, (0, 0))
        if seen < self.min_seen:
            return None
        return (cues + self.weight * self.prior) / (seen + self.weight)

    def verdict(self, key: Key) -> bool | None:
        """True: a cue; False: seen enough and rarely a cue; None: not known."""
        p = self.precision(key)
        return None if p is None else p >= self.threshold


_override: list[Lexicon] = []


@lru_cache(maxsize=1)
def _packaged() -> Lexicon:
    path = resources.files("verifier.domain.extraction") / LEXICON
    return Lexicon.parse(path.read_text(encoding="utf-8")) if path.is_file() else Lexicon({}, 1.0, 1)


def lexicon() -> Lexicon:
    return _override[-1] if _override else _packaged()


@contextmanager
def using_lexicon(lex: Lexicon) -> Iterator[Lexicon]:
    """Extract with another lexicon (how bench/learn_cues.py chooses its threshold)."""
    _override.append(lex)
    try:
        yield lex
    finally:
        _override.pop()
