"""Read helpers for the screens, on top of ``verifier.views``.

Every function takes an open read-only unit of work (``store.uow(readonly=True)``) and
returns the read side's frozen rows (``verifier.views.rows``), or plain data of its own. They run in worker threads, never on the UI thread.
"""

from __future__ import annotations

from typing import Any

from verifier import views
from verifier.services import corroboration as corroboration_service
from verifier.views.rows import ClaimDetail, ClaimRow, DuplicatePair, Link, SimilarClaim, SourceDetail, SourceRow

PAGE = 200


# --------------------------------------------------------------------------- queue

def queue_page(uow, offset: int, limit: int = PAGE, search: str | None = None,
               assigned_to: str | None = None) -> list[ClaimRow]:
    return views.claims(uow.session, unresolved=True, search=search or None, limit=limit, offset=offset, order="queue",
                        search_sources=True, assigned_to=assigned_to)


def queue_count(uow, assigned_to: str | None = None) -> int:
    return views.count_claims(uow.session, unresolved=True, assigned_to=assigned_to)


def claim_row(uow, key: str) -> ClaimDetail | None:
    """One claim as a queue row (after an action changed it)."""
    return views.claim_detail(uow.session, key)


# --------------------------------------------------------------------------- sources

SOURCE_SORTS: dict[str, tuple[str, Any, bool]] = {
    # name: (label, key function, descending)
    "score": ("score", lambda s: (s.score, s.claims), True),
    "name": ("name", lambda s: (s.name or "").lower(), False),
    "claims": ("claims", lambda s: (s.claims, s.resolved), True),
    "resolved": ("resolved", lambda s: (s.resolved, s.claims), True),
    "kind": ("kind", lambda s: ((s.type or ""), (s.name or "").lower()), False),
    "letter": ("letter", lambda s: ((s.letter or "F"), -s.score), False),
}


def source_list(uow, search: str | None = None) -> list[SourceRow]:
    """Every source matching ``search`` with its reliability (views.sources computes them
    together; the screen pages the sorted list into its table 200 rows at a time)."""
    return views.sources(uow.session, search=search or None)


def sort_sources(rows: list[SourceRow], order: str, reverse: bool = False) -> list[SourceRow]:
    _label, key, desc = SOURCE_SORTS.get(order, SOURCE_SORTS["score"])
    return sorted(rows, key=key, reverse=desc != reverse)


def score_series(uow, keys: list[str]) -> dict[str, list[float]]:
    """The reliability score after each resolution, per source (for sparklines)."""
    out: dict[str, list[float]] = {key: [] for key in keys}
    found = {key: uow.sources.get(key) for key in keys}
    known = [(key, src) for key, src in found.items() if src is not None]
    wanted = [(uow.sources.id_of(src), getattr(src.grade, "value", src.grade) or None) for _key, src in known]
    for (key, _src), record in zip(known, views.track_records(uow.session, wanted), strict=False):
        series = [step.score_before for step in record.history[:1]] + [step.score_after for step in record.history]
        out[key] = [float(x) for x in series]
    return out


def source_audit(uow, key: str) -> SourceDetail | None:
    return views.source_detail(uow.session, key, claims_limit=200, by_topic=5)


# --------------------------------------------------------------------------- claims

def corroboration(uow, key: str) -> dict:
    """The independence verdict and its explanation."""
    return corroboration_service.check(uow.session, key)


def claim_detail(uow, key: str) -> ClaimDetail | None:
    return views.claim_detail(uow.session, key)


def claim_similar(uow, key: str, text: str) -> list[SimilarClaim]:
    """Live near-duplicates of a claim from the text index, each with the detector's
    verdict on the pair (``kind``: duplicate, conflict or None)."""
    return views.similar_to_claim(uow.session, key, text, limit=5)


def pending_suggestions(uow, key: str) -> list[Link]:
    """The detector's suggestions for this claim still waiting for a decision, best first."""
    detail = views.claim_detail(uow.session, key)
    if detail is None:
        return []
    out = [lk for lk in detail.links if lk.origin == "detector" and lk.state == "suggested"]
    out.sort(key=lambda lk: -(lk.score or 0))
    return out


def link_state(uow, a: str, b: str, relation: str) -> str | None:
    """The state of the a–b link of this relation, if there is one."""
    detail = views.claim_detail(uow.session, a)
    if detail is None:
        return None
    for lk in detail.links:
        if lk.other == b and lk.relation == relation:
            return lk.state
    return None


# --------------------------------------------------------------------------- duplicates

def duplicate_page(uow, offset: int, limit: int = 100) -> list[DuplicatePair]:
    return views.duplicate_queue(uow.session, state="suggested", limit=limit, offset=offset)


def pair_sides(uow, a: str, b: str) -> dict[str, ClaimDetail | None]:
    return {key: views.claim_detail(uow.session, key) for key in (a, b)}


# --------------------------------------------------------------------------- search

def search(uow, query: str, limit: int = 20) -> dict[str, list[dict]]:
    """Claims (by id, words and near meaning) and sources (by name or id) matching ``query``."""
    q = query.strip()
    if not q:
        return {"claims": [], "sources": []}
    claims: list[dict] = []
    seen: set[str] = set()
    exact = views.claim_detail(uow.session, q)
    if exact is not None:
        claims.append({"id": exact.id, "text": exact.text, "source": exact.source, "how": "id"})
        seen.add(exact.id)
    for c in views.claims(uow.session, search=q, limit=limit, order="id"):
        if c.id not in seen:
            claims.append({"id": c.id, "text": c.text, "source": c.source, "how": "words"})
            seen.add(c.id)
    if len(claims) < limit and len(q) >= 3:
        try:
            for s in views.similar(uow.session, q, limit=limit):
                if s.id not in seen and s.score > 0:  # 0: ranked, but nothing in common that counts
                    claims.append({"id": s.id, "text": s.text, "source": None, "how": f"similar {s.score:.0f}"})
                    seen.add(s.id)
        except Exception:
            pass
    sources = [{"id": s.id, "name": s.name, "letter": s.letter, "score": s.score, "claims": s.claims}
               for s in views.sources(uow.session, search=q, limit=limit, order="claims")]
    return {"claims": claims[:limit], "sources": sources}
