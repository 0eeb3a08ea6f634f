"""The read side of near-duplicates: the detector's suggested pairs, and the claims like a text."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from verifier.adapters import settings, textindex
from verifier.domain import matching, similarity
from verifier.views.common import C, L
from verifier.views.rows import DuplicatePair, Match, SimilarClaim


def duplicate_queue(session, *, state: str | None = "suggested", limit: int | None = None,
                    offset: int = 0) -> list[DuplicatePair]:
    """The detector's pairs (in ``state``; None: any), best score first."""
    A, B = aliased(C), aliased(C)
    q = (select(L.c.id, L.c.relation, L.c.score, L.c.state, L.c.note, L.c.origin, A.c.key.label("a"), A.c.text.label("a_text"),
                B.c.key.label("b"), B.c.text.label("b_text"))
         .join(A, A.c.id == L.c.to_id).join(B, B.c.id == L.c.from_id)
         .where(L.c.relation.in_(("duplicates", "contradicts")), L.c.origin == "detector"))
    if state:
        q = q.where(L.c.state == state)
    q = q.order_by(L.c.score.desc(), L.c.id)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    t1, t2 = settings.thresholds(session)
    return [DuplicatePair(
        a=r.a, b=r.b, a_text=r.a_text, b_text=r.b_text, score=r.score,
        kind="duplicate" if r.relation == "duplicates" else "conflict", state=r.state,
        band=matching.band(r.score or 0, t1, t2), reason=r.note,
    ) for r in session.execute(q)]


def similar(session, text: str, limit: int = 10, candidates: int = 50, *, query_vector=None,
            semantic: bool | None = None) -> list[Match]:
    """The tracked claims most like ``text``, best first.

    Candidates come from the text index; with the ``[semantic]`` extra and stored
    embeddings (``semantic=None``: whenever both are there) also from the vector index,
    and the score fuses the pair score with the embeddings' cosine (``similarity.fuse``).
    ``query_vector``: the query's embedding when the caller embedded many at once.
    """
    cands = textindex.candidates(session, text, limit=max(candidates, limit))
    cosines = None
    if semantic is not False:
        from verifier.adapters import embeddings

        if embeddings.available() and (query_vector is not None or embeddings.has_vectors(session)):
            vector = query_vector if query_vector is not None else embeddings.embed([text])[0]
            known = {c.id for c in cands}
            near = [i for i in embeddings.search(session, vector, max(candidates, limit)) if i not in known]
            found = textindex.claims_by_id(session, near)
            cands += [similarity.Candidate(id=i, text=found[i][0], norm=found[i][1]) for i in near if i in found]
            cosines = embeddings.cosines(session, vector, [c.id for c in cands])
    # a match scored 0 is ranked only for want of others: it has nothing in common that counts
    ranked = [m for m in similarity.rerank(text, cands, limit, cosines=cosines) if m.score > 0]
    found = {s.id: (s.score, next(c.text for c in cands if c.id == s.id)) for s in ranked}
    for cid, score, other in _across_languages(session, text):
        if cid not in found or found[cid][0] < score:
            found[cid] = (score, other)
    best = sorted(found, key=lambda cid: (-found[cid][0], cid))[:limit]
    keys = dict(session.execute(select(C.c.id, C.c.key).where(C.c.id.in_(best))).all()) if best else {}
    return [Match(id=keys[cid], score=found[cid][0], text=found[cid][1]) for cid in best]


def _across_languages(session, text: str) -> list[tuple[int, float, str]]:
    """(claim id, score 0-100, its text): the most recent claims in another language that say
    what ``text`` says, or may contradict it (the multilingual encoder, ``adapters.crosslang``)."""
    from verifier.adapters import crosslang

    pool = crosslang.recent_claims(session)
    return [(cid, round(100 * pair.cosine, 1), pool[cid]) for _q, cid, pair in crosslang.matches({-1: text}, pool)]


def similar_to_claim(session, key: str, text: str, limit: int = 5) -> list[SimilarClaim]:
    """Near-duplicates of claim ``key`` (whose text is ``text``), as :func:`similar` lists
    them, each with the detector's verdict on the pair (``kind``: duplicate, conflict or
    None) so that a possible contradiction ("about 3000" against "more than 6250") is not
    shown as a repeat."""
    found = [s for s in similar(session, text, limit=limit + 1) if s.id != key][:limit]
    return [SimilarClaim(id=s.id, score=s.score, text=s.text, kind=matching.compare(text, s.text).kind) for s in found]
