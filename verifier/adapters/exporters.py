"""Exports: everything in the import format (JSON Lines, streamed from the database), ClaimReview
(one review per resolved claim, rated as :mod:`verifier.adapters.claimreview` maps verdicts) and
STIX 2.1 (:mod:`verifier.adapters.stix`)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import select

from verifier.adapters import orm
from verifier.adapters.claimreview import verdict_to_rating
from verifier.adapters.stix import stix_bundle
from verifier.domain.checks import iso
from verifier.domain.errors import DomainError
from verifier.domain.values import value_record

S, C, L, R, D = orm.sources, orm.claims, orm.links, orm.resolutions, orm.documents


def _clean(record: dict) -> dict:
    return {k: v for k, v in record.items() if v is not None and v != [] and v != ""}


def records(session, batch: int = 5000) -> Iterator[dict]:
    src_key = dict(session.execute(select(S.c.id, S.c.key)).all())
    for r in session.execute(select(S).order_by(S.c.id)).yield_per(batch):
        yield _clean({"kind": "source", "id": r.key, "name": r.name, "type": r.kind, "aliases": list(r.aliases or []),
                      "affiliation": r.affiliation, "parent": src_key.get(r.parent_id), "grade": r.grade, "notes": r.notes})
    doc_key = {}
    for r in session.execute(select(D).order_by(D.c.id)).yield_per(batch):
        doc_key[r.id] = r.key
        yield _clean({"kind": "document", "id": r.key, "title": r.title, "url": r.url,
                      "publisher": src_key.get(r.publisher_id), "published": iso(r.published), "retrieved": iso(r.retrieved)})
    relays: dict[int, list[str]] = {}
    for cid, sid in session.execute(select(orm.claim_relays.c.claim_id, orm.claim_relays.c.source_id)
                                    .order_by(orm.claim_relays.c.claim_id, orm.claim_relays.c.position)):
        relays.setdefault(cid, []).append(src_key[sid])
    claim_key: dict[int, str] = {}
    for r in session.execute(select(C).order_by(C.c.id)).yield_per(batch):
        claim_key[r.id] = r.key
        rec = {"kind": "claim", "id": r.key, "text": r.text, "source": src_key[r.source_id], "via": relays.get(r.id, []),
               "document": doc_key.get(r.document_id), "published": iso(r.published), "event_date": iso(r.event_date),
               "location": r.location, "tags": list(r.tags or []), "subject": r.subject}
        rec.update(value_record(r.qualifier, r.value_num, r.value_high, r.value_text, r.unit))
        yield _clean(rec)
    for r in session.execute(select(L).order_by(L.c.id)).yield_per(batch):
        yield _clean({"kind": "link", "from": claim_key[r.from_id], "to": claim_key[r.to_id], "relation": r.relation,
                      "origin": r.origin, "state": r.state, "score": r.score, "note": r.note, "analyst": r.analyst})
    for r in session.execute(select(R).order_by(R.c.at, R.c.id)).yield_per(batch):
        yield _clean({"kind": "resolution", "claim": claim_key[r.claim_id], "verdict": r.verdict, "at": iso(r.at),
                      "rationale": r.rationale, "evidence": r.evidence, "analyst": r.analyst})
    dep = orm.source_dependencies
    for r in session.execute(select(dep).order_by(dep.c.id)):
        yield _clean({"kind": "dependency", "source": src_key[r.source_id], "on": src_key[r.on_id], "note": r.note})


def write_jsonl(session, fh) -> int:
    n = 0
    for rec in records(session):
        fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
        fh.write("\n")
        n += 1
    return n


# --------------------------------------------------------------------------- ClaimReview export

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
                item["datePublished"] = iso(c.published)
            doc = docs.get(c.document_id)
            if doc is not None and doc.url:
                work = {"@type": "CreativeWork", "url": doc.url}
                if doc.title:
                    work["headline"] = doc.title
                if doc.published:
                    work["datePublished"] = iso(doc.published)
                item["firstAppearance"] = work
                item["appearance"] = [work]
            review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
            if res.evidence:
                review["url"] = res.evidence
            review.update({
                "datePublished": iso(res.at),
                "author": {"@type": "Organization", "name": res.analyst or "verifier"},
                "claimReviewed": c.text,
                "itemReviewed": item,
                "reviewRating": verdict_to_rating(res.verdict),
            })
            if res.rationale:
                review["reviewBody"] = res.rationale
            out.append(review)
    return out


# --------------------------------------------------------------------------- entry point

def export(session, fmt: str, letters: Mapping[str, Mapping[str, Any]]) -> str:
    """The text of an export in ``fmt``: ``claimreview`` (a JSON list) or ``stix`` (a bundle,
    its sources graded by ``letters``, see :func:`stix_bundle`)."""
    if fmt == "claimreview":
        return json.dumps(claimreviews(session), ensure_ascii=False, indent=2)
    if fmt == "stix":
        # stix2's own pretty printer is quadratic in the bundle's size: indent it with json
        return json.dumps(json.loads(stix_bundle(session, letters).serialize()), ensure_ascii=False, indent=2)
    raise DomainError("format", f"unknown export format {fmt!r} (jsonl, claimreview or stix)")
