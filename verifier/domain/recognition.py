"""Recognising a source mention among the known sources: pure functions, no storage.

A report names its sources as it pleases: "the Syrian Center for Human Rights (Opposition)",
"SCHR", "the “Eyn Alfurat” network". ``clean_mention`` takes the mention apart (quotes, a
leading article, the kind word, a parenthesised affiliation); ``match_source`` finds the known
source it names by name, alias or initials, scored with rapidfuzz on explicitly normalised
text (rapidfuzz 3 does not preprocess by default). A mention that matches nothing proposes a
new source, with the kind its words give (``kind_of``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from attrs import field, frozen
from rapidfuzz import fuzz, process

from verifier.domain.names import name_keys
from verifier.domain.normalisation import normalise
from verifier.domain.vocabulary import SourceKind

THRESHOLD = 90.0
"""The least rapidfuzz ratio (0-100) between normalised names that counts as the same source:
one or two letters of a long name ("Center"/"Centre"), never a different word of a short one."""

MIN_SPELLING_KEY = 5
"""The least length of a name's spelling key (``names.name_keys``: a consonant skeleton, an
Arabic key) that matches a source by itself: shorter skeletons ("Orient" -> "rnt") are shared by
too many names."""

# The words reports use for a source's kind, onto verifier's vocabulary (SourceKind).
KIND_WORDS: dict[str, SourceKind] = {
    "network": SourceKind.SOCIAL,
    "channel": SourceKind.SOCIAL,
    "page": SourceKind.SOCIAL,
    "account": SourceKind.SOCIAL,
    "website": SourceKind.OUTLET,
    "site": SourceKind.OUTLET,
    "agency": SourceKind.OUTLET,
    "news agency": SourceKind.OUTLET,
    "newspaper": SourceKind.OUTLET,
    "outlet": SourceKind.OUTLET,
    "radio": SourceKind.OUTLET,
    "tv": SourceKind.OUTLET,
    "television": SourceKind.OUTLET,
    "organisation": SourceKind.MONITOR,
    "organization": SourceKind.MONITOR,
    "observatory": SourceKind.MONITOR,
    "monitor": SourceKind.MONITOR,
    "ngo": SourceKind.MONITOR,
    "ministry": SourceKind.OFFICIAL,
    "government": SourceKind.OFFICIAL,
    "spokesman": SourceKind.INDIVIDUAL,
    "spokesperson": SourceKind.INDIVIDUAL,
    "think tank": SourceKind.THINK_TANK,
    "institute": SourceKind.THINK_TANK,
}

_QUOTES = "\"'“”„‘’«»"
_AFFILIATION = re.compile(r"\s*\(([^()]{1,80})\)\s*$")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_KIND_TAIL = re.compile(r"\s+(" + "|".join(sorted(map(re.escape, KIND_WORDS), key=len, reverse=True)) + r")$",
                        re.IGNORECASE)
_SMALL_WORDS = frozenset({"for", "of", "the", "and", "in", "on", "al", "de", "la", "le"})


def kind_of(word: str | None) -> SourceKind:
    """The SourceKind a report's word gives ("network" -> social, "website" -> outlet);
    unknown for a word it does not know, or none."""
    if not word:
        return SourceKind.UNKNOWN
    word = " ".join(word.strip().lower().split())
    if word in KIND_WORDS:
        return KIND_WORDS[word]
    try:
        return SourceKind.parse(word, "type")
    except ValueError:
        return SourceKind.UNKNOWN


@frozen
class Mention:
    """A mention taken apart: the name it gives, and what it says beside the name."""

    name: str
    affiliation: str | None = None
    kind_word: str | None = None
    abbreviation: str | None = None


def clean_mention(mention: str) -> Mention:
    """'the Syrian Center for Human Rights (Opposition)' -> name 'Syrian Center for Human Rights',
    affiliation 'opposition'; 'The “Eyn Alfurat” network' -> 'Eyn Alfurat', kind word 'network'."""
    text = " ".join(mention.split())
    affiliation = abbreviation = None
    m = _AFFILIATION.search(text)
    if m and m.start() > 0:
        inside, text = m.group(1).strip(), text[:m.start()]
        # "(SOHR)" after "Syrian Observatory for Human Rights" is its abbreviation, not an affiliation
        if inside and normalise(inside).replace(" ", "") == initials(_ARTICLE.sub("", text.strip())):
            abbreviation = inside
        else:
            affiliation = inside.lower() or None
    text = _ARTICLE.sub("", text.strip())
    kind_word = None
    m = _KIND_TAIL.search(text)
    if m and m.start() > 0:
        kind_word = m.group(1).lower()
        text = text[:m.start()]
    text = _ARTICLE.sub("", text.strip().strip(_QUOTES + " ,").strip())
    return Mention(text or mention.strip(), affiliation, kind_word, abbreviation)


def initials(name: str) -> str:
    """'Syrian Center for Human Rights' -> 'schr' (small words skipped, casefolded)."""
    words = [w for w in normalise(name).split() if w not in _SMALL_WORDS]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


@frozen
class KnownSource:
    """What matching needs to know of a stored source."""

    key: str
    name: str
    aliases: tuple[str, ...] = field(default=(), converter=tuple)
    affiliation: str | None = None


@frozen
class SourceMatch:
    """The known source a mention names, how sure the match is (0-100), and the affiliation
    the mention offers where the source has none yet."""

    key: str
    name: str
    score: float
    offered_affiliation: str | None = None


def _names(source: KnownSource) -> Iterable[str]:
    yield source.key
    yield source.name
    yield from source.aliases


class SourceIndex:
    """The known sources, normalised once, for matching every mention of a report."""

    def __init__(self, known: Iterable[KnownSource]):
        self.sources: list[KnownSource] = []
        self.exact: dict[str, int] = {}
        self.by_initials: dict[str, int] = {}
        self.by_spelling: dict[str, int] = {}  # names.name_keys: transliterations, Arabic aliases
        self.choices: list[str] = []
        self.owners: list[int] = []
        for source in known:
            self.add(source)

    def add(self, source: KnownSource) -> None:
        i = len(self.sources)
        self.sources.append(source)
        for name in _names(source):
            norm = normalise(name)
            if not norm:
                continue
            self.exact.setdefault(norm, i)
            self.exact.setdefault(norm.replace(" ", ""), i)
            for k in name_keys(name):
                if len(k) >= MIN_SPELLING_KEY:
                    self.by_spelling.setdefault(k, i)
            letters = initials(name)
            if letters:
                self.by_initials.setdefault(letters, i)
            self.choices.append(norm)
            self.owners.append(i)

    def match(self, mention: str, *, affiliation: str | None = None, threshold: float = THRESHOLD) -> SourceMatch | None:
        """The known source ``mention`` names, or None (then it is a new source).

        Exact (normalised) name, alias or id first; then initials either way ("SCHR" for
        "Syrian Center for Human Rights", and back); then the best rapidfuzz ratio at or above
        ``threshold`` (a whole-string ratio, so "Syrian Center" is not "Syrian Center for
        Human Rights"). ``affiliation``: what the text says beside the mention when the
        extractor took it apart already (else the mention's own parentheses are read).
        """
        parts = clean_mention(mention)
        if affiliation:
            parts = Mention(parts.name, affiliation.strip().lower(), parts.kind_word, parts.abbreviation)
        # the name with its kind word first ("Syrian Arab News Agency" is a name), then without
        forms = [f"{parts.name} {parts.kind_word}"] if parts.kind_word else []
        best: tuple[int, float] | None = None
        for form in [*forms, parts.name]:
            wanted = normalise(form)
            if not wanted:
                continue
            if wanted in self.exact:
                return self._found(self.exact[wanted], 100.0, parts)
            squeezed = wanted.replace(" ", "")
            if len(squeezed) >= 2 and squeezed in self.by_initials:
                return self._found(self.by_initials[squeezed], 95.0, parts)
            spelled = [self.by_spelling[k] for k in name_keys(form) if len(k) >= MIN_SPELLING_KEY and k in self.by_spelling]
            if spelled:  # "Dayr az-Zawr 24" for "Deir ez-Zor 24"; an Arabic alias however its letters are written
                return self._found(spelled[0], 92.0, parts)
            letters = initials(form)
            if letters and letters in self.exact and not self._names_disagree(form, self.exact[letters], threshold):
                return self._found(self.exact[letters], 95.0, parts)
            found = process.extractOne(wanted, self.choices, scorer=fuzz.ratio, processor=None, score_cutoff=threshold)
            if found is not None and (best is None or found[1] > best[1]):
                best = (self.owners[found[2]], float(found[1]))
        if best is None and parts.abbreviation:  # "(SOHR)": the abbreviation, if the full names agree
            short = normalise(parts.abbreviation).replace(" ", "")
            i = self.exact.get(short)
            if i is not None and not self._names_disagree(parts.name, i, threshold):
                return self._found(i, 95.0, parts)
        return self._found(best[0], best[1], parts) if best else None

    def shortened(self, mention: str) -> KnownSource | None:
        """The one source whose name ``mention`` shortens: its leading two words or more
        ("المرصد السوري" after «المرصد السوري لحقوق الإنسان», "the Syrian Observatory" after "the
        Syrian Observatory for Human Rights"). A report names a source in full, then by its
        first words; meant for the sources a report itself introduced (a stored source is never
        merged by a shortened name: two stored names may share their first words)."""
        words = normalise(clean_mention(mention).name).split()
        if len(words) < 2:
            return None
        found = {i for i, source in enumerate(self.sources)
                 if (full := normalise(source.name).split())[:len(words)] == words and len(full) > len(words)}
        return self.sources[found.pop()] if len(found) == 1 else None

    def _names_disagree(self, full_name: str, i: int, threshold: float) -> bool:
        """Whether the known source ``i``, found by initials or an abbreviation, has a full name
        of its own that ``full_name`` is not: "Syrian Observatory for Human Rights" (SOHR) is not
        the stored ``sohr`` named "Syrian Center for Human Rights". Initials that agree across two
        different names are a coincidence, never a reason to merge."""
        wanted = normalise(full_name)
        theirs = [normalise(n) for n in _names(self.sources[i]) if initials(n)]
        return bool(theirs) and all(fuzz.ratio(wanted, n) < threshold for n in theirs)

    def _found(self, i: int, score: float, parts: Mention) -> SourceMatch:
        source = self.sources[i]
        offered = parts.affiliation if parts.affiliation and not source.affiliation else None
        return SourceMatch(source.key, source.name, score, offered)


def match_source(mention: str, known: Iterable[KnownSource], *, threshold: float = THRESHOLD) -> SourceMatch | None:
    """One mention against ``known`` (a report's many mentions: build one SourceIndex)."""
    return SourceIndex(known).match(mention, threshold=threshold)
