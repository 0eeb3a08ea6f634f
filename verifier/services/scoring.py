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
from attrs import frozen

from verifier.adapters import records, scores, settings
from verifier.domain import reliability, truth

LOCAL_LIMIT = 20_000  # claims in a neighbourhood before a local rescore gives up and goes global


@frozen(eq=False)
class SourcePriors:
    """Per source (dense ``index``): its reliability as its track record reports it (``mean``),
    the pseudo-observations behind it (``strength``), those of its prior alone (the grade's or
    the learned group's: ``prior_strength``) and its resolutions counted (``resolved``)."""

    mean: np.ndarray
    strength: np.ndarray
    prior_strength: np.ndarray
    resolved: np.ndarray
    index: dict


def source_priors(session) -> SourcePriors:
    """Belief's source priors: each source's track record computed where the ``sources``
    listing computes it (``adapters.records``: the half-life setting, learned group priors)."""
    half_life = settings.half_life(session)
    found = records.evidence(session, half_life_days=half_life)
    learned = records.priors(session, found).prior
    ids = sorted(learned)
    index = {sid: i for i, sid in enumerate(ids)}
    none = (0.0, 0.0, 0.0, 0.0)
    pa = np.array([learned[i][0] for i in ids], dtype=np.float64)
    pb = np.array([learned[i][1] for i in ids], dtype=np.float64)
    pos, neg, counted = (np.array([found.get(i, none)[k] for i in ids], dtype=np.float64) for k in range(3))
    a, b = pa + pos, pb + neg
    return SourcePriors(mean=a / (a + b), strength=a + b, prior_strength=pa + pb, resolved=counted, index=index)


STRUCTURED_N_FALSE = 10.0  # at most this many false values (AbeBooks: 2-70 all fine); learnt below it
FREE_N_FALSE = 1.0  # a free-text claim is true or not


def _dependent_sources(session, sindex) -> list[tuple[int, int]]:
    """Source pairs whose votes count once: declared dependencies, and outlets of one
    network (each is paired with the network's first member)."""
    declared, parent = scores.source_ties(session)
    known = [(sindex[a], sindex[b]) for a, b in declared if a in sindex and b in sindex]
    if parent:
        first: dict[int, int] = {}
        for sid in sorted(parent):
            top, seen = sid, set()
            while top in parent and top not in seen:
                seen.add(top)
                top = parent[top]
            j = first.setdefault(top, sid)
            if j != sid and sid in sindex and j in sindex:
                known.append((sindex[sid], sindex[j]))
    return known


def _facts(n, structured_rows: dict[int, tuple], cid, links):
    """(object, value) ids per claim row.

    Structured claims (a subject and a value): the subject is the object, so all values of a
    subject compete; values joined by a confirmed corroborates/duplicates link (derived from
    compatible values, or an analyst's) or equal are one fact. Free-text claims: a claim and
    its corroborations/duplicates are one fact, contradicting claims other values of its object.
    ``structured_rows``: row index -> (subject, canonical value).
    """
    structured = np.zeros(n, dtype=bool)
    if structured_rows:
        structured[np.fromiter(structured_rows, dtype=np.int64, count=len(structured_rows))] = True
    same, contra = np.zeros((0, 2), dtype=np.int64), np.zeros((0, 2), dtype=np.int64)
    if links:
        arr = np.array([(a, b) for a, b, _r in links], dtype=np.int64)
        rel = np.array([r == "contradicts" for _a, _b, r in links])
        ia, ib = np.searchsorted(cid, arr[:, 0]), np.searchsorted(cid, arr[:, 1])
        ok = (ia < n) & (ib < n)
        ok &= (cid[np.minimum(ia, n - 1)] == arr[:, 0]) & (cid[np.minimum(ib, n - 1)] == arr[:, 1])
        pairs = np.stack([ia[ok], ib[ok]], axis=1)
        same, contra = pairs[~rel[ok]], pairs[rel[ok]]
    # equal structured values are the same fact even without a link (one source restating)
    key_first: dict = {}
    extra = []
    for i, key in structured_rows.items():
        j = key_first.setdefault(key, i)
        if j != i:
            extra.append((j, i))
    if extra:
        same = np.concatenate([same, np.array(extra, dtype=np.int64)])
    obj, val = truth.facts_from_links(n, same, contra)
    if structured_rows:
        subjects: dict[str, int] = {}
        for i, (subject, _v) in structured_rows.items():
            obj[i] = n + subjects.setdefault(subject, len(subjects))  # past any component label
    return structured, obj, val


