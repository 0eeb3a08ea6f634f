"""Use cases that change the store. Each takes plain arguments and a unit of work, does
its work inside it, records its audit events, and commits as a whole."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from verifier.adapters.settings import HALF_LIFE, SETTING_T1, SETTING_T2, half_life, thresholds
from verifier.domain import language, model, normalisation
from verifier.domain.checks import (
    check_dependency,
    check_half_life,
    check_key,
    check_percent,
    check_text,
    source_key,
    text_list,
    utcnow,
)
from verifier.domain.errors import DomainError, NotFound
from verifier.domain.graph import path_between
from verifier.domain.values import Value
from verifier.domain.vocabulary import Grade, LinkState, Relation, SourceKind
from verifier.services.unit_of_work import retried


def _after_link_change(uow, a: str, b: str) -> None:
    """What every link change needs: the queue's counts and the belief around both claims."""
    uow.flush()
    ids = [uow.claims.id_of(a), uow.claims.id_of(b)]
    uow.claims.refresh_link_counts(ids)
    uow.upkeep.rescore_local(ids)


def _after_verdict_change(uow, claim: str) -> None:
    """What a resolution's arrival or withdrawal needs: the claim's status and the belief around it."""
    uow.flush()
    cid = uow.claims.id_of(claim)
    uow.claims.refresh_status([cid])
    uow.upkeep.rescore_local([cid])


def _source_or_new(uow, name_or_key: str) -> model.Source:
    """An existing source by id or name, or a new one (named by the text given)."""
    found = uow.sources.find(name_or_key)
    if found is not None:
        return found
    key = check_key(source_key(name_or_key), "source")
    source = model.Source(key=key, name=name_or_key)
    uow.sources.add(source)
    uow.record("add", "source", key, None, source.snapshot())
    return source


# --------------------------------------------------------------------------- sources

@retried
def add_source(uow, key: str, name: str, *, kind: str | None = None, aliases: Sequence[str] = (),
               affiliation: str | None = None, parent: str | None = None, grade: str | None = None,
               notes: str | None = None) -> dict:
    with uow:
        key = check_key(key, "id")
        if uow.sources.get(key) is not None:
            raise DomainError("id", f"a source {key!r} already exists")
        source = model.Source(key=key, name=name, kind=kind, aliases=list(aliases), affiliation=affiliation,
                              grade=grade, notes=notes)
        if parent:
            source.set_parent(uow.sources.require(parent))
        uow.sources.add(source)
        snap = source.snapshot()
        handle = uow.record("add", "source", key, None, snap)
        uow.sources.set_created_event(key, uow.seq_of(handle))
        uow.commit()
        return snap


@retried
def edit_source(uow, key: str, **changes) -> dict:
    with uow:
        source = uow.sources.require(key)
        before = source.snapshot()
        for name, value in changes.items():
            if value is None:
                continue
            if name == "parent":
                source.set_parent(uow.sources.require(value) if value else None)
            elif name == "kind":
                source.kind = SourceKind.parse(value, "type")
            elif name == "grade":
                source.grade = Grade.parse(value, "grade")
            elif name == "aliases":
                source.aliases = list(text_list(value, "aliases"))
            elif name == "add_aliases":  # in any script: «المرصد السوري لحقوق الإنسان» for sohr
                source.aliases = list(dict.fromkeys([*source.aliases, *text_list(list(value), "alias")]))
            elif name == "drop_aliases":
                dropped = set(text_list(list(value), "alias"))
                source.aliases = [a for a in source.aliases if a not in dropped]
            elif name in ("name", "affiliation", "notes"):
                setattr(source, name, check_text(value, name, required=name == "name"))
            else:
                raise DomainError(name, "cannot be edited")
        after = source.snapshot()
        if after != before:
            uow.record("edit", "source", key, before, after)
        uow.commit()
        return after


@retried
def depend(uow, source: str, on: str, note: str | None = None, *, remove: bool = False) -> dict:
    """Declare (or withdraw) that ``source`` depends on ``on``: their reports count once."""
    with uow:
        a, b = uow.sources.require(source), uow.sources.require(on)
        check_dependency(a.key, b.key)
        exists = uow.dependencies.exists(a, b)
        record = {"source": a.key, "on": b.key, "note": note}
        if remove:
            if not exists:
                raise NotFound("dependency", f"{a.key} -> {b.key}")
            uow.dependencies.remove(a, b)
            uow.record("remove", "dependency", f"{a.key} {b.key}", record, None)
        elif not exists:
            _refuse_dependency_cycle(uow, a, b)
            uow.dependencies.add(a, b, note, uow.analyst)
            uow.record("add", "dependency", f"{a.key} {b.key}", None, record)
        uow.commit()
        return record


