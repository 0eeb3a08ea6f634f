"""ClaimReview (schema.org JSON-LD): the reader, and the rating mapping both ways.

ClaimReview (schema.org JSON-LD) import
---------------------------------------
``verifier import FILE.json --format claimreview`` (``.jsonld`` files are recognised)
reads a single ``ClaimReview`` object, a list of them, or an ``@graph`` holding them (other
objects are skipped). For each review:

* ``claimReviewed`` becomes a **claim** by ``itemReviewed.author``: the source id is its
  ``identifier`` when that is a valid id, else its ``name`` (a name that is not a valid id
  becomes a slug, as in :func:`verifier.domain.model.source_key`); without
  an author the claim's source is ``unknown``. ``itemReviewed.datePublished`` is the claim's
  published date. The claim id is ``cr-`` + a hash of the author, the text and
  ``itemReviewed.identifier`` (if any), so two reviews of the same claim give one claim with
  two verdicts, and re-importing adds nothing. (The identifier never becomes the id itself:
  importing a review must not overwrite a tracked claim that happens to share its id.)
* ``itemReviewed.firstAppearance`` (else the first ``appearance``) becomes the claim's
  **document** (url, headline or name, datePublished). Further appearances are kept in the
  resolution's rationale ("Also appeared at: URL, URL").
* ``reviewRating`` becomes a **resolution** by the reviewing organisation (the review's
  ``author``: the resolution's analyst is its name) dated ``datePublished``, with the review's
  ``url`` as evidence and ``reviewBody`` (else a sentence naming the rating) as rationale.
  A review with a ``url`` is also kept as a document (title ``headline``/``name``) published
  by the organisation, so the organisation is a source too.

Rating mapping (both ways)
--------------------------
Import: the ``alternateName`` first (``--verdict-map`` labels, then the table below, ignoring
case, punctuation, ``-`` and ``_``); when it is absent or not recognised, the numeric
``ratingValue`` is placed between ``worstRating`` (default 1) and ``bestRating`` (default 5):
``p = (value - worst) / (best - worst)`` (a scale whose best is its lowest number works too),
and the nearest of the five ordered verdicts is taken: p 0 false, 0.25 mostly-false, 0.5 mixed,
0.75 mostly-true, 1 true (``round(4 p)``, halves rounding up). A rating with neither a known
name nor a number in range is an error naming the review (``FILE: [3].reviewRating: ...``).

============== ==========================================================================
verdict        alternateName read as it (besides the verdict's own name)
============== ==========================================================================
true           correct, accurate, verified, geppetto checkmark
mostly-true    mostly correct, mostly accurate, largely true, one pinocchio
mixed          half true, mixture, partly true, partly false, partially true, half right,
               two pinocchios
mostly-false   barely true, misleading, largely false, mostly inaccurate, three pinocchios
false          pants on fire, pants fire, incorrect, inaccurate, wrong, fake, fabricated,
               untrue, not true, hoax, four pinocchios
unverifiable   unproven, unsupported, no evidence, not verifiable, cannot be verified
============== ==========================================================================

Export (``verifier export --format claimreview``): a JSON list, one ClaimReview per resolved
claim (its latest verdict), rated on 1..5 with ``alternateName``:

============== =========== ===============
verdict        ratingValue alternateName
============== =========== ===============
true           5           True
mostly-true    4           Mostly True
mixed          3           Mixed
mostly-false   2           Mostly False
false          1           False
unverifiable   (none)      Unverifiable
============== =========== ===============

``itemReviewed.author.identifier`` carries the source id and ``reviewBody`` the rationale,
so re-importing the export reproduces the verdicts, sources and rationales.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from attrs import frozen

from verifier.adapters.decoding import (
    ImportFileError,
    Record,
    parse_verdict_map,
    repeated_key,
    validate,
    verdict_label,
)
from verifier.domain.checks import KEY_RE, source_key

# --------------------------------------------------------------------------- rating mapping

ORDERED = ("false", "mostly-false", "mixed", "mostly-true", "true")

_LABELS: dict[str, tuple[str, ...]] = {
    "true": ("true", "correct", "accurate", "verified", "geppetto checkmark"),
    "mostly-true": ("mostly true", "mostly correct", "mostly accurate", "largely true", "one pinocchio"),
    "mixed": ("mixed", "half true", "mixture", "partly true", "partly false", "partially true", "half right",
              "two pinocchios"),
    "mostly-false": ("mostly false", "barely true", "misleading", "largely false", "mostly inaccurate",
                     "three pinocchios"),
    "false": ("false", "pants on fire", "pants fire", "incorrect", "inaccurate", "wrong", "fake", "fabricated",
              "untrue", "not true", "hoax", "four pinocchios"),
    "unverifiable": ("unverifiable", "unproven", "unsupported", "no evidence", "not verifiable",
                     "cannot be verified"),
}
LABEL_TO_VERDICT = {label: verdict for verdict, labels in _LABELS.items() for label in labels}

VERDICT_TO_RATING: dict[str, tuple[int | None, str]] = {
    "true": (5, "True"),
    "mostly-true": (4, "Mostly True"),
    "mixed": (3, "Mixed"),
    "mostly-false": (2, "Mostly False"),
    "false": (1, "False"),
    "unverifiable": (None, "Unverifiable"),
}


def _norm_label(text: str) -> str:
    text = re.sub(r"[\-_]+", " ", text.strip().lower())
    text = re.sub(r"[^\w\s]+", "", text)
    return " ".join(text.split())


def _number(value: Any, name: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name} is not a number: {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is not a number: {value!r}") from None


def rating_to_verdict(rating: Any, verdict_map: dict[str, str] | None = None) -> str:
    """A schema.org ``Rating`` -> a verifier verdict (the mapping in the module docstring).
    Raises ValueError with a message naming the problem."""
    if not isinstance(rating, dict):
        raise ValueError(f"expected a Rating object, got {type(rating).__name__}")
    name = rating.get("alternateName")
    if isinstance(name, list):
        name = next((n for n in name if isinstance(n, str)), None)
    if isinstance(name, str) and name.strip():
        if verdict_map:
            mapped = verdict_map.get(verdict_label(name))
            if mapped:
                return mapped
        key = _norm_label(name)
        if key in LABEL_TO_VERDICT:
            return LABEL_TO_VERDICT[key]
    value = _number(rating.get("ratingValue"), "ratingValue")
    if value is None:
        if isinstance(name, str) and name.strip():
            raise ValueError(f"unknown rating {name!r} and no ratingValue; translate it with --verdict-map "
                             f"'{name.strip().lower().replace(' ', '-')}=VERDICT'")
        raise ValueError("neither alternateName nor ratingValue")
    best = _number(rating.get("bestRating"), "bestRating")
    worst = _number(rating.get("worstRating"), "worstRating")
    best = 5.0 if best is None else best
    worst = 1.0 if worst is None else worst
    if best == worst:
        raise ValueError(f"bestRating and worstRating are both {best:g}")
    if not min(best, worst) <= value <= max(best, worst):
        raise ValueError(f"ratingValue {value:g} is outside worstRating..bestRating ({worst:g}..{best:g})")
    p = (value - worst) / (best - worst)
    return ORDERED[int(p * 4 + 0.5)]


def verdict_to_rating(verdict: str) -> dict:
    value, label = VERDICT_TO_RATING[verdict]
    rating: dict[str, Any] = {"@type": "Rating"}
    if value is not None:
        rating.update(ratingValue=value, bestRating=5, worstRating=1)
    rating["alternateName"] = label
    return rating


# --------------------------------------------------------------------------- ClaimReview import

def _is_claimreview(obj: dict) -> bool:
    t = obj.get("@type")
    types = t if isinstance(t, list) else [t]
    return any(isinstance(x, str) and re.split(r"[/:#]", x)[-1] == "ClaimReview" for x in types)


def _find_reviews(data: Any, where: str) -> Iterator[tuple[str, dict]]:
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from _find_reviews(item, f"{where}[{i}]")
    elif isinstance(data, dict):
        if _is_claimreview(data):
            yield where or "[0]", data
        elif isinstance(data.get("@graph"), list):
            yield from _find_reviews(data["@graph"], f"{where}@graph")


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _name_and_key(who: Any) -> tuple[str | None, str | None]:
    """(display name, source reference) of a schema.org Person/Organization (or a bare name):
    its identifier, else its name as written (the import gives a source only named the id
    ``checks.source_key`` gives that name, as every path does)."""
    who = _first(who)
    if who is None:
        return None, None
    if isinstance(who, str):
        return (who.strip() or None), _reference(who) if who.strip() else None
    if not isinstance(who, dict):
        return None, None
    name = who.get("name") if isinstance(who.get("name"), str) else None
    ident = who.get("identifier")
    if isinstance(ident, str) and KEY_RE.match(ident.strip()):
        return (name or ident.strip()), ident.strip()
    if name and name.strip():
        return name.strip(), _reference(name)
    return None, None


def _reference(name: str) -> str:
    name = name.strip()
    return name if KEY_RE.match(name) else source_key(name)


def _works(value: Any) -> list[dict]:
    """Appearances as [{url, title, published}] (a CreativeWork or a bare URL each)."""
    out = []
    for item in value if isinstance(value, list) else [value] if value is not None else []:
        if isinstance(item, str) and item.strip():
            out.append({"url": item.strip()})
        elif isinstance(item, dict):
            url = item.get("url") or item.get("@id")
            title = item.get("headline") or item.get("name")
            work = {"url": url.strip() if isinstance(url, str) and url.strip() else None,
                    "title": title if isinstance(title, str) else None,
                    "published": item.get("datePublished") if isinstance(item.get("datePublished"), str) else None}
            if work["url"] or work["title"]:
                out.append(work)
    return out


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def looks_like_json_ld(path: Path) -> bool:
    """A ``.json`` file that is not JSON Lines: it opens a list, or its first line is not one
    complete object with a ``kind`` (a pretty-printed or single ClaimReview object)."""
    with open(path, "rb") as fh:
        first = fh.readline(1 << 20).decode("utf-8-sig", errors="replace").strip()
    if first.startswith("["):
        return True
    if not first.startswith("{"):
        return False
    try:
        obj = json.loads(first)
    except ValueError:
        return True
    return not (isinstance(obj, dict) and "kind" in obj)


def read_claimreview(path: str | Path, *, verdict_map: dict[str, str] | str | None = None) -> Iterator[Record]:
    """Claims, documents and resolutions from ClaimReview JSON-LD (see the module docstring)."""
    path = Path(path)
    name = str(path)
    if isinstance(verdict_map, str):
        verdict_map = parse_verdict_map(verdict_map)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ImportFileError(name, line, None, f"not valid UTF-8 (byte {exc.start + 1})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(name, exc.lineno, None, f"not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise ImportFileError(name, None, None, "not valid JSON (nested too deeply)") from None
    if (twice := repeated_key(text, data)) is not None:
        raise ImportFileError(name, None, twice, "given twice in one object (which one is meant?)")
    reviews = list(_find_reviews(data, ""))
    if not reviews:
        raise ImportFileError(name, None, None, "no ClaimReview objects (expected a ClaimReview, a list of them, "
                                                "or an @graph holding them)")
    seen_claims: set[str] = set()
    seen_docs: set[str] = set()
    for number, (where, review) in enumerate(reviews, start=1):
        yield from _review_records(name, number, where, review, verdict_map or {}, seen_claims, seen_docs)


def _review_records(file: str, number: int, where: str, review: dict, verdict_map: dict[str, str],
                    seen_claims: set[str], seen_docs: set[str]) -> Iterator[Record]:
    """The records of one review (the ``number``-th, at ``where`` in ``file``): the review's own
    document, the claim's document, the claim, and the resolution. A claim or document already
    in ``seen_claims``/``seen_docs`` is not given again."""
    at = _ReviewAt(file, number, where)
    claimed = review.get("claimReviewed")
    if not isinstance(claimed, str) or not claimed.strip():
        raise at.fail("claimReviewed", "is required (the text of the claim)")
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    author_key = _name_and_key(item.get("author"))[1] or "unknown"
    org_name, org_key = _name_and_key(review.get("author"))
    rating, verdict = _rating_and_verdict(review, verdict_map, at)

    ident = item.get("identifier") if isinstance(item.get("identifier"), (str, int)) else ""
    claim_key = "cr-" + _hash(author_key, " ".join(claimed.split()).lower(), str(ident))
    url = _text(review.get("url"))
    published = review.get("datePublished") if isinstance(review.get("datePublished"), str) else None

    # the review, published by the organisation (which makes the organisation a source)
    review_doc = "cr-review-" + _hash(url) if org_key and url else None
    if review_doc is not None and _first_time(review_doc, seen_docs):
        title = review.get("headline") or review.get("name")
        yield at.checked("document", {"id": review_doc, "title": title if isinstance(title, str) else f"{org_name} review",
                                      "url": url, "publisher": org_key, "published": published})

    appearance, also = _appearances(item)
    doc = "cr-doc-" + _hash(appearance["url"]) if appearance is not None and appearance.get("url") else None
    if doc is not None and _first_time(doc, seen_docs):
        yield at.checked("document", {"id": doc, "url": appearance["url"], "title": appearance.get("title"),
                                      "published": appearance.get("published")})

    if _first_time(claim_key, seen_claims):
        claim = {"id": claim_key, "text": claimed.strip(), "source": author_key, "document": doc}
        if isinstance(item.get("datePublished"), str):
            claim["published"] = item["datePublished"]
        yield at.checked("claim", claim)

    body = _rationale(review, rating, org_name, also)
    res = {"claim": claim_key, "verdict": verdict, "at": published, "evidence": url, "rationale": body,
           "analyst": org_name}
    yield at.checked("resolution", {k: v for k, v in res.items() if v is not None})


@frozen
class _ReviewAt:
    """A review's place in its file, for validating its records and naming its fields in errors."""

    file: str
    number: int
    where: str

    def fail(self, field: str, problem: str) -> ImportFileError:
        return ImportFileError(self.file, None, f"{self.where}.{field}", problem)

    def checked(self, kind: str, data: dict) -> Record:
        """``data`` validated as a record of this ``kind``; a problem names the review's field."""
        try:
            return validate(kind, data, self.file, self.number)
        except ImportFileError as exc:
            field = _REVIEW_FIELD.get(exc.field, exc.field)
            raise self.fail(field or kind, exc.problem) from None


