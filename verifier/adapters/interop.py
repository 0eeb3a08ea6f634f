"""Interchange with fact-checkers and threat-intelligence platforms: ClaimReview, STIX 2.1.

ClaimReview (schema.org JSON-LD) import
---------------------------------------
``verifier import FILE.json --format claimreview`` (``.jsonld`` files are recognised)
reads a single ``ClaimReview`` object, a list of them, or an ``@graph`` holding them (other
objects are skipped). For each review:

* ``claimReviewed`` becomes a **claim** by ``itemReviewed.author``: the source id is its
  ``identifier`` when that is a valid id, else its ``name`` (a name that is not a valid id
  becomes a slug, as in :func:`verifier.adapters.tabular.source_key`); without
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

STIX 2.1 export
---------------
``verifier export --format stix`` (needs ``pip install 'verifier[interop]'``: the ``stix2``
library, imported only here): a bundle of

* one ``identity`` per source, ``x_opencti_reliability`` its current Admiralty letter as
  OpenCTI spells it ("B - Usually reliable"), ``identity_class`` from its type;
* one ``note`` per claim: ``content`` the text, ``authors`` the source's name, ``object_refs``
  the source's identity then its relays' (nearest first), ``confidence`` from the claim's
  Admiralty credibility with the STIX 2.1 normative mapping (1 -> 90, 2 -> 70, 3 -> 50,
  4 -> 30, 5 -> 10, 6 "cannot be judged" -> no confidence); custom ``x_verifier_*`` keep
  the id, status and belief;
* one ``opinion`` per resolution (history included): true -> strongly-agree, mostly-true ->
  agree, mixed and unverifiable -> neutral, mostly-false -> disagree, false ->
  strongly-disagree; ``x_verifier_verdict`` keeps the exact verdict;
* one ``relationship`` (custom types ``corroborates`` / ``contradicts``) per confirmed link.

Ids are uuid5 of the source/claim keys (and of the resolution's claim, verdict and date), and
timestamps come from the data, so exporting the same database twice gives the same bundle.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from verifier.adapters import orm
from verifier.adapters.decoding import ImportFileError, Record, validate
from verifier.adapters.tabular import parse_verdict_map, source_key
from verifier.domain import model

S, C, L, R, D = orm.sources, orm.claims, orm.links, orm.resolutions, orm.documents

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
            mapped = verdict_map.get(re.sub(r"[\s_\-]+", "-", name.strip().lower()).strip("-"))
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
    """(display name, source id) of a schema.org Person/Organization (or a bare name)."""
    who = _first(who)
    if who is None:
        return None, None
    if isinstance(who, str):
        return (who.strip() or None), source_key(who) if who.strip() else None
    if not isinstance(who, dict):
        return None, None
    name = who.get("name") if isinstance(who.get("name"), str) else None
    ident = who.get("identifier")
    if isinstance(ident, str) and model.KEY_RE.match(ident.strip()):
        return (name or ident.strip()), ident.strip()
    if name and name.strip():
        return name.strip(), source_key(name)
    return None, None


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
    def fail(field: str, problem: str):
        return ImportFileError(file, None, f"{where}.{field}", problem)

    def checked(kind: str, data: dict) -> Record:
        try:
            return validate(kind, data, file, number)
        except ImportFileError as exc:
            field = {"text": "claimReviewed", "published": "datePublished", "at": "datePublished"}.get(exc.field, exc.field)
            raise fail(field or kind, exc.problem) from None

    claimed = review.get("claimReviewed")
    if not isinstance(claimed, str) or not claimed.strip():
        raise fail("claimReviewed", "is required (the text of the claim)")
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    author_name, author_key = _name_and_key(item.get("author"))
    author_key = author_key or "unknown"
    org_name, org_key = _name_and_key(review.get("author"))
    rating = _first(review.get("reviewRating"))
    if rating is None:
        raise fail("reviewRating", "is required")
    try:
        verdict = rating_to_verdict(rating, verdict_map)
    except ValueError as exc:
        raise fail("reviewRating", str(exc)) from None

    ident = item.get("identifier") if isinstance(item.get("identifier"), (str, int)) else ""
    claim_key = "cr-" + _hash(author_key, " ".join(claimed.split()).lower(), str(ident))
    url = review.get("url") if isinstance(review.get("url"), str) and review.get("url").strip() else None
    published = review.get("datePublished") if isinstance(review.get("datePublished"), str) else None

    # the review, published by the organisation (which makes the organisation a source)
    if org_key and url:
        doc_key = "cr-review-" + _hash(url)
        if doc_key not in seen_docs:
            seen_docs.add(doc_key)
            title = review.get("headline") or review.get("name")
            yield checked("document", {"id": doc_key, "title": title if isinstance(title, str) else f"{org_name} review",
                                       "url": url, "publisher": org_key, "published": published})

    first = _works(item.get("firstAppearance"))
    others = _works(item.get("appearance"))
    appearance = (first or others or [None])[0]
    doc = None
    if appearance is not None and appearance.get("url"):
        doc = "cr-doc-" + _hash(appearance["url"])
        if doc not in seen_docs:
            seen_docs.add(doc)
            yield checked("document", {"id": doc, "url": appearance["url"], "title": appearance.get("title"),
                                       "published": appearance.get("published")})
    also = [w["url"] for w in [*first, *others] if w.get("url") and w is not appearance
            and w["url"] != (appearance or {}).get("url")]

    if claim_key not in seen_claims:
        seen_claims.add(claim_key)
        claim = {"id": claim_key, "text": claimed.strip(), "source": author_key, "document": doc}
        if isinstance(item.get("datePublished"), str):
            claim["published"] = item["datePublished"]
        yield checked("claim", claim)

    body = review.get("reviewBody") if isinstance(review.get("reviewBody"), str) and review.get("reviewBody").strip() else None
    if body is None:
        label = rating.get("alternateName") if isinstance(rating, dict) else None
        scale = ""
        if isinstance(rating, dict) and rating.get("ratingValue") not in (None, ""):
            scale = (f" ({rating.get('ratingValue')} on a scale from {rating.get('worstRating', 1)} "
                     f"to {rating.get('bestRating', 5)})")
        body = f"{org_name or 'The reviewer'} rated it {label!r}{scale}." if label else \
            f"{org_name or 'The reviewer'} rated it{scale or ' (no rating name)'}."
    if also:
        body += " Also appeared at: " + ", ".join(dict.fromkeys(also)) + "."
    res = {"claim": claim_key, "verdict": verdict, "at": published, "evidence": url, "rationale": body,
           "analyst": org_name}
    yield checked("resolution", {k: v for k, v in res.items() if v is not None})


# --------------------------------------------------------------------------- ClaimReview export

def _iso(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.isoformat(timespec="seconds") if v.microsecond == 0 else v.isoformat()
    return v.isoformat()


def claimreviews(session) -> list[dict]:
    """One ClaimReview per resolved claim (its latest verdict), in claim order."""
    latest: dict[int, Any] = {}
    for r in session.execute(select(R).order_by(R.c.at, R.c.id)):
        latest[r.claim_id] = r
    if not latest:
        return []
    sources = {r.id: r for r in session.execute(select(S.c.id, S.c.key, S.c.name, S.c.kind))}
    docs = {r.id: r for r in session.execute(select(D.c.id, D.c.url, D.c.title, D.c.published))}
    out = []
    ids = sorted(latest)
    for i in range(0, len(ids), 500):
        for c in session.execute(select(C.c.id, C.c.key, C.c.text, C.c.source_id, C.c.document_id, C.c.published)
                                 .where(C.c.id.in_(ids[i:i + 500])).order_by(C.c.id)):
            res = latest[c.id]
            src = sources[c.source_id]
            item: dict[str, Any] = {
                "@type": "Claim", "identifier": c.key,
                "author": {"@type": "Person" if src.kind == "individual" else "Organization",
                           "name": src.name, "identifier": src.key},
            }
            if c.published:
                item["datePublished"] = _iso(c.published)
            doc = docs.get(c.document_id)
            if doc is not None and doc.url:
                work = {"@type": "CreativeWork", "url": doc.url}
                if doc.title:
                    work["headline"] = doc.title
                if doc.published:
                    work["datePublished"] = _iso(doc.published)
                item["firstAppearance"] = work
                item["appearance"] = [work]
            review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
            if res.evidence:
                review["url"] = res.evidence
            review.update({
                "datePublished": _iso(res.at),
                "author": {"@type": "Organization", "name": res.analyst or "verifier"},
                "claimReviewed": c.text,
                "itemReviewed": item,
                "reviewRating": verdict_to_rating(res.verdict),
            })
            if res.rationale:
                review["reviewBody"] = res.rationale
            out.append(review)
    return out


# --------------------------------------------------------------------------- STIX 2.1 export

#: uuid5 namespace of verifier's STIX ids (uuid5(NAMESPACE_URL, "https://verifier.invalid/stix/2.1")).
STIX_NAMESPACE = uuid.UUID("91fc87c4-83c3-50c0-a211-ab2c42107d80")

OPENCTI_RELIABILITY = {
    "A": "A - Completely reliable",
    "B": "B - Usually reliable",
    "C": "C - Fairly reliable",
    "D": "D - Not usually reliable",
    "E": "E - Unreliable",
    "F": "F - Reliability cannot be judged",
}
#: STIX 2.1 normative mapping (Appendix A, Admiralty Credibility); 6 has no value.
CREDIBILITY_CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
OPINION = {
    "true": "strongly-agree", "mostly-true": "agree", "mixed": "neutral", "unverifiable": "neutral",
    "mostly-false": "disagree", "false": "strongly-disagree",
}
IDENTITY_CLASS = {
    "individual": "individual", "social": "group", "unknown": "unknown",
    "outlet": "organization", "monitor": "organization", "official": "organization", "think-tank": "organization",
}


def stix_id(kind: str, *key: str) -> str:
    return f"{kind}--{uuid.uuid5(STIX_NAMESPACE, '/'.join((kind, *key)))}"


def _utc(v) -> datetime:
    if not isinstance(v, datetime):
        v = datetime(v.year, v.month, v.day)
    return v.replace(tzinfo=UTC) if v.tzinfo is None else v


def _stix2():
    try:
        import stix2
    except ImportError:
        raise model.DomainError("format", "STIX export needs the stix2 library: pip install 'verifier[interop]'") from None
    return stix2


def stix_bundle(session, letters: Mapping[str, Mapping[str, Any]]):
    """The STIX 2.1 bundle (a ``stix2.Bundle``) of the database; see the module docstring.
    ``letters``: source id -> its reliability ("letter", "score"), as the read side lists them."""
    stix2 = _stix2()
    objects: list = []
    src_ref: dict[int, str] = {}
    src_name: dict[int, str] = {}
    for r in session.execute(select(S).order_by(S.c.id)):
        ref = stix_id("identity", r.key)
        src_ref[r.id], src_name[r.id] = ref, r.name
        info = letters.get(r.key, {})
        props: dict[str, Any] = {
            "id": ref, "name": r.name, "identity_class": IDENTITY_CLASS.get(r.kind, "unknown"),
            "created": _utc(r.created_at), "modified": _utc(r.created_at),
            "x_opencti_reliability": OPENCTI_RELIABILITY[info.get("letter", "F")],
            "x_verifier_source_id": r.key,
        }
        if r.notes:
            props["description"] = r.notes
        if r.aliases:
            props["x_opencti_aliases"] = list(r.aliases)
        if r.affiliation:
            props["x_verifier_affiliation"] = r.affiliation
        if r.grade:
            props["x_verifier_grade"] = r.grade
        if "score" in info:
            props["x_verifier_score"] = info["score"]
        objects.append(stix2.Identity(allow_custom=True, **props))

    relays: dict[int, list[int]] = {}
    for cid, sid in session.execute(select(orm.claim_relays.c.claim_id, orm.claim_relays.c.source_id)
                                    .order_by(orm.claim_relays.c.claim_id, orm.claim_relays.c.position)):
        relays.setdefault(cid, []).append(sid)
    docs = {r.id: r for r in session.execute(select(D.c.id, D.c.key, D.c.url, D.c.title))}
    claim_ref: dict[int, str] = {}
    claim_key: dict[int, str] = {}
    for c in session.execute(select(C).order_by(C.c.id)):
        ref = stix_id("note", c.key)
        claim_ref[c.id], claim_key[c.id] = ref, c.key
        props = {
            "id": ref, "abstract": f"Claim {c.key} by {src_name[c.source_id]}", "content": c.text,
            "authors": [src_name[c.source_id]],
            "object_refs": [src_ref[c.source_id], *(src_ref[s] for s in relays.get(c.id, ()) if s != c.source_id)],
            "created": _utc(c.created_at), "modified": _utc(c.created_at),
            "x_verifier_claim_id": c.key, "x_verifier_status": c.status,
        }
        if c.credibility in CREDIBILITY_CONFIDENCE:
            props["confidence"] = CREDIBILITY_CONFIDENCE[c.credibility]
        if c.credibility is not None:
            props["x_verifier_credibility"] = c.credibility
        if c.belief is not None:
            props["x_verifier_belief"] = round(float(c.belief), 4)
        if c.published:
            props["x_verifier_published"] = c.published.isoformat()
        if c.tags:
            props["labels"] = [t for t in c.tags if t]
        doc = docs.get(c.document_id)
        if doc is not None and doc.url:
            props["external_references"] = [{"source_name": doc.title or doc.key, "url": doc.url}]
        objects.append(stix2.Note(allow_custom=True, **props))

    for r in session.execute(select(R).order_by(R.c.at, R.c.id)):
        key = claim_key[r.claim_id]
        props = {
            "id": stix_id("opinion", key, r.verdict, _iso(r.at), str(r.id)),
            "opinion": OPINION[r.verdict], "object_refs": [claim_ref[r.claim_id]],
            "created": _utc(r.at), "modified": _utc(max(r.at, r.created_at)),
            "x_verifier_verdict": r.verdict,
        }
        if r.rationale:
            props["explanation"] = r.rationale
        if r.analyst:
            props["authors"] = [r.analyst]
        if r.evidence:
            props["external_references"] = [{"source_name": "evidence", "url": r.evidence}]
        objects.append(stix2.Opinion(allow_custom=True, **props))

    for r in session.execute(select(L).where(L.c.relation.in_(("corroborates", "contradicts")), L.c.state == "confirmed")
                             .order_by(L.c.id)):
        a, b = claim_key[r.from_id], claim_key[r.to_id]
        props = {
            "id": stix_id("relationship", a, r.relation, b), "relationship_type": r.relation,
            "source_ref": claim_ref[r.from_id], "target_ref": claim_ref[r.to_id],
            "created": _utc(r.created_at), "modified": _utc(r.updated_at), "x_verifier_origin": r.origin,
        }
        if r.note:
            props["description"] = r.note
        objects.append(stix2.Relationship(allow_custom=True, **props))

    bundle_id = stix_id("bundle", hashlib.sha1("\n".join(o.id for o in objects).encode()).hexdigest())
    return stix2.Bundle(objects=objects, id=bundle_id, allow_custom=True)


# --------------------------------------------------------------------------- entry point

def export(session, fmt: str, letters: Mapping[str, Mapping[str, Any]]) -> str:
    """The text of an export in ``fmt``: ``claimreview`` (a JSON list) or ``stix`` (a bundle,
    its sources graded by ``letters``, see :func:`stix_bundle`)."""
    if fmt == "claimreview":
        return json.dumps(claimreviews(session), ensure_ascii=False, indent=2)
    if fmt == "stix":
        # stix2's own pretty printer is quadratic in the bundle's size: indent it with json
        return json.dumps(json.loads(stix_bundle(session, letters).serialize()), ensure_ascii=False, indent=2)
    raise model.DomainError("format", f"unknown export format {fmt!r} (jsonl, claimreview or stix)")


__all__ = ["read_claimreview", "rating_to_verdict", "verdict_to_rating", "claimreviews", "stix_bundle", "export"]