def _refuse_dependency_cycle(uow, a: model.Source, b: model.Source) -> None:
    """``a`` on ``b`` is refused when ``b`` already depends on ``a`` (through others or not):
    a cycle says nothing a single declaration does not, and hides which way the copying went."""
    ia, ib = uow.sources.id_of(a), uow.sources.id_of(b)
    path = path_between(uow.imports.dependency_pairs(), ib, ia)
    if path is not None:
        keys = {ia: a.key, ib: b.key}
        shown = " -> ".join(keys.get(i) or str(i) for i in path)
        raise DomainError("on", f"{b.key} already depends on {a.key} ({shown}): a dependency cycle")


# --------------------------------------------------------------------------- documents

@retried
def add_document(uow, key: str, *, title: str | None = None, url: str | None = None, publisher: str | None = None,
                 published=None, retrieved=None) -> dict:
    """A document claims were read in (``claim add --document KEY`` then names it)."""
    with uow:
        key = check_key(key, "id")
        if uow.documents.get(key) is not None:
            raise DomainError("id", f"a document {key!r} already exists")
        doc = model.Document(key=key, title=title, url=url, publisher=uow.sources.require(publisher) if publisher else None,
                             published=published, retrieved=retrieved)
        uow.documents.add(doc)
        snap = doc.snapshot()
        uow.record("add", "document", key, None, snap)
        uow.commit()
        return snap


# --------------------------------------------------------------------------- claims

@retried
def add_claim(uow, text: str, source: str, **fields) -> dict:
    """A new claim in its own unit of work: :func:`create_claim` (which names the ``fields``), committed."""
    with uow:
        snap = create_claim(uow, text, source, **fields)
        uow.commit()
        return snap


def create_claim(uow, text: str, source: str, *, key: str | None = None, via: Sequence[str] = (),
                 document: str | None = None, published=None, event_date=None, location: str | None = None,
                 tags: Sequence[str] = (), subject: str | None = None, value=None, qualifier: str | None = None,
                 unit: str | None = None, detect: bool = True) -> dict:
    """add_claim's work inside a unit of work the caller opened (and commits): the claim,
    its audit event, derived links, and near-duplicate detection."""
    key = check_key(key, "id") if key else uow.claims.next_key()
    if uow.claims.get(key) is not None:
        raise DomainError("id", f"a claim {key!r} already exists")
    src = _source_or_new(uow, source)
    chain = [_source_or_new(uow, v) for v in via]
    doc = None
    if document:
        doc = uow.documents.get(document)
        if doc is None:
            raise NotFound("document", document)
        if published is None:  # a claim read in a document was published when the document was
            published = doc.published
    claim = model.Claim.new(
        key, text, src, chain, document=doc, published=published, event_date=event_date, location=location,
        tags=list(tags), subject=subject, value=Value.parse(value, qualifier, unit),
    )
    claim.norm = normalisation.normalise(claim.text)
    claim.language = language.detect(claim.text)
    uow.claims.add(claim)
    snap = claim.snapshot()
    handle = uow.record("add", "claim", key, None, snap)
    cid = uow.claims.id_of(key)
    uow.claims.set_created_event(cid, uow.seq_of(handle))
    touched = uow.upkeep.derive_links([cid])
    if touched:
        uow.claims.refresh_link_counts(touched)
        uow.upkeep.rescore_local(sorted(touched))
    suggested = uow.upkeep.detect([cid]) if detect else 0
    uow.upkeep.notify_watchers([cid])  # watched texts, sources, subjects, tags: analysts' inboxes
    return {**snap, "suggested": suggested}