#: the review's field behind a record's field, where their names differ
_REVIEW_FIELD = {"text": "claimReviewed", "published": "datePublished", "at": "datePublished"}


def _first_time(key: str, seen: set[str]) -> bool:
    """Whether ``key`` is new to ``seen`` (it is in ``seen`` afterwards either way)."""
    if key in seen:
        return False
    seen.add(key)
    return True


def _rating_and_verdict(review: dict, verdict_map: dict[str, str], at: _ReviewAt) -> tuple[Any, str]:
    """The review's rating, and the verdict it means."""
    rating = _first(review.get("reviewRating"))
    if rating is None:
        raise at.fail("reviewRating", "is required")
    try:
        return rating, rating_to_verdict(rating, verdict_map)
    except ValueError as exc:
        raise at.fail("reviewRating", str(exc)) from None


def _appearances(item: dict) -> tuple[dict | None, list[str]]:
    """Where the reviewed claim appeared: the first appearance (else the first of the others,
    None without any), and the URLs of the others."""
    first = _works(item.get("firstAppearance"))
    others = _works(item.get("appearance"))
    appearance = (first or others or [None])[0]
    also = [w["url"] for w in [*first, *others] if w.get("url") and w is not appearance
            and w["url"] != (appearance or {}).get("url")]
    return appearance, also


def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _rationale(review: dict, rating, org_name: str | None, also: list[str]) -> str:
    """The review's body, else a sentence naming its rating; then where else the claim appeared."""
    body = _text(review.get("reviewBody"))
    if body is None:
        label = rating.get("alternateName") if isinstance(rating, dict) else None
        scale = ""
        if isinstance(rating, dict) and rating.get("ratingValue") not in (None, ""):
            scale = (f" ({rating.get('ratingValue')} on a scale from {rating.get('worstRating', 1)} "
                     f"to {rating.get('bestRating', 5)})")
        who = org_name or "The reviewer"
        body = f"{who} rated it {label!r}{scale}." if label else f"{who} rated it{scale or ' (no rating name)'}."
    if also:
        body += " Also appeared at: " + ", ".join(dict.fromkeys(also)) + "."
    return body


__all__ = ["read_claimreview", "looks_like_json_ld", "rating_to_verdict", "verdict_to_rating"]
