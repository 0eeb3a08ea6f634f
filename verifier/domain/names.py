"""Names across scripts and spellings: one key for a name however it is transliterated, and
the place gazetteer. Pure: no storage (the gazetteer's defaults are data beside the code).

Arabic names reach English reports in many Latin spellings: "Deir ez-Zor", "Deir al-Zour",
"Dayr az-Zawr". They differ where transliteration is free and agree where it is not:

- the article: al-, el-, and its assimilated forms (ad-, ar-, as-, ash-, az-, ez-, …) before a
  "sun letter" — dropped;
- vowels and the glides written for long vowels and diphthongs (ou/oo/u, ei/ay/ai, aw/ow) —
  the consonant skeleton is kept, as in Arabic itself, which writes short vowels not at all;
- doubled letters (Raqqa/Raqa), a final h of a feminine ending (Hasakah/Hasaka), the usual
  digraph variants (q/k, dh/d, th/t, gh/g, ou/w), hyphens, apostrophes and ʿayn/hamza marks.

``latin_key`` is that consonant skeleton ("Deir ez-Zor" -> "drzr"); ``arabic_key`` folds an
Arabic name (letter variants as ``normalisation`` folds them, the article ال dropped); ``name_keys``
gives a name's keys in whichever script it is written. Two names with a key in common are
candidates for one; a gazetteer or a recorded alias says which Arabic name a Latin one is.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from attrs import field, frozen
from rapidfuzz import fuzz

from verifier.domain.normalisation import normalise

# The Arabic article in Latin letters, whole or assimilated to a sun letter ("ad-Dawr", "ez-Zor").
ARTICLES = frozenset({
    "al", "el", "il", "ul", "l",
    "at", "ath", "ad", "adh", "ar", "az", "as", "ash", "an", "ed", "er", "es", "esh", "et", "ez", "en",
})
_APOSTROPHES = "'’‘ʿʾ`´"
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_DIGRAPHS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("dh", "d"), ("th", "t"), ("gh", "g"), ("ph", "f"),
             ("q", "k"), ("ck", "k"), ("c", "k"))
_NOT_SKELETON = re.compile(r"[aeiouwy]")  # vowels, and w, y after a word's first letter: glides ("Zawr", "Dayr")
_DOUBLED = re.compile(r"(.)\1+")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_VARIANTS = str.maketrans({"ة": "ه", "ى": "ي", "أ": "ا", "إ": "ا", "آ": "ا"})  # names are spelt both ways
_ARABIC_ARTICLE = re.compile(r"^(?:وال|بال|لل|ال)(?=\S{2,})")


def _latin_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    return _LATIN_WORD.findall(text)


def _skeleton(word: str) -> str:
    if len(word) > 3 and word.endswith(("ah", "eh")):  # the feminine ending: Hasakah, Hasakeh, Hasaka
        word = word[:-1]
    for a, b in _DIGRAPHS:
        word = word.replace(a, b)
    head, rest = word[:1], word[1:]
    head = "" if head in "aeiou" else head
    return _DOUBLED.sub(r"\1", head + _NOT_SKELETON.sub("", rest))


def latin_key(name: str) -> str:
    """The transliteration-folding key of a Latin name: its consonant skeleton, articles dropped,
    words run together ("Deir ez-Zor", "Deir al-Zour", "Dayr az-Zawr" -> "drzr"; "Abu Kamal",
    "Al-Bukamal" -> "bkml"). Empty for a name with no Latin letters."""
    words = [w for w in _latin_words(name) if w not in ARTICLES]
    return _DOUBLED.sub(r"\1", "".join(_skeleton(w) for w in words))


def arabic_key(name: str) -> str:
    """The key of an Arabic name: folded as ``normalisation`` folds Arabic (hamza forms, ى/ي,
    ة/ه, diacritics, tatweel), the article ال (with و, ب, ل before it) dropped from each word,
    words run together («دير الزور» and «دير ألزور» -> one key). Empty without Arabic letters."""
    words = [w.translate(_ARABIC_VARIANTS) for w in normalise(name).split() if _ARABIC.search(w)]
    return "".join(_ARABIC_ARTICLE.sub("", w) for w in words)


@lru_cache(maxsize=1 << 16)
def name_keys(name: str) -> frozenset[str]:
    """The keys of a name in the scripts it is written in (a Latin skeleton, an Arabic key)."""
    keys = {latin_key(name), arabic_key(name)}
    return frozenset(k for k in keys if len(k) >= 2)


# --------------------------------------------------------------------------- gazetteer

DEFAULT_PLACES = Path(__file__).with_name("places.tsv")
PLACES_ENV = "VERIFIER_PLACES"


@frozen
class Place:
    """A place of the gazetteer: its id, its kind (governorate, town), the governorate it lies
    in, and every name it goes by (Latin spellings first, then Arabic)."""

    key: str
    kind: str
    governorate: str
    names: tuple[str, ...] = field(converter=tuple)

    @property
    def name(self) -> str:
        return self.names[0]


class Gazetteer:
    """Places by every key of every name: ``find("Dayr az-Zawr")`` and ``find("دير الزور")``
    give the one place Deir ez-Zor."""

    def __init__(self, places: Iterable[Place]):
        self.places: dict[str, Place] = {}
        self._by_key: dict[str, str] = {}
        for place in places:
            self.add(place)

    def add(self, place: Place) -> None:
        """A place, or more names for a place already known (merged, the first spelling kept first)."""
        known = self.places.get(place.key)
        if known is not None:
            place = Place(known.key, known.kind, known.governorate,
                          tuple(dict.fromkeys([*known.names, *place.names])))
        self.places[place.key] = place
        for name in (place.key, *place.names):
            for k in name_keys(name):
                self._by_key.setdefault(k, place.key)

    def find(self, name: str) -> Place | None:
        """The place ``name`` names in any script or spelling, or None. A skeleton of fewer than
        three letters ("Hama" -> "hm", "Deir" -> "dr") is too common to decide alone: the name
        must then also be close to a recorded spelling (rapidfuzz ratio >= SHORT_KEY_RATIO)."""
        for k in sorted(name_keys(name), key=len, reverse=True):
            key = self._by_key.get(k)
            if key is None:
                continue
            place = self.places[key]
            if len(k) >= 3 or _close_to_a_spelling(name, place):
                return place
        return None

    def canonical(self, name: str | None) -> str | None:
        """The gazetteer's name for ``name`` ("Dayr az-Zawr" -> "Deir ez-Zor"), or ``name`` unchanged."""
        if not name:
            return name
        place = self.find(name)
        return place.name if place else name

    def same_place(self, a: str | None, b: str | None) -> bool:
        """Whether two location texts name one place (by the gazetteer, or by a key in common)."""
        if not a or not b:
            return False
        pa, pb = self.find(a), self.find(b)
        if pa is not None and pb is not None:
            return pa.key == pb.key
        return bool(name_keys(a) & name_keys(b))

    def places_in(self, text: str) -> list[Place]:
        """The places a text names (one to three words at a time), in the order they appear:
        what an extractor calls to read a claim's location."""
        words = text.split()
        found: list[Place] = []
        i = 0
        while i < len(words):
            for n in (3, 2, 1):
                chunk = " ".join(words[i:i + n]).strip(".,;:()«»\"'")
                place = self.find(chunk) if chunk and len(chunk) > 2 else None
                if place is not None and chunk[:1].isupper() or place is not None and _ARABIC.search(chunk):
                    if place not in found:
                        found.append(place)
                    i += n
                    break
            else:
                i += 1
        return found