@retried
def edit_claim(uow, key: str, *, text: str | None = None, location: str | None = None,
               tags: Sequence[str] | None = None, subject: str | None = None, detect: bool = True) -> dict:
    """Edit a claim (audited); what was computed from its old content is computed again."""
    from verifier.services import revision

    with uow:
        claim = uow.claims.require(key)
        before = claim.snapshot()
        if text is not None:
            claim.text = check_text(text, "text")
            claim.norm = normalisation.normalise(claim.text)
            claim.language = language.detect(claim.text)
        if location is not None:
            claim.location = check_text(location, "location", required=False)
        if tags is not None:
            claim.tags = list(text_list(list(tags), "tags"))
        if subject is not None:
            claim.subject = check_text(subject, "subject", required=False)
        after = claim.snapshot()
        differing = model.changed_fields(before, after)
        if differing:
            uow.record("edit", "claim", key, before, after)
            uow.upkeep.after_claim_changes([revision.ClaimChange(uow.claims.id_of(key), frozenset(differing),
                                                                 before.get("subject"))], detect=detect)
        uow.commit()
        return after


@retried
def link(uow, a: str, b: str, relation: str, note: str | None = None) -> dict:
    """An analyst's link. An existing suggestion for the pair is confirmed instead."""
    with uow:
        rel = Relation.parse(relation, "relation")
        uow.claims.lock((a, b))
        ca, cb = uow.claims.require(a), uow.claims.require(b)
        found = [lk for lk in uow.links.between(ca, cb, rel)]
        for x, y in ((a, b), (b, a)):  # the pair's link, added or changed meanwhile by someone else
            uow.guard("link", f"{x} {rel.value} {y}")
        if found:
            lk = found[0]
            before = lk.snapshot()
            lk.state = LinkState.CONFIRMED
            if note is not None:
                lk.note = note
            lk.analyst, lk.updated_at = uow.analyst, utcnow()
            action = "confirm" if before["state"] != "confirmed" else "edit"
        else:
            lk = model.Link(ca, cb, rel, note=note, analyst=uow.analyst)
            uow.links.add(lk)
            before, action = None, "add"
        after = lk.snapshot()
        # confirming a confirmed link again is recorded too: it clears a review flag (views)
        uow.record(action if after != before else "reconfirm", "link", f"{lk.a.key} {rel.value} {lk.b.key}", before, after)
        _after_link_change(uow, a, b)
        uow.commit()
        return after


@retried
def unlink(uow, a: str, b: str, relation: str) -> dict:
    """Remove a link an analyst made (the audit log keeps it). Detector and derived links
    are not removed: reject a suggestion instead, so it is never suggested again."""
    with uow:
        rel = Relation.parse(relation, "relation")
        uow.claims.lock((a, b))
        ca, cb = uow.claims.require(a), uow.claims.require(b)
        found = [lk for lk in uow.links.between(ca, cb, rel) if model.value_of(lk.origin) == "analyst"]
        if not found:
            raise NotFound("link", f"{a} {rel.value} {b} (made by an analyst)")
        lk = found[0]
        snap = lk.snapshot()
        uow.links.remove(lk)
        _after_link_change(uow, a, b)
        uow.record("remove", "link", f"{snap['from']} {rel.value} {snap['to']}", snap, None)
        uow.commit()
        return snap


@retried
def note(uow, claim: str, text: str) -> dict:
    """An analyst's note on a claim: kept in the claim's history (the audit log)."""
    with uow:
        uow.claims.require(claim)
        text = check_text(text, "note", limit=4000)
        uow.record("note", "claim", claim, None, {"note": text})
        uow.commit()
        return {"claim": claim, "note": text}


@retried
def withdraw_note(uow, claim: str, text: str) -> dict:
    """Withdraw a note (the history keeps both the note and its withdrawal)."""
    with uow:
        uow.claims.require(claim)
        uow.record("withdraw-note", "claim", claim, {"note": text}, None)
        uow.commit()
        return {"claim": claim, "note": text}


@retried
def set_link_state(uow, a: str, b: str, state: str, relation: str | None = None) -> dict:
    """Accept (confirmed), reject (rejected) or undo (suggested) a link between two claims."""
    with uow:
        st = LinkState.parse(state, "state")
        uow.claims.lock((a, b))
        ca, cb = uow.claims.require(a), uow.claims.require(b)
        rel = Relation.parse(relation, "relation") if relation else None
        found = [lk for lk in uow.links.between(ca, cb, rel)
                 if rel or model.value_of(lk.relation) in ("duplicates", "contradicts")]
        if not found:
            raise NotFound("link", f"{a} {b}")
        found.sort(key=lambda lk: (model.value_of(lk.origin) != "detector", -(lk.score or 0)))
        lk = found[0]
        uow.guard("link", f"{lk.a.key} {model.value_of(lk.relation)} {lk.b.key}")
        before = lk.snapshot()
        lk.state, lk.analyst, lk.updated_at = st, uow.analyst, utcnow()
        after = lk.snapshot()
        action = {"confirmed": "accept", "rejected": "reject", "suggested": "undo"}[st.value]
        if after != before:
            uow.record(action, "link", f"{lk.a.key} {model.value_of(lk.relation)} {lk.b.key}", before, after)
        _after_link_change(uow, a, b)
        uow.commit()
        return after


