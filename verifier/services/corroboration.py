"""Is a claim independently corroborated? Gathers the claim's supporting and contradicting
reports from the store and asks ``domain.independence`` (a pure function) for the verdict
and its explanation."""

from __future__ import annotations

from collections import deque

from verifier.adapters import corroboration_queries as q
from verifier.adapters import crosslang
from verifier.domain import independence, reliability
from verifier.domain.copies import Report, copied_pairs, same_assertions
from verifier.domain.errors import NotFound
from verifier.domain.graph import UnionFind
from verifier.domain.origins import SourceInfo
from verifier.services import scoring

MAX_SUPPORT = 2000
MAX_TRANSLATED = 300  # reports compared across languages by the encoder in one check


def _source_reliability(session) -> dict[int, tuple[str, int | None, float, float]]:
    """id -> (key, parent id, track-record score, share of that score resting on the prior) for
    every source; the share is the prior's pseudo-observations (its grade's, or its group's)
    over all (prior + resolved)."""
    priors = scoring.source_priors(session)
    out = {}
    for sid, key, parent, _grade in q.sources(session):
        i = priors.index[sid]
        out[sid] = (key, parent, float(priors.mean[i]), float(priors.prior_strength[i] / priors.strength[i]))
    return out


def grade_share(shares: list[float]) -> float | None:
    """How much of a belief rests on grades rather than record: the mean, over the sources of
    the supporting and contradicting reports, of the grade's share of each one's reliability."""
    return round(sum(shares) / len(shares), 2) if shares else None


def basis_line(share: float | None) -> str | None:
    """The sentence `check` (and the TUI's claim page) shows for :func:`grade_share`."""
    if share is None:
        return None
    grade, record = round(100 * share), 100 - round(100 * share)
    if record == 0:
        return ("belief rests on grades alone (100%): no source of these reports has a resolved claim, "
                "so it never reads almost certain")
    return f"belief rests {grade}% on the sources' grades, {record}% on their record of resolved claims"


def _reports(session, ids: list[int], srcs) -> dict[int, Report]:
    via = {cid: [srcs[sid][0] for sid in sids] for cid, sids in q.relays(session, ids).items()}
    return {cid: Report(claim=key, source=srcs[sid][0], via=tuple(via.get(cid, ())), text=text,
                                     published=published)
            for cid, key, sid, text, published in q.report_rows(session, ids)}


def _pairs(session, verdict: str, keys: dict[int, str]) -> list[frozenset[str]]:
    """Claim pairs of the analysts' copy verdicts ("overrule" or "confirm"), among these claims."""
    return [frozenset((keys[a], keys[b])) for a, b in q.copy_verdicts(session, verdict) if a in keys and b in keys]


def check(session, claim_key: str) -> dict:
    """Is the claim independently corroborated? ``domain.independence``'s verdict on the
    claim's supporting and contradicting reports, with its belief, its copies and how much
    of the belief rests on the sources' grades."""
    row = q.claim_head(session, claim_key)
    if row is None:
        raise NotFound("claim", claim_key)
    ids = sorted(_supporting_ids(session, row.id))
    contra = _contradicting_ids(session, ids)
    srcs = _source_reliability(session)
    reports = _reports(session, ids + sorted(contra), srcs)
    by_key = _source_infos(srcs)
    deps = [(srcs[a][0], srcs[b][0]) for a, b in q.dependencies(session)]
    overruled, confirmed, duplicates = _copy_verdicts(session, reports, ids)
    translations = _translations([reports[i] for i in ids + sorted(contra)])
    verdict = independence.check(
        claim_key, [reports[i] for i in ids], [(reports[i], ok) for i, ok in contra.items()],
        by_key, deps, overruled, belief=row.belief, duplicates=duplicates, confirmed=confirmed,
        translations=translations,
    )
    contra_confirmed = {reports[i].claim: ok for i, ok in contra.items()}
    gathered = [reports[i] for i in ids + sorted(contra)]
    copies = copied_pairs(gathered, overruled, confirmed=confirmed, translations=translations)
    share_of = {key: g for key, _parent, _rel, g in srcs.values()}
    share = grade_share([share_of[key] for key in sorted({r.source for r in gathered})])
    belief = row.belief
    if belief is None:
        belief = srcs[q.source_of(session, row.id)][2]
    return {
        "claim": claim_key,
        "status": row.status,
        "independently_corroborated": verdict.independently_corroborated,
        "origins": [list(o) for o in verdict.origins],
        "supporting": list(verdict.supporting),
        # one count everywhere: the confirmed contradictions (as the claim's "contradicted by"),
        # the detector's suggestions apart until an analyst confirms them
        "contradicting": [c for c in verdict.contradicting if contra_confirmed[c]],
        "possibly_contradicting": [c for c in verdict.contradicting if not contra_confirmed[c]],
        "belief": round(float(belief), 4),
        "credibility": reliability.admiralty_credibility(float(belief)) if len(ids) > 1 or row.belief is not None else 6,
        "words": reliability.estimative_words(float(belief)),
        "copied": [{"later": c.later, "earlier": c.earlier, "score": round(c.score, 1), "state": c.state,
                    "reason": c.reason} for c in copies],
        # copies no analyst has confirmed yet: to confirm or overrule
        "likely_copies": [{"later": c.later, "earlier": c.earlier, "state": c.state, "reason": c.reason}
                          for c in copies if c.state != "confirmed"],
        # accepted duplicates with no evidence of copying: corroboration, counted as two origins
        "same_assertions": [{"later": s.later, "earlier": s.earlier, "reason": s.reason,
                             "own_sourcing": [list(x) for x in s.sourcing]}
                            for s in same_assertions(gathered, duplicates, copies)],
        "explanation": list(verdict.explanation),
        "grade_share": share,
        "basis": basis_line(share),
    }


