"""Belief in claims and the reliability it rests on, computed from the whole store.

The store is read into arrays (claims, their sources, confirmed links, verdicts), the
copy-aware truth discovery of ``domain.truth`` runs over them, and each claim's belief
and Admiralty credibility are written back (only where they changed). Resolved claims
anchor it. ``rescore_local`` does the same for the neighbourhood of a few claims (after
one resolution or link) so that the triage queue stays current without a full pass.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from sqlalchemy import select

from verifier.adapters import orm
from verifier.domain import reliability, truth

LOCAL_LIMIT = 20_000  # claims in a neighbourhood before a local rescore gives up and goes global


def _source_priors(session) -> tuple[np.ndarray, np.ndarray, dict[int, int]]:
    """Per source (dense index): the track-record score used as the prior, and its strength."""
    S, C = orm.sources, orm.claims
    rows = session.execute(select(S.c.id, S.c.grade).order_by(S.c.id)).all()
    index = {sid: i for i, (sid, _g) in enumerate(rows)}
    pa, pb = reliability.grade_priors_many([g for _sid, g in rows])
    pos = np.zeros(len(rows))
    neg = np.zeros(len(rows))
    for sid, status, n in session.execute(
            select(C.c.source_id, C.c.status, _count()).where(C.c.status != "unresolved").group_by(C.c.source_id, C.c.status)):
        s = reliability.verdict_score(status)
        if s is None or sid not in index:
            continue
        pos[index[sid]] += s * n
        neg[index[sid]] += (1 - s) * n
    a, b = pa + pos, pb + neg
    return a / (a + b), a + b, index


def _count():
    from sqlalchemy import func

    return func.count()


def _score(session, claim_ids: np.ndarray | None) -> dict:
    """Run truth discovery over these claims (None: all) and write back what changed."""
    C, L, D = orm.claims, orm.links, orm.source_dependencies
    conn = session.connection()
    if claim_ids is None:
        rows = conn.execute(select(C.c.id, C.c.source_id, C.c.status, C.c.belief, C.c.credibility).order_by(C.c.id)).all()
    else:
        rows = []
        ids = sorted(int(i) for i in claim_ids)
        for i in range(0, len(ids), 5000):
            rows += conn.execute(select(C.c.id, C.c.source_id, C.c.status, C.c.belief, C.c.credibility)
                                 .where(C.c.id.in_(ids[i:i + 5000]))).all()
        rows.sort()
    n = len(rows)
    if n == 0:
        return {"claims": 0, "changed": 0}
    cid = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    prior_mean, prior_strength, sindex = _source_priors(session)
    src = np.fromiter((sindex[r[1]] for r in rows), dtype=np.int64, count=n)
    status = [r[2] for r in rows]
    old_belief = np.array([np.nan if r[3] is None else r[3] for r in rows])
    old_cred = [r[4] for r in rows]

    link_q = select(L.c.from_id, L.c.to_id, L.c.relation).where(L.c.state == "confirmed")
    if claim_ids is not None:
        chunk_links = []
        ids = cid.tolist()
        for i in range(0, len(ids), 5000):
            chunk_links += conn.execute(link_q.where(L.c.from_id.in_(ids[i:i + 5000]))).all()
        links = chunk_links
    else:
        links = conn.execute(link_q).all()
    same, contra = [], []
    if links:
        arr = np.array([(a, b) for a, b, _r in links], dtype=np.int64)
        rel = np.array([r == "contradicts" for _a, _b, r in links])
        ia, ib = np.searchsorted(cid, arr[:, 0]), np.searchsorted(cid, arr[:, 1])
        ia_ok = (ia < n) & (cid[np.minimum(ia, n - 1)] == arr[:, 0])
        ib_ok = (ib < n) & (cid[np.minimum(ib, n - 1)] == arr[:, 1])
        ok = ia_ok & ib_ok
        pairs = np.stack([ia[ok], ib[ok]], axis=1)
        same, contra = pairs[~rel[ok]], pairs[rel[ok]]
    obj, val = truth.facts_from_links(n, same, contra)

    anchor_rows, anchor_truth = [], []
    for i, st in enumerate(status):
        if st != "unresolved":
            s = reliability.verdict_score(st)
            if s is not None:
                anchor_rows.append(i)
                anchor_truth.append(s)
    deps = session.execute(select(D.c.source_id, D.c.on_id)).all()
    known = [(sindex[a], sindex[b]) for a, b in deps if a in sindex and b in sindex]
    found = truth.discover(
        src, obj, val, len(sindex), prior=prior_mean, prior_strength=4.0,
        anchors=(np.array(anchor_rows, dtype=np.int64), np.array(anchor_truth)) if anchor_rows else None,
        known_copies=known,
    )
    belief = np.clip(found.claim_belief, 0.0, 1.0)
    # how much stands behind each claim: other claims of its object (support or conflict)
    obj_size = np.bincount(obj, minlength=n)[obj]
    no_record = prior_strength[src] <= 2.0 + 1e-9  # grade F/unknown and nothing resolved
    updates = []
    for i in range(n):
        b = round(float(belief[i]), 4)
        cred = 6 if (no_record[i] and obj_size[i] <= 1 and status[i] == "unresolved") else reliability.admiralty_credibility(b)
        if status[i] != "unresolved" and reliability.verdict_score(status[i]) is not None:
            b = reliability.verdict_score(status[i])
            cred = reliability.admiralty_credibility(b)
        if np.isnan(old_belief[i]) or abs(old_belief[i] - b) > 5e-5 or old_cred[i] != cred:
            updates.append((b, cred, int(cid[i])))
    if updates:
        if session.get_bind().dialect.name == "sqlite":
            conn.exec_driver_sql("UPDATE claims SET belief = ?, credibility = ? WHERE id = ?", updates)
        else:
            from sqlalchemy import bindparam, update

            session.execute(update(C).where(C.c.id == bindparam("b_id")).values(belief=bindparam("b_b"), credibility=bindparam("b_c")),
                            [{"b_b": b, "b_c": c, "b_id": i} for b, c, i in updates])
    return {"claims": n, "changed": len(updates), "copiers": len(found.copier), "iterations": found.iterations}


def rescore(uow) -> dict:
    """Recompute belief for every claim (after a bulk import, or on demand)."""
    return _score(uow.session, None)


def neighbourhood(session, claim_ids, limit: int = LOCAL_LIMIT) -> list[int] | None:
    """The claims reachable from these through confirmed links (None when too many)."""
    L = orm.links
    seen = set(int(c) for c in claim_ids)
    queue = deque(seen)
    while queue:
        batch = [queue.popleft() for _ in range(min(len(queue), 500))]
        rows = session.execute(select(L.c.from_id, L.c.to_id).where(
            L.c.state == "confirmed", (L.c.from_id.in_(batch)) | (L.c.to_id.in_(batch)))).all()
        for a, b in rows:
            for x in (a, b):
                if x not in seen:
                    seen.add(x)
                    queue.append(x)
                    if len(seen) > limit:
                        return None
    return sorted(seen)


def rescore_local(uow, claim_ids) -> dict:
    """Recompute belief around a few claims; the whole store if the neighbourhood is huge."""
    if not claim_ids:
        return {"claims": 0, "changed": 0}
    around = neighbourhood(uow.session, claim_ids)
    if around is None:
        return rescore(uow)
    return _score(uow.session, np.array(around, dtype=np.int64))
