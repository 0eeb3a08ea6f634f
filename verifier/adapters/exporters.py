"""Export everything in the import format (JSON Lines), streaming from the database."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select

from verifier.adapters import orm
from verifier.domain import model

S, C, L, R, D = orm.sources, orm.claims, orm.links, orm.resolutions, orm.documents


def _clean(record: dict) -> dict:
    return {k: v for k, v in record.items() if v is not None and v != [] and v != ""}


def _iso(v):
    if v is None:
        return None
    if hasattr(v, "microsecond") and getattr(v, "microsecond", 0) == 0 and hasattr(v, "hour"):
        return v.isoformat(timespec="seconds")
    return v.isoformat()


def records(session, batch: int = 5000) -> Iterator[dict]:
    src_key = dict(session.execute(select(S.c.id, S.c.key)).all())
    for r in session.execute(select(S).order_by(S.c.id)).yield_per(batch):
        yield _clean({"kind": "source", "id": r.key, "name": r.name, "type": r.kind, "aliases": list(r.aliases or []),
                      "affiliation": r.affiliation, "parent": src_key.get(r.parent_id), "grade": r.grade, "notes": r.notes})
    doc_key = {}
    for r in session.execute(select(D).order_by(D.c.id)).yield_per(batch):
        doc_key[r.id] = r.key
        yield _clean({"kind": "document", "id": r.key, "title": r.title, "url": r.url,
                      "publisher": src_key.get(r.publisher_id), "published": _iso(r.published), "retrieved": _iso(r.retrieved)})
    relays: dict[int, list[str]] = {}
    for cid, sid in session.execute(select(orm.claim_relays.c.claim_id, orm.claim_relays.c.source_id)
                                    .order_by(orm.claim_relays.c.claim_id, orm.claim_relays.c.position)):
        relays.setdefault(cid, []).append(src_key[sid])
    claim_key: dict[int, str] = {}
    for r in session.execute(select(C).order_by(C.c.id)).yield_per(batch):
        claim_key[r.id] = r.key
        rec = {"kind": "claim", "id": r.key, "text": r.text, "source": src_key[r.source_id], "via": relays.get(r.id, []),
               "document": doc_key.get(r.document_id), "published": _iso(r.published), "event_date": _iso(r.event_date),
               "location": r.location, "tags": list(r.tags or []), "subject": r.subject}
        rec.update(model.value_record(r.qualifier, r.value_num, r.value_high, r.value_text, r.unit))
        yield _clean(rec)
    for r in session.execute(select(L).order_by(L.c.id)).yield_per(batch):
        yield _clean({"kind": "link", "from": claim_key[r.from_id], "to": claim_key[r.to_id], "relation": r.relation,
                      "origin": r.origin, "state": r.state, "score": r.score, "note": r.note, "analyst": r.analyst})
    for r in session.execute(select(R).order_by(R.c.at, R.c.id)).yield_per(batch):
        yield _clean({"kind": "resolution", "claim": claim_key[r.claim_id], "verdict": r.verdict, "at": _iso(r.at),
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