def _translations(gathered: list[Report]) -> list[frozenset[str]]:
    """The pairs of these reports that render one another across languages (the multilingual
    encoder, ``adapters.crosslang``): evidence of copying when the later cites nobody."""
    part = gathered[:MAX_TRANSLATED]
    return crosslang.translations([r.claim for r in part], [r.text for r in part])


def _supporting_ids(session, claim_id: int) -> set[int]:
    """The claim and the claims joined to it by confirmed duplicates/corroborates links, directly
    or through one another: the nearest ones, about MAX_SUPPORT at most."""
    support = {claim_id}
    queue = deque([claim_id])
    while queue and len(support) < MAX_SUPPORT:
        cur = queue.popleft()
        for a, b in q.supporting_neighbours(session, cur):
            other = b if a == cur else a
            if other not in support:
                support.add(other)
                queue.append(other)
    return support


def _contradicting_ids(session, support: list[int]) -> dict[int, bool]:
    """The claims outside ``support`` that a contradicts link no analyst rejected joins to one
    in it: id -> whether an analyst confirmed one of those links."""
    inside = set(support)
    contra: dict[int, bool] = {}
    for a, b, state in q.contradictions(session, support):
        other = b if a in inside else a
        if other in inside:
            continue
        contra[other] = contra.get(other, False) or state == "confirmed"
    return contra


def _source_infos(srcs: dict[int, tuple[str, int | None, float, float]]) -> dict[str, SourceInfo]:
    """Every source as ``domain.independence`` weighs it (its parent, its reliability), by key."""
    return {key: SourceInfo(key=key, parent=srcs[parent][0] if parent in srcs else None, reliability=rel)
            for key, parent, rel, _share in srcs.values()}


def _copy_verdicts(session, reports: dict[int, Report], support: list[int]
                   ) -> tuple[list[frozenset[str]], list[frozenset[str]], list[frozenset[str]]]:
    """The analysts' word on copies among these reports: the pairs they overruled, the pairs
    they confirmed, and the duplicates they accepted from the ``support`` claims (the same
    assertion: corroboration unless there is evidence of copying)."""
    keys = {cid: r.claim for cid, r in reports.items()}
    overruled, confirmed = (_pairs(session, verdict, keys) for verdict in ("overrule", "confirm"))
    duplicates = [frozenset((keys[a], keys[b])) for a, b in q.confirmed_duplicates_from(session, support[:MAX_SUPPORT])
                  if a in keys and b in keys]
    return overruled, confirmed, duplicates


def copies(session, limit_group: int = MAX_SUPPORT) -> list[dict]:
    """The copies found: within each group of claims supporting one another (confirmed
    duplicates/corroborates links, as ``check`` follows them), the later reports that repeat
    an earlier one near-verbatim, or translate it, without citing it. Pairs an analyst overruled are listed
    too, marked ``overruled`` (they count as independent)."""
    supporting = UnionFind()
    for a, b in q.supporting_links(session):
        supporting.union(a, b)
    groups = supporting.groups()
    overruled = {frozenset(p) for p in q.copy_verdicts(session, "overrule")}
    srcs = _source_reliability(session)
    out = []
    for members in groups.values():
        ids = sorted(members)[:limit_group]
        reports = _reports(session, ids, srcs)
        key_id = {r.claim: cid for cid, r in reports.items()}
        group = [reports[i] for i in ids]
        for c in copied_pairs(group, translations=_translations(group)):
            out.append({"later": c.later, "earlier": c.earlier, "score": round(c.score, 1), "reason": c.reason,
                        "overruled": frozenset((key_id[c.later], key_id[c.earlier])) in overruled})
    later = sorted({pair["later"] for pair in out})
    published = q.published(session, later)
    # the ones in force first, then by when the copy appeared
    out.sort(key=lambda p: (p["overruled"], published.get(p["later"]) is None, str(published.get(p["later"])), p["later"]))
    return out