@retried
def resolve(uow, claim: str, verdict: str, *, rationale: str | None = None, evidence: str | None = None,
            at: datetime | str | None = None) -> dict:
    with uow:
        uow.claims.lock((claim,))  # an analyst resolving it meanwhile goes first or second, whole
        c = uow.claims.require(claim)
        uow.guard("claim", claim, ("resolve", "unresolve"))
        res = model.Resolution(c, verdict, at=at, rationale=rationale, evidence=evidence, analyst=uow.analyst)
        before = c.status
        uow.resolutions.add(res)
        _after_verdict_change(uow, claim)
        snap = res.snapshot()
        uow.record("resolve", "claim", claim, {"status": before}, snap)
        uow.commit()
        return snap


@retried
def unresolve(uow, claim: str) -> dict:
    """Undo the latest resolution of a claim (kept in the audit log)."""
    with uow:
        uow.claims.lock((claim,))
        c = uow.claims.require(claim)
        latest = uow.resolutions.latest(c)
        if latest is None:
            raise DomainError("claim", f"{claim!r} has no resolution to undo")
        snap = latest.snapshot()
        uow.resolutions.remove(latest)
        _after_verdict_change(uow, claim)
        uow.record("unresolve", "claim", claim, snap, None)
        uow.commit()
        return snap


@retried
def _copy_verdict(uow, verdict: str, action: str, a: str, b: str, note: str | None) -> dict:
    """Record an analyst's copy verdict on a pair; the latest verdict replaces the opposite one."""
    with uow:
        uow.claims.lock((a, b))
        for x, y in ((a, b), (b, a)):
            uow.guard("claim", f"{x} {y}", ("confirm-copy", "overrule-copy"))
        if uow.copy_verdicts.put(verdict, uow.claims.id_of(a), uow.claims.id_of(b), note, uow.analyst):
            uow.record(action, "claim", f"{a} {b}", None, {"a": a, "b": b, "note": note})
        uow.commit()
        return {"a": a, "b": b, "note": note}


def overrule_copy(uow, a: str, b: str, note: str | None = None) -> dict:
    """The analyst says claims a and b are not copies of each other."""
    return _copy_verdict(uow, "overrule", "overrule-copy", a, b, note)


def confirm_copy(uow, a: str, b: str, note: str | None = None) -> dict:
    """The analyst confirms that one of claims a and b copies the other: they count once."""
    return _copy_verdict(uow, "confirm", "confirm-copy", a, b, note)


#: every setting: its validator (which returns the value as stored)
SETTINGS = {SETTING_T1: check_percent, SETTING_T2: check_percent, HALF_LIFE: check_half_life}


def settings(session) -> dict:
    """Every setting's current value (defaults where none is stored)."""
    t1, t2 = thresholds(session)
    return {SETTING_T1: t1, SETTING_T2: t2, HALF_LIFE: half_life(session)}


@retried
def set_setting(uow, name: str, value: str) -> dict:
    if name not in SETTINGS:
        raise DomainError("name", f"unknown setting {name!r} (one of: {', '.join(SETTINGS)})")
    value = SETTINGS[name](value, name)
    with uow:
        old = uow.settings.get(name)
        uow.settings.put(name, value)
        uow.record("setting", "setting", name, old, value)
        uow.commit()
        return {"name": name, "value": value, "before": old}


def dedupe(uow, progress=None) -> dict:
    """Rescan every claim for near-duplicates (after a threshold change)."""
    with uow:
        ids = uow.claims.ids()
        n = uow.upkeep.detect(ids, progress=progress)
        uow.record("dedupe", "claims", None, None, {"scanned": len(ids), "suggested": n})
        uow.commit()
        return {"scanned": len(ids), "suggested": n}


def score(uow) -> dict:
    """Recompute belief and credibility for every claim."""
    with uow:
        out = uow.upkeep.rescore_all()
        uow.record("score", "claims", None, None, {k: out[k] for k in ("claims", "changed")})
        uow.commit()
        return out
