"""The import's last stage: what refers to claims and sources (links, resolutions,
dependencies), then what the new content makes the store compute again (derived links,
the queue's counts, near-duplicate suggestions, watchers' inboxes, belief around it)."""

from __future__ import annotations

from verifier.domain.graph import path_between


def write_refs(plan, uow, w) -> None:
    """``plan``: an ``import_plan.Plan``; ``w``: its ``Written`` so far."""
    touched = _write_links(plan, uow, w)
    resolved = _write_resolutions(plan, uow, w)
    _write_dependencies(plan, uow, w)
    _upkeep(plan, uow, w, touched, resolved)


def _write_links(plan, uow, w) -> set[int]:
    for rec in plan.links.values():
        for end in ("from", "to"):
            if rec.data[end] not in w.claim_id:
                raise plan.error(rec, end, f"no claim {rec.data[end]!r}")
    touched: set[int] = set()
    if not plan.links:
        return touched
    pairs = {(w.claim_id[r.data["from"]], w.claim_id[r.data["to"]], r.data["relation"]): r for r in plan.links.values()}
    have = {(row.from_id, row.to_id, row.relation): row for row in uow.imports.links_from(sorted({p[0] for p in pairs}))}
    new_links = []
    for key, rec in pairs.items():
        d = rec.data
        state = d.get("state") or "confirmed"
        if key not in have:
            new_links.append({
                "from_id": key[0], "to_id": key[1], "relation": key[2], "origin": d.get("origin") or "analyst",
                "state": state, "score": d.get("score"), "note": d.get("note"),
                "analyst": d.get("analyst") or (None if d.get("origin") == "detector" else uow.analyst),
                "created_at": w.now, "updated_at": w.now,
            })
            touched.update(key[:2])
            continue
        old = have[key]
        differing = [f for f, differs in (("state", old.state != state),
                                          ("note", d.get("note") is not None and old.note != d.get("note")))
                     if differs]
        if differing and not plan.update:
            raise plan.conflict(rec, f"link {d['from']} {d['relation']} {d['to']}", differing)
        if differing:
            note = d.get("note", old.note)
            uow.imports.update("links", old.id, {"state": state, "note": note, "updated_at": w.now,
                                                 "analyst": uow.analyst})
            uow.record("edit", "link", f"{d['from']} {d['relation']} {d['to']}",
                       {"state": old.state, "note": old.note}, {"state": state, "note": note})
            w.counts["changed"] += 1
            touched.update(key[:2])
    uow.imports.insert("links", new_links)
    w.counts["links"] = len(new_links)
    return touched


def _write_resolutions(plan, uow, w) -> set[int]:
    resolved: set[int] = set()
    if not plan.resolutions:
        return resolved
    for rec in plan.resolutions.values():
        if rec.data["claim"] not in w.claim_id:
            raise plan.error(rec, "claim", f"no claim {rec.data['claim']!r}")
    ids = sorted({w.claim_id[r.data["claim"]] for r in plan.resolutions.values()})
    have = {(r.claim_id, r.verdict, r.at, r.rationale, r.evidence) for r in uow.imports.resolutions_of(ids)}
    new_res = []
    for rec in plan.resolutions.values():
        d = rec.data
        cid = w.claim_id[d["claim"]]
        if d.get("at") is None:
            # undated verdicts are the same verdict if anything with that content exists
            if any(h[0] == cid and h[1] == d["verdict"] and h[3] == d.get("rationale") and h[4] == d.get("evidence")
                   for h in have):
                continue
        elif (cid, d["verdict"], d.get("at"), d.get("rationale"), d.get("evidence")) in have:
            continue
        new_res.append({
            "claim_id": cid, "verdict": d["verdict"], "at": d.get("at") or w.now, "rationale": d.get("rationale"),
            "evidence": d.get("evidence"), "analyst": d.get("analyst") or uow.analyst, "created_at": w.now,
        })
        resolved.add(cid)
    if new_res:
        uow.imports.insert("resolutions", new_res)
        uow.claims.refresh_status(resolved)
    w.counts["resolutions"] = len(new_res)
    return resolved


def _write_dependencies(plan, uow, w) -> None:
    if not plan.dependencies:
        return
    have = uow.imports.dependency_pairs()
    new_deps = [{"source_id": w.src_id[a], "on_id": w.src_id[b], "note": rec.data.get("note"),
                 "analyst": uow.analyst, "created_at": w.now}
                for (a, b), rec in plan.dependencies.items() if (w.src_id[a], w.src_id[b]) not in have]
    _refuse_cycle(plan, have, w)
    uow.imports.insert("dependencies", new_deps)
    w.counts["dependencies"] = len(new_deps)


def _refuse_cycle(plan, have: set, w) -> None:
    """A declared dependency that closes a cycle (``da`` on ``db``, ``db`` on ``da``) is refused,
    naming its line, as a self-dependency is."""
    edges = set(have)
    for (a, b), rec in sorted(plan.dependencies.items(), key=lambda item: item[1].line):
        ia, ib = w.src_id[a], w.src_id[b]
        if path_between(edges, ib, ia) is not None:
            raise plan.error(rec, "on", f"{b} already depends on {a}: a dependency cycle")
        edges.add((ia, ib))


def _upkeep(plan, uow, w, touched: set[int], resolved: set[int]) -> None:
    counts = w.counts
    new_ids = [w.claim_id[k] for k in w.new_claims]
    # only structured claims derive links (a bulk load of free text skips the lookups)
    structured = [w.claim_id[k] for k in w.new_claims
                  if plan.claims[k].data.get("subject") and plan.claims[k].data.get("value") is not None]
    touched.update(uow.upkeep.derive_links(structured))
    if touched:
        uow.claims.refresh_link_counts(touched)
    if plan.detect and new_ids and not plan.carries_queue:
        progress = plan.detect_progress(len(new_ids)) if plan.detect_progress else None
        counts["suggested"] = counts.get("suggested", 0) + uow.upkeep.detect(new_ids, progress=progress)
    if new_ids:
        uow.upkeep.notify_watchers(new_ids)  # watched texts, sources, subjects, tags: analysts' inboxes
    # belief around what this file linked or resolved (lone new claims keep their
    # source's reliability until they are linked or a full `verifier score`)
    around = touched | resolved
    around.update(structured)
    if around:
        uow.upkeep.rescore_local(sorted(around))
    uow.amend_logged(w.event, {"file": plan.file, "sha256": plan.sha256, "added": counts})
    if not any(counts.values()):
        uow.discard_logged(w.event)
