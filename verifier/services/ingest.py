"""Reading reports into proposals, and the analyst's review of them.

``ingest`` reads one report (adapters.reports), extracts its attributed claims
(domain.extraction), recognises their sources among the known ones (domain.recognition) and
stores them as proposals with a document record, in one unit of work: all of it or none of
it; the same file (same SHA-256) a second time changes nothing.

Proposals count in nothing until accepted: ``accept`` turns one into an ordinary claim through
``commands.create_claim`` (so derivation and near-duplicate detection run as for any claim).
Every action is audited (entity "proposal") and has a reverse: ``reject`` by ``accept``,
``accept`` by ``unaccept`` (the claim is removed when nothing depends on it), and any edit,
split or merge by ``revert`` to the snapshot the audit log keeps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from verifier.adapters.reports import Report, read_report
from verifier.domain import model
from verifier.domain import proposals as prop
from verifier.domain.attribution import ProposedClaim
from verifier.domain.checks import check_text, parse_date, slug
from verifier.domain.errors import DomainError, NotFound
from verifier.domain.extraction import DocumentError, extract, figures
from verifier.domain.names import gazetteer
from verifier.domain.proposals import Proposal, ProposalState, SourceRef
from verifier.domain.recognition import KnownSource, SourceIndex, clean_mention, kind_of
from verifier.services import commands

OPEN = (ProposalState.PROPOSED, ProposalState.REJECTED)
# Kind words the extractor leaves out of a name ("the Orient website" -> "Orient"); the others
# ("Defence Ministry", "Syrian Observatory") are part of it.
_DROPPED_KINDS = (None, "network", "website", "site", "channel", "newspaper", "portal", "account", "page")


# --------------------------------------------------------------------------- ingest

def ingest(uow, path: str | Path, *, publisher: str | None = None, published=None, title: str | None = None,
           url: str | None = None, backend: str = "rules", dry_run: bool = False) -> dict:
    """Read one report into proposals. Returns {"file", "document", "proposals": [summary...],
    "unchanged": bool}; with dry_run nothing is written (the document key is only a guess) and
    the proposals are listed even for a file ingested before."""
    report = read_report(path)
    published = parse_date(published, "published")
    with uow:
        existing = uow.proposals.document_by_digest(report.digest)
        if existing is not None and not dry_run:
            return {"file": report.path, "document": existing, "unchanged": True, "proposals": []}
        pub = _publisher(uow, publisher, create=not dry_run)
        key = existing or _document_key(uow, title or report.title or Path(report.path).stem)
        found = extract(report.text, published=published, backend=backend)
        try:
            proposals = propose(found, uow.proposals.known_sources(), key, pub)
        except DomainError as exc:
            raise DocumentError(report.path, str(exc)) from None
        out = {"file": report.path, "document": key, "unchanged": existing is not None,
               "proposals": [p.summary() for p in proposals]}
        if dry_run:  # a preview, also of a file ingested before ("unchanged": ingesting it would change nothing)
            return out
        _store(uow, report, key, pub, proposals, title=title or report.title, url=url, published=published)
        uow.commit()
        out["ids"] = [p.id for p in proposals]
        return out


def _store(uow, report: Report, key: str, pub: SourceRef | None, proposals: list[Proposal], **fields) -> None:
    doc = model.Document(key=key, publisher=uow.sources.get(pub.key) if pub and pub.key else None,
                         retrieved=date.today(), **fields)
    uow.documents.add(doc)
    uow.record("add", "document", key, None, {**doc.snapshot(), "file": report.path, "sha256": report.digest})
    uow.proposals.set_report(key, report.digest, report.text)
    for p in proposals:
        uow.proposals.add(p)
        uow.record("propose", "proposal", str(p.id), None, p.snapshot())


def propose(found: Iterable[ProposedClaim], known: Sequence[KnownSource], document: str,
            publisher: SourceRef | None) -> list[Proposal]:
    """The extractor's claims as proposals: each mention recognised among the known sources
    (a new source once per report, however often it is named), the relay chain closed by
    the publisher, figures validated (an unreadable one is dropped, not fatal)."""
    index, new = SourceIndex(known), SourceIndex([])
    places = gazetteer()
    out = []
    for pc in found:
        mention = pc.source_name or pc.source_mention
        source = _recognise(mention, index, new, pc.source_kind, pc.affiliation, cleaned=True) if mention \
            else publisher
        via = [_recognise(v, index, new, cleaned=True).label for v in pc.via]
        try:
            value = prop.proposal_value(pc.value, pc.qualifier, pc.unit, pc.value_high)
        except DomainError:
            value = None
        try:
            out.append(Proposal(
                id=None, document=document, text=prop.claim_text(pc.text), source=source, start=pc.start, end=pc.end,
                via=prop.relay_chain(via, publisher.label if publisher else None, source.label if source else None),
                source_mention=pc.source_mention, source_start=pc.source_start, source_end=pc.source_end,
                cue=pc.cue, confidence=pc.confidence, value=value, event_date=pc.event_date,
                location=_place(places, pc.location, pc.text), denial=pc.denial,
            ))
        except DomainError as exc:
            raise DomainError(f"the claim at characters {pc.start}-{pc.end}: {exc.field}", exc.problem) from None
    return out


def _place(places, location: str | None, text: str) -> str | None:
    """The claim's place under the gazetteer's name ("Dayr az-Zawr" -> "Deir ez-Zor"); a place
    the gazetteer finds in the text (in any script) when the extractor gave none."""
    if location:
        return places.canonical(location)
    found = places.places_in(text)
    return found[0].name if found else None


def _recognise(mention: str, index: SourceIndex, new: SourceIndex, kind_word: str | None = None,
               affiliation: str | None = None, *, cleaned: bool = False) -> SourceRef:
    """The known source a mention names, else a new one. ``cleaned``: the extractor already took
    the mention apart (its name keeps the kind word that is part of it: "Defence Ministry")."""
    match = index.match(mention, affiliation=affiliation)
    if match is not None:
        return SourceRef(match.key, match.name, None, match.offered_affiliation)
    again = new.match(mention, affiliation=affiliation)
    if again is not None:
        return SourceRef(None, again.name, None, again.offered_affiliation)
    if (named := new.shortened(mention)) is not None:  # a new source named in full earlier in the report
        return SourceRef(None, named.name, None, affiliation or named.affiliation)
    parts = clean_mention(mention)
    if cleaned and parts.kind_word not in _DROPPED_KINDS and \
            " ".join(mention.split()).lower() == f"{parts.name} {parts.kind_word}".lower():
        parts = type(parts)(" ".join(mention.split()), None, parts.kind_word)  # "Defence Ministry", not "Defence"
    ref = SourceRef(None, parts.name, kind_of(kind_word or parts.kind_word).value, affiliation or parts.affiliation)
    new.add(KnownSource(parts.name, parts.name, (), ref.affiliation))
    return ref


def _publisher(uow, name: str | None, *, create: bool) -> SourceRef | None:
    """The report's publisher: a known source by id, name, alias or a close name, else a new
    source (created now, audited: the document record needs it; not in a dry run)."""
    if not name:
        return None
    name = check_text(name, "publisher", limit=500)
    found = uow.sources.find(name)
    if found is None:
        match = SourceIndex(uow.proposals.known_sources()).match(name)
        found = uow.sources.get(match.key) if match else None
    if found is not None:
        return SourceRef(found.key, found.name)
    # a name typed on the command line is taken as written ("Levant Observatory" stays whole);
    # only its kind is read from its words
    parts, name = clean_mention(name), " ".join(name.split())
    key = _free_key(lambda k: uow.sources.get(k) is not None, name)
    if create:
        source = model.Source(key=key, name=name, kind=kind_of(parts.kind_word))
        uow.sources.add(source)
        uow.record("add", "source", key, None, source.snapshot())
    return SourceRef(key, name)


def _free_key(taken, text: str) -> str:
    """The slug add_claim gives a new source's name (a title's, cut to 80 characters), made free."""
    base = slug(text)[:80].rstrip("-.") or "report"
    key, n = base, 1
    while taken(key):
        n += 1
        key = f"{base}-{n}"
    return key


def _document_key(uow, title: str) -> str:
    return _free_key(lambda k: uow.documents.get(k) is not None, title)


# --------------------------------------------------------------------------- review

def listing(uow, *, document: str | None = None, state: str | None = "proposed") -> list[dict]:
    with uow:
        if document is not None and uow.documents.get(document) is None:
            raise NotFound("document", document)
        st = ProposalState.parse(state, "state").value if state else None
        return [{"id": p.id, "document": p.document, "state": p.state.value, "claim": p.claim, **p.summary(),
                 "new_source": bool(p.source and p.source.key is None)}
                for p in uow.proposals.list(document=document, state=st)]


def accept(uow, ids: Sequence) -> list[dict]:
    """Accept proposals (all or none): each becomes a claim, its new source (with the kind the
    report gives) created first, the affiliation the report offers given to a source that had none.
    Near-duplicates are looked for once for all of them ("suggested": how many pairs were found)."""
    with uow:
        out, created = [], []
        for pid in ids:
            p = uow.proposals.require(pid)
            p.require_state(*OPEN)
            before = p.snapshot()
            source = _accepted_source(uow, p)
            doc = uow.documents.get(p.document)
            value = p.value
            key = f"p{p.id}"  # the claim from proposal 12 is p12 (again if accepted again after an undo)
            snap = commands.create_claim(
                uow, p.text, source, key=None if uow.claims.get(key) else key, via=p.via, document=p.document, published=doc.published if doc else None,
                event_date=p.event_date, location=p.location, value=value.to_json() if value else None,
                qualifier=model.value_of(value.qualifier) if value else None, unit=value.unit if value else None,
                detect=False,  # below, once for all of them (one embedding batch with the semantic extra)
            )
            created.append(uow.claims.id_of(snap["id"]))
            p.state, p.claim = ProposalState.ACCEPTED, snap["id"]
            p.source = SourceRef(source, p.source.name)
            uow.proposals.save(p)
            uow.record("accept", "proposal", str(p.id), before, p.snapshot())
            out.append({"proposal": p.id, "claim": snap["id"], "source": source})
        suggested = uow.upkeep.detect(created) if created else 0
        uow.commit()
        return [{**r, "suggested": suggested} for r in out]


def _accepted_source(uow, p: Proposal) -> str:
    if p.source is None:
        raise DomainError("source", f"proposal {p.id} names no source: give one with "
                                          f"`verifier proposals edit {p.id} --source NAME`")
    ref = p.source
    if ref.key is not None:
        source = uow.sources.require(ref.key)
        if ref.affiliation and not source.affiliation:
            before = source.snapshot()
            source.affiliation = check_text(ref.affiliation, "affiliation", required=False, limit=500)
            uow.record("edit", "source", source.key, before, source.snapshot())
        return source.key
    found = uow.sources.find(ref.name)  # created since the report was read (an earlier acceptance)
    if found is not None:
        return found.key
    key = _free_key(lambda k: uow.sources.get(k) is not None, ref.name)
    source = model.Source(key=key, name=ref.name, kind=ref.kind, affiliation=ref.affiliation)
    uow.sources.add(source)
    uow.record("add", "source", key, None, source.snapshot())
    return key


def reject(uow, ids: Sequence) -> list[dict]:
    with uow:
        out = []
        for pid in ids:
            p = uow.proposals.require(pid)
            p.require_state(ProposalState.PROPOSED)
            before = p.snapshot()
            p.state = ProposalState.REJECTED
            uow.proposals.save(p)
            uow.record("reject", "proposal", str(p.id), before, p.snapshot())
            out.append({"proposal": p.id, "state": p.state.value})
        uow.commit()
        return out


def unaccept(uow, pid) -> dict:
    """Undo an acceptance: the claim it made is removed (the audit log keeps it) and the
    proposal awaits review again; refused when something depends on the claim (a verdict,
    a link an analyst made or decided)."""
    with uow:
        p = uow.proposals.require(pid)
        p.require_state(ProposalState.ACCEPTED)
        claim = uow.claims.get(p.claim) if p.claim else None
        before = p.snapshot()
        if claim is not None:
            ties = uow.proposals.claim_ties(claim.key)
            if ties.resolved:
                raise DomainError("claim", f"{claim.key} has a verdict: unresolve it first, then undo the acceptance")
            if ties.decided:
                raise DomainError("claim", f"{claim.key} has links an analyst made or decided: the acceptance stays")
            snap = claim.snapshot()
            uow.claims.remove(claim)
            uow.flush()
            if ties.neighbours:
                uow.claims.refresh_link_counts(ties.neighbours)
                uow.upkeep.rescore_local(sorted(ties.neighbours))
            uow.record("remove", "claim", snap["id"], snap, None)
        p.state, p.claim = ProposalState.PROPOSED, None
        uow.proposals.save(p)
        uow.record("undo-accept", "proposal", str(p.id), before, p.snapshot())
        uow.commit()
        return {"proposal": p.id, "state": p.state.value, "removed_claim": before["claim"]}


def edit(uow, pid, *, text: str | None = None, source: str | None = None, via: Sequence[str] | None = None,
         location: str | None = None, value: str | None = None, qualifier: str | None = None,
         unit: str | None = None, event_date=None) -> dict:
    """Correct a proposal. A new text is read again for its figure (unless a value or qualifier
    is given too); ``value`` "" clears the figure, ``event_date`` "" clears the date."""
    with uow:
        p = uow.proposals.require(pid)
        p.require_state(*OPEN)
        before = p.snapshot()
        if text is not None:
            p.text = check_text(text, "text")
            if value is None and qualifier is None:
                p.value = _figure(p.text)
        if value is not None or qualifier is not None or unit is not None:
            p.value = _edited_value(p.value, value, qualifier, unit)
        if event_date is not None:
            p.event_date = event_date or None
        if source is not None:
            name = check_text(source, "source", limit=500)
            known = uow.sources.find(name)
            p.source = (SourceRef(known.key, known.name) if known is not None
                        else _recognise(name, SourceIndex(uow.proposals.known_sources()), SourceIndex([])))
        if via is not None:
            p.via = list(via)
        if location is not None:
            p.location = check_text(location, "location", required=False, limit=500)
        report = uow.proposals.report(p.document)
        p.via = prop.relay_chain(p.via, report["publisher"] if report else None, p.source.label if p.source else None)
        after = p.snapshot()
        if after != before:
            uow.proposals.save(p)
            uow.record("edit", "proposal", str(p.id), before, after)
            uow.commit()
        return after


def _figure(text: str):
    """The figure the extractor reads in ``text`` (value, qualifier, unit), or None."""
    number, qualifier, high, unit = figures.value_of(text)
    try:
        return prop.proposal_value(number, qualifier, unit, high)
    except DomainError:
        return None


def _edited_value(current, value: str | None, qualifier: str | None, unit: str | None):
    """The figure with what the analyst typed in place of its parts: "3000", or "3000-4000"
    with qualifier between; a part left out keeps the current one."""
    if value == "":
        return None
    if value is None:
        if current is None:
            raise DomainError("value", "this proposal has no figure: give --value too")
        value = current.to_json()
    qualifier = qualifier if qualifier is not None else (current.qualifier.value if current else None)
    unit = unit if unit is not None else (current.unit if current else None)
    if isinstance(value, str) and qualifier and qualifier.strip().lower() == "between":
        low, sep, high = value.partition("-")
        if not sep:
            raise DomainError("value", f"qualifier between needs LOW-HIGH, got {value!r}")
        return prop.proposal_value(_number(low), "between", unit or None, _number(high))
    return prop.proposal_value(value, qualifier or None, unit or None)


def _number(text: str) -> float:
    try:
        return float(text.strip().replace(",", ""))
    except ValueError:
        raise DomainError("value", f"expected a number, got {text.strip()!r}") from None


def split(uow, pid, at: int | None = None) -> tuple[dict, dict]:
    """Cut a proposal in two at character ``at`` of its text (default: the sentence or clause
    boundary nearest its middle)."""
    with uow:
        p = uow.proposals.require(pid)
        p.require_state(ProposalState.PROPOSED)
        if at is None:
            at = prop.split_point(p.text)
            if at is None:
                raise DomainError("at", f"proposal {p.id} has no sentence or clause boundary to split at")
        before = p.snapshot()
        first, second = prop.split(p, at)
        uow.proposals.save(first)
        uow.proposals.add(second)
        uow.record("split", "proposal", str(p.id), before, {"into": [first.snapshot(), second.snapshot()]})
        uow.commit()
        return first.snapshot(), second.snapshot()


def merge(uow, a, b) -> dict:
    """Merge proposal ``b`` into ``a``: one proposal over both spans, with a's source; b is
    rejected (the audit log says merged into a)."""
    with uow:
        pa, pb = uow.proposals.require(a), uow.proposals.require(b)
        if pa.id == pb.id:
            raise DomainError("proposal", "a proposal cannot be merged with itself")
        for p in (pa, pb):
            p.require_state(ProposalState.PROPOSED)
        report = uow.proposals.report(pa.document)
        before = [pa.snapshot(), pb.snapshot()]
        merged = prop.merge(pa, pb, report["body"] if report else None)
        pb.state = ProposalState.REJECTED
        uow.proposals.save(merged)
        uow.proposals.save(pb)
        uow.record("merge", "proposal", str(pa.id), {"proposals": before},
                   {"proposal": merged.snapshot(), "merged": pb.id})
        uow.commit()
        return merged.snapshot()


def revert(uow, snapshots: Sequence[dict], remove: Sequence[int] = ()) -> None:
    """Put proposals back as their snapshots say, and remove those an action created (the
    reverse of an edit, a split, a merge or a rejection; audited as "undo")."""
    with uow:
        for snap in snapshots:
            current = uow.proposals.require(snap["id"])
            if current.state is ProposalState.ACCEPTED:
                raise DomainError("proposal", f"proposal {current.id} was accepted since: undo that first")
            restored = Proposal.from_snapshot(snap)
            restored.state = ProposalState.parse(snap["state"], "state")
            uow.proposals.save(restored)
            uow.record("undo", "proposal", str(restored.id), current.snapshot(), restored.snapshot())
        for pid in remove:
            gone = uow.proposals.require(pid)
            if gone.state is ProposalState.ACCEPTED:
                raise DomainError("proposal", f"proposal {gone.id} was accepted since: undo that first")
            uow.proposals.remove(gone.id)
            uow.record("remove", "proposal", str(gone.id), gone.snapshot(), None)
        uow.commit()


def undo(uow, pid) -> dict:
    """The command line's undo of the last decision on a proposal: an acceptance is undone
    (unaccept), a rejection reopened."""
    with uow:
        p = uow.proposals.require(pid)
        state = p.state
    if state is ProposalState.ACCEPTED:
        return unaccept(uow, pid)
    if state is ProposalState.REJECTED:
        with uow:
            p = uow.proposals.require(pid)
            before = p.snapshot()
            p.state = ProposalState.PROPOSED
            uow.proposals.save(p)
            uow.record("reopen", "proposal", str(p.id), before, p.snapshot())
            uow.commit()
            return {"proposal": p.id, "state": p.state.value}
    raise DomainError("proposal", f"proposal {pid} awaits review: nothing to undo")


def review(uow, document: str) -> dict:
    """The review screen's data: the report's text and every proposal of it."""
    with uow:
        report = uow.proposals.report(document)
        if report is None:
            raise NotFound("document", document)
        items = [{"id": p.id, "state": p.state.value, "claim": p.claim, **p.snapshot()}
                 for p in uow.proposals.list(document=document)]
        return {**report, "proposals": items}


def reports(uow) -> list[dict]:
    with uow:
        return uow.proposals.reports()