SHORT_KEY_RATIO = 75.0


def _close_to_a_spelling(name: str, place: Place) -> bool:
    wanted = " ".join(w for w in _latin_words(name) if w not in ARTICLES) or normalise(name)
    spellings = [" ".join(w for w in _latin_words(n) if w not in ARTICLES) or normalise(n) for n in place.names]
    return max(fuzz.ratio(wanted, s) for s in spellings) >= SHORT_KEY_RATIO


def read_places(lines: Iterable[str], origin: str = "places") -> list[Place]:
    """Places from the gazetteer's file form (see ``places.tsv``); a bad line names its number."""
    out = []
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 5 or not cells[0].strip():
            raise ValueError(f"{origin}:{number}: expected 5 tab-separated columns "
                             "(id, kind, governorate, Latin names, Arabic names)")
        key, kind, gov, latin, arabic = (c.strip() for c in cells)
        names = [n.strip() for n in (*latin.split(";"), *arabic.split(";")) if n.strip()]
        if not names:
            raise ValueError(f"{origin}:{number}: a place needs at least one name")
        out.append(Place(key, kind or "place", gov or key, names))
    return out


@lru_cache(maxsize=4)
def _gazetteer(extra: str | None) -> Gazetteer:
    places = read_places(DEFAULT_PLACES.read_text(encoding="utf-8").splitlines(), str(DEFAULT_PLACES))
    if extra:
        path = Path(extra)
        places += read_places(path.read_text(encoding="utf-8").splitlines(), str(path))
    return Gazetteer(places)


def gazetteer(extra: str | os.PathLike | None = None) -> Gazetteer:
    """The shipped places, extended by the analyst's file (``extra``, else $VERIFIER_PLACES)."""
    extra = extra or os.environ.get(PLACES_ENV) or None
    return _gazetteer(str(extra) if extra else None)