def _read(session, claim_ids):
    """The claims (``scores.ClaimArrays``), {row: status}, {row: (subject, canonical value)}."""
    found = scores.read_claims(session, claim_ids)
    cid = found.ids
    pos = np.searchsorted(cid, np.fromiter((r[0] for r in found.resolved), dtype=np.int64, count=len(found.resolved)))
    status = {p: r[1] for p, r in zip(pos.tolist(), found.resolved, strict=True)}
    pos = np.searchsorted(cid, np.fromiter((r[0] for r in found.structured), dtype=np.int64, count=len(found.structured)))
    struct = {}
    for p, r in zip(pos.tolist(), found.structured, strict=True):
        value = ("t", " ".join(sorted(r[5].lower().split()))) if r[5] is not None else ("n", r[2] or "exact", r[3], r[4])
        struct[p] = (r[1], value)
    return found, status, struct


def _score(session, claim_ids: np.ndarray | None) -> dict:
    """Run truth discovery over these claims (None: all) and write back what changed."""
    stored, status, struct = _read(session, claim_ids)
    cid = stored.ids
    n = len(cid)
    if n == 0:
        return {"claims": 0, "changed": 0, "copiers": 0, "iterations": 0}
    priors = source_priors(session)
    prior_mean, sindex = priors.mean, priors.index
    ungraded = np.zeros(len(sindex), dtype=bool)
    ungraded[[sindex[sid] for sid in scores.ungraded_sources(session)]] = True
    lookup = np.zeros(max(sindex) + 1 if sindex else 1, dtype=np.int64)
    for sid, i in sindex.items():
        lookup[sid] = i
    src = lookup[stored.sources]
    links = scores.confirmed_links(session, None if claim_ids is None else cid.tolist())
    structured, obj, val = _facts(n, struct, cid, links)

    anchors = np.full(n, np.nan)
    for i, st in status.items():
        s = reliability.verdict_score(st)
        if s is not None:
            anchors[i] = s
    known = _dependent_sources(session, sindex)
    # sources with a record (resolved claims): a local rescore sees only some claims, the track
    # records counted them all
    record = priors.resolved
    belief = np.full(n, np.nan)
    copiers = iterations = 0
    for part, n_false in ((structured, STRUCTURED_N_FALSE), (~structured, FREE_N_FALSE)):
        rows_in = np.flatnonzero(part)
        if len(rows_in) == 0:
            continue
        anchored = rows_in[~np.isnan(anchors[rows_in])]
        local = np.searchsorted(rows_in, anchored)
        found = truth.discover(
            src[rows_in], obj[rows_in], val[rows_in], len(sindex), prior=prior_mean, prior_strength=4.0,
            anchors=(local, anchors[anchored]) if len(anchored) else None, known_copies=known, n_false=n_false,
            record=record, estimate_n_false=True,
        )
        belief[rows_in] = np.clip(found.claim_belief, 0.0, 1.0)
        copiers += len(found.copier)
        iterations = max(iterations, found.iterations)
    # how much stands behind each claim: other claims of its object (support or conflict)
    _u, inverse, counts = np.unique(obj, return_inverse=True, return_counts=True)
    obj_size = counts[inverse]
    no_record = (ungraded & (priors.resolved == 0))[src]  # grade F/unknown and nothing resolved
    anchored = ~np.isnan(anchors)
    b = np.where(anchored, anchors, np.round(belief, 4))
    cred = reliability.credibility_many(b)
    cred = np.where(~anchored & no_record & (obj_size <= 1), 6, cred)
    unscored = np.isnan(stored.belief)
    changed = unscored | (np.abs(np.nan_to_num(stored.belief, nan=-1.0) - b) > 5e-5) | (stored.credibility != cred)
    idx = np.flatnonzero(changed)
    updates = list(zip(cid[idx].tolist(), b[idx].tolist(), cred[idx].tolist(), strict=True))
    scores.write(session, updates, first_time=unscored[idx])
    return {"claims": n, "changed": len(updates), "copiers": copiers, "iterations": iterations}


def rescore(uow) -> dict:
    """Recompute belief for every claim (after a bulk import, or on demand)."""
    return _score(uow.session, None)


def neighbourhood(session, claim_ids, limit: int = LOCAL_LIMIT) -> list[int] | None:
    """The claims reachable from these through confirmed links (None when too many)."""
    seen = set(int(c) for c in claim_ids)
    queue = deque(seen)
    while queue:
        batch = [queue.popleft() for _ in range(min(len(queue), 500))]
        for a, b in scores.linked_to(session, batch):
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
