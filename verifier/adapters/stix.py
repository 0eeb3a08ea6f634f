"""STIX 2.1 export
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
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from verifier.adapters import orm
from verifier.domain.checks import iso
from verifier.domain.errors import DomainError

S, C, L, R, D = orm.sources, orm.claims, orm.links, orm.resolutions, orm.documents

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
        raise DomainError("format", "STIX export needs the stix2 library: pip install 'verifier[interop]'") from None
    return stix2


def stix_bundle(session, letters: Mapping[str, Mapping[str, Any]]):
    """The STIX 2.1 bundle (a ``stix2.Bundle``) of the database; see the module docstring.
    ``letters``: source id -> its reliability ("letter", "score"), as the read side lists them."""
    stix2 = _stix2()
    identities, src_ref, src_name = _identities(session, letters, stix2)
    notes, claim_ref, claim_key = _notes(session, src_ref, src_name, stix2)
    objects = identities + notes + _opinions(session, claim_ref, claim_key, stix2) + _relationships(
        session, claim_ref, claim_key, stix2)
    bundle_id = stix_id("bundle", hashlib.sha1("\n".join(o.id for o in objects).encode()).hexdigest())
    return stix2.Bundle(objects=objects, id=bundle_id, allow_custom=True)


def _with(props: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """``props`` and each of ``optional`` that has a value."""
    props.update({k: v for k, v in optional.items() if v not in (None, "", [], ())})
    return props


def _identities(session, letters, stix2) -> tuple[list, dict[int, str], dict[int, str]]:
    objects, src_ref, src_name = [], {}, {}
    for r in session.execute(select(S).order_by(S.c.id)):
        ref = stix_id("identity", r.key)
        src_ref[r.id], src_name[r.id] = ref, r.name
        info = letters.get(r.key, {})
        props = _with({
            "id": ref, "name": r.name, "identity_class": IDENTITY_CLASS.get(r.kind, "unknown"),
            "created": _utc(r.created_at), "modified": _utc(r.created_at),
            "x_opencti_reliability": OPENCTI_RELIABILITY[info.get("letter", "F")],
            "x_verifier_source_id": r.key,
        }, description=r.notes, x_opencti_aliases=list(r.aliases or []), x_verifier_affiliation=r.affiliation,
            x_verifier_grade=r.grade, x_verifier_score=info.get("score"))
        objects.append(stix2.Identity(allow_custom=True, **props))
    return objects, src_ref, src_name


def _notes(session, src_ref, src_name, stix2) -> tuple[list, dict[int, str], dict[int, str]]:
    relays: dict[int, list[int]] = {}
    for cid, sid in session.execute(select(orm.claim_relays.c.claim_id, orm.claim_relays.c.source_id)
                                    .order_by(orm.claim_relays.c.claim_id, orm.claim_relays.c.position)):
        relays.setdefault(cid, []).append(sid)
    docs = {r.id: r for r in session.execute(select(D.c.id, D.c.key, D.c.url, D.c.title))}
    objects, claim_ref, claim_key = [], {}, {}
    scored = orm.claim_scores
    q = select(C, scored.c.belief, scored.c.credibility).outerjoin(scored, scored.c.claim_id == C.c.id)
    for c in session.execute(q.order_by(C.c.id)):
        ref = stix_id("note", c.key)
        claim_ref[c.id], claim_key[c.id] = ref, c.key
        doc = docs.get(c.document_id)
        props = _with({
            "id": ref, "abstract": f"Claim {c.key} by {src_name[c.source_id]}", "content": c.text,
            "authors": [src_name[c.source_id]],
            "object_refs": [src_ref[c.source_id], *(src_ref[s] for s in relays.get(c.id, ()) if s != c.source_id)],
            "created": _utc(c.created_at), "modified": _utc(c.created_at),
            "x_verifier_claim_id": c.key, "x_verifier_status": c.status,
        }, confidence=CREDIBILITY_CONFIDENCE.get(c.credibility), x_verifier_credibility=c.credibility,
            x_verifier_belief=None if c.belief is None else round(float(c.belief), 4),
            x_verifier_published=iso(c.published), labels=[t for t in c.tags or () if t],
            external_references=[{"source_name": doc.title or doc.key, "url": doc.url}] if doc is not None and doc.url else None)
        objects.append(stix2.Note(allow_custom=True, **props))
    return objects, claim_ref, claim_key


def _opinions(session, claim_ref, claim_key, stix2) -> list:
    objects = []
    for r in session.execute(select(R).order_by(R.c.at, R.c.id)):
        key = claim_key[r.claim_id]
        props = _with({
            "id": stix_id("opinion", key, r.verdict, iso(r.at), str(r.id)),
            "opinion": OPINION[r.verdict], "object_refs": [claim_ref[r.claim_id]],
            "created": _utc(r.at), "modified": _utc(max(r.at, r.created_at)),
            "x_verifier_verdict": r.verdict,
        }, explanation=r.rationale, authors=[r.analyst] if r.analyst else None,
            external_references=[{"source_name": "evidence", "url": r.evidence}] if r.evidence else None)
        objects.append(stix2.Opinion(allow_custom=True, **props))
    return objects


def _relationships(session, claim_ref, claim_key, stix2) -> list:
    objects = []
    for r in session.execute(select(L).where(L.c.relation.in_(("corroborates", "contradicts")), L.c.state == "confirmed")
                             .order_by(L.c.id)):
        a, b = claim_key[r.from_id], claim_key[r.to_id]
        props = _with({
            "id": stix_id("relationship", a, r.relation, b), "relationship_type": r.relation,
            "source_ref": claim_ref[r.from_id], "target_ref": claim_ref[r.to_id],
            "created": _utc(r.created_at), "modified": _utc(r.updated_at), "x_verifier_origin": r.origin,
        }, description=r.note)
        objects.append(stix2.Relationship(allow_custom=True, **props))
    return objects
