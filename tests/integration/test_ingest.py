"""Reports into proposals and their review, on SQLite and PostgreSQL: atomic, once per file,
counted in nothing until accepted, every action audited and undoable."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from attrs import evolve
from sqlalchemy import func, select

from tests.conftest import import_path
from verifier import views
from verifier.adapters import exporters, orm
from verifier.domain import audit, model
from verifier.domain.checks import parse_date
from verifier.domain.errors import DomainError
from verifier.domain.extraction import DocumentError
from verifier.services import commands, corroboration, ingest
from verifier.services import report as report_service

REPORTS = Path(__file__).resolve().parents[1] / "reports"
TXT = REPORTS / "golan-report-2020-06.txt"


@pytest.fixture
def known(store):
    import_path(store, REPORTS / "golan-sources.jsonl")
    return store


def _ingest(store, path=TXT, **kw):
    kw.setdefault("publisher", "alma")
    kw.setdefault("published", "2020-06-20")
    return ingest.ingest(store.uow(), path, **kw)


def _count(store, table) -> int:
    with store.uow(readonly=True) as uow:
        return uow.session.execute(select(func.count()).select_from(table)).scalar()


def _everything_counted(store) -> dict:
    """What the read paths and exports show: claims, sources' records, links, corroboration,
    the track-record report, the duplicate queue, the claim records of an export."""
    with store.uow(readonly=True) as uow:
        s = uow.session
        out = io.StringIO()
        exporters.write_jsonl(s, out)
        exported = [json.loads(line) for line in out.getvalue().splitlines()]
        return {
            "claims": views.claims(s), "queue": views.claims(s, unresolved=True, order="queue"),
            "sources": [(r.id, r.claims, r.score) for r in views.sources(s)],
            "summary": evolve(views.summary(s), events=0),
            "check": corroboration.check(s, "k1"), "duplicates": views.duplicate_queue(s, state=None),
            "report": report_service.build(s)["sources"],
            "exported": [r for r in exported if r["kind"] != "document"],
        }


def _proposal(store, text_part: str) -> dict:
    return next(p for p in ingest.listing(store.uow(readonly=True), state=None) if text_part in p["text"])


def test_a_report_becomes_proposals_with_a_document_record(known):
    out = _ingest(known)
    assert not out["unchanged"] and len(out["ids"]) == len(out["proposals"]) >= 5
    with known.uow(readonly=True) as uow:
        doc = uow.proposals.report(out["document"])
    assert doc["publisher"] == "alma" and str(doc["published"]) == "2020-06-20"
    assert doc["digest"] and len(doc["digest"]) == 64 and doc["body"] == TXT.read_text()
    fighters = _proposal(known, "1200 fighters")
    assert fighters["source"] == "sohr" and fighters["via"] == ["alma"]  # recognised: no new source
    assert (fighters["value"], fighters["qualifier"]) == (1200, "more than")
    assert "1200 fighters" in doc["body"][fighters["start"]:fighters["end"]]
    relayed = _proposal(known, "450 young men")
    assert relayed["via"] == ["enab", "alma"] and relayed["new_source"]
    own = _proposal(known, "recruitment campaign in southern Syria")  # the report's own voice
    assert own["source"] == "alma" and own["via"] == [] and own["cue"] is None
    assert not own["text"].startswith("Our assessment")  # the claim, not the phrase that introduces it


def test_reingesting_the_same_file_changes_nothing(known, tmp_path):
    first = _ingest(known)
    events, proposals = _count(known, orm.events), _count(known, orm.proposals)
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(TXT.read_bytes())
    for path in (TXT, copy):
        again = _ingest(known, path, publisher="a brand new publisher", title="Another title")
        assert again["unchanged"] and again["document"] == first["document"]
    assert (_count(known, orm.events), _count(known, orm.proposals)) == (events, proposals)
    with known.uow(readonly=True) as uow:
        assert uow.sources.find("a brand new publisher") is None


def test_an_ingest_is_atomic(known, tmp_path):
    """A report that fails halfway (a sentence too long to be a claim) leaves nothing: not
    the document, not the proposals, not the new publisher created before the failure."""
    path = tmp_path / "long.txt"
    path.write_text("Reuters reported that it rained.\n\nThe army said that " + "very " * 5000 + "much.\n")
    events = _count(known, orm.events)
    with pytest.raises(DocumentError, match=r"long.txt: the claim at characters \d+-\d+: text: longer than"):
        _ingest(known, path, publisher="Some New Outlet")
    assert _count(known, orm.events) == events and _count(known, orm.proposals) == 0
    with known.uow(readonly=True) as uow:
        assert uow.sources.find("Some New Outlet") is None and uow.proposals.reports() == []


@pytest.mark.parametrize("content", [b"\x00\x01\x02binary", b"Reuters reported that caf\xe9 prices rose."])
def test_hostile_files_write_nothing(known, tmp_path, content):
    path = tmp_path / "hostile.txt"
    path.write_bytes(content)
    events = _count(known, orm.events)
    with pytest.raises(DocumentError):
        _ingest(known, path, publisher="Yet Another Outlet")
    assert _count(known, orm.events) == events and _count(known, orm.documents) == 0


def test_proposals_count_in_nothing_until_accepted(known):
    before = _everything_counted(known)
    _ingest(known)
    assert _everything_counted(known) == before
    p = _proposal(known, "1200 fighters")
    (accepted,) = ingest.accept(known.uow(), [p["id"]])
    after = _everything_counted(known)
    assert len(after["claims"]) == len(before["claims"]) + 1
    assert any(c["id"] == accepted["claim"] for c in after["exported"] if c["kind"] == "claim")
    assert dict((k, n) for k, n, _ in after["sources"])["sohr"] == dict((k, n) for k, n, _ in before["sources"])["sohr"] + 1


def test_accepting_runs_the_usual_claim_path(known):
    _ingest(known)
    p = _proposal(known, "1200 fighters")
    (out,) = ingest.accept(known.uow(), [p["id"]])
    with known.uow(readonly=True) as uow:
        claim = views.claim_detail(uow.session, out["claim"])
        history = uow.events.for_key("proposal", str(p["id"]))
    assert claim.source == "sohr" and claim.via == ("alma",) and claim.document.id == p["document"]
    assert claim.document.title == "Hezbollah recruitment continues near the Golan border."
    assert claim.published == "2020-06-20"
    # the fixture's k1 says the same with the same figure: derived corroboration and the detector ran
    others = {ln.other for ln in claim.links}
    assert "k1" in others
    assert [e["action"] for e in history] == ["propose", "accept"]
    with known.uow(readonly=True) as uow:
        assert uow.sources.get("sohr").affiliation == "opposition"  # offered by "(Opposition)", taken on acceptance


def test_a_new_source_is_created_on_acceptance_with_the_kind_the_report_gives(known):
    _ingest(known)
    p = _proposal(known, "300 families")
    with known.uow(readonly=True) as uow:
        assert uow.sources.find("Zaman al-Wasl") is None  # proposed, not created
    (out,) = ingest.accept(known.uow(), [p["id"]])
    with known.uow(readonly=True) as uow:
        src = uow.sources.require(out["source"])
    assert src.name == "Zaman al-Wasl" and model.value_of(src.kind) == "outlet"
    q = _proposal(known, "recruitment office")
    (out2,) = ingest.accept(known.uow(), [q["id"]])
    with known.uow(readonly=True) as uow:
        assert model.value_of(uow.sources.require(out2["source"]).kind) == "social"  # "network"


def test_reject_is_undone_by_accept_and_accept_by_undo(known):
    _ingest(known)
    p = _proposal(known, "1200 fighters")
    ingest.reject(known.uow(), [p["id"]])
    assert _proposal(known, "1200 fighters")["state"] == "rejected"
    claims_before = _count(known, orm.claims)
    (out,) = ingest.accept(known.uow(), [p["id"]])
    assert _count(known, orm.claims) == claims_before + 1
    ingest.undo(known.uow(), p["id"])
    assert _count(known, orm.claims) == claims_before
    back = _proposal(known, "1200 fighters")
    assert back["state"] == "proposed" and back["claim"] is None
    with known.uow(readonly=True) as uow:
        assert uow.claims.get(out["claim"]) is None
        k1 = views.claim_detail(uow.session, "k1")
    assert all(ln.other != out["claim"] for ln in k1.links)
    with known.uow(readonly=True) as uow:
        assert audit.verify_chain(views.all_events(uow.session)) is None


def test_an_acceptance_stays_when_something_depends_on_its_claim(known):
    _ingest(known)
    p = _proposal(known, "1200 fighters")
    (out,) = ingest.accept(known.uow(), [p["id"]])
    commands.resolve(known.uow(), out["claim"], "true")
    with pytest.raises(DomainError, match="verdict"):
        ingest.undo(known.uow(), p["id"])
    commands.unresolve(known.uow(), out["claim"])
    commands.link(known.uow(), out["claim"], "k1", "duplicates", "same count")  # confirms the detector's suggestion
    with pytest.raises(DomainError, match="links an analyst"):
        ingest.undo(known.uow(), p["id"])
    assert _proposal(known, "1200 fighters")["state"] == "accepted"
    commands.set_link_state(known.uow(), out["claim"], "k1", "suggested", "duplicates")  # the analyst's undo
    ingest.undo(known.uow(), p["id"])  # the detector's suggestion and the derived link do not hold it
    assert _proposal(known, "1200 fighters")["state"] == "proposed"


def test_accepting_several_is_all_or_nothing(known):
    _ingest(known, publisher=None)  # own-voice proposals then have no source
    good, own = _proposal(known, "1200 fighters"), _proposal(known, "recruitment campaign in southern")
    claims = _count(known, orm.claims)
    with pytest.raises(DomainError, match="names no source"):
        ingest.accept(known.uow(), [good["id"], own["id"]])
    assert _count(known, orm.claims) == claims and _proposal(known, "1200 fighters")["state"] == "proposed"
    ingest.edit(known.uow(), own["id"], source="Alma Research and Education Center")
    assert _proposal(known, "recruitment campaign in southern")["source"] == "alma"
    ingest.accept(known.uow(), [good["id"], own["id"]])
    assert _count(known, orm.claims) == claims + 2


def test_split_merge_and_their_reverse(known):
    _ingest(known)
    office = _proposal(known, "recruitment office")
    salary = _proposal(known, "monthly salary")
    merged = ingest.merge(known.uow(), office["id"], salary["id"])
    assert "recruitment office" in merged["text"] and "monthly salary" in merged["text"]
    assert _proposal(known, "monthly salary")["id"] == office["id"]
    first, second = ingest.split(known.uow(), office["id"])
    assert "recruitment office" in first["text"] and "monthly salary" in second["text"]
    with known.uow(readonly=True) as uow:
        stored = uow.proposals.get(office["id"]).snapshot()
    ingest.revert(known.uow(), [stored | {"text": office["text"], "end": office["end"]}], remove=[second["id"]])
    assert _proposal(known, "recruitment office")["text"] == office["text"]
    with known.uow(readonly=True) as uow:
        actions = [e["action"] for e in uow.events.for_key("proposal", str(office["id"]))]
    assert actions == ["propose", "merge", "split", "undo"]


def test_a_dry_run_writes_nothing(known):
    events = _count(known, orm.events)
    out = _ingest(known, dry_run=True, publisher="A Publisher Nobody Knows")
    assert out["proposals"] and _count(known, orm.events) == events and _count(known, orm.proposals) == 0


def test_what_the_extractor_proposes_is_stored_as_given(known, tmp_path, monkeypatch):
    """The service on hand-made extractor output (whatever extractor is installed): offsets,
    mention, relays, cue and figures kept; the sources recognised or proposed once."""
    from datetime import date

    from verifier.domain.attribution import ProposedClaim

    text = "Activists quoted by the “Deir Now” network said that between 40 and 60 fighters left Mayadin on 3 June."
    path = tmp_path / "one.txt"
    path.write_text(text)
    claim = "between 40 and 60 fighters left Mayadin on 3 June"
    given = [ProposedClaim(
        text=claim, start=text.index(claim), end=text.index(claim) + len(claim), source_mention="Activists",
        source_name="Activists", source_start=0, source_end=9, via=("the “Deir Now” network",), cue="said",
        confidence=0.7, value=40, value_high=60, qualifier="between", unit="fighters", event_date=date(2020, 6, 3),
        location="Mayadin",
    )]
    seen = {}

    def fake_extract(t, *, published=None, backend="rules"):
        seen["text"], seen["published"] = t, published
        return given

    monkeypatch.setattr(ingest, "extract", fake_extract)
    out = _ingest(known, path)
    assert seen == {"text": text, "published": parse_date("2020-06-20", "published")}
    (p,) = out["proposals"]
    assert text[p["start"]:p["end"]] == claim and p["source_mention"] == "Activists"
    assert p["via"] == ["Deir Now", "alma"] and p["cue"] == "said" and p["confidence"] == 0.7
    # the place under the gazetteer's name (verifier.domain.names): one place, one spelling
    assert (p["value"], p["qualifier"], p["unit"], p["event_date"], p["location"]) == \
        ([40, 60], "between", "fighters", "2020-06-03", "Al-Mayadin")
    (acc,) = ingest.accept(known.uow(), out["ids"])
    with known.uow(readonly=True) as uow:
        c = views.claim_detail(uow.session, acc["claim"])
    assert c.source == "activists" and c.via == ("deir-now", "alma") and c.figure.value == [40, 60]


def test_a_source_named_in_full_then_by_its_first_words_is_one_new_source(store, tmp_path):
    """«المرصد السوري لحقوق الإنسان» then «المرصد السوري» in one report: one proposed source, not two
    (a report names a source in full, then by its first words); the same in English."""
    report = tmp_path / "r.txt"
    report.write_text("بحسب المرصد السوري لحقوق الإنسان، قُتل 11 عنصراً في غارة قرب البوكمال.\n\n"
                      "ووفقاً للمرصد السوري، انسحبت الميليشيا من القائم يوم الأربعاء.\n\n"
                      "According to the Levant Monitoring Group, the road was closed.\n\n"
                      "The Levant Monitoring said that the crossing reopened on Friday.\n", encoding="utf-8")
    _ingest(store, report, published="2020-05-20")
    shown = ingest.listing(store.uow())
    sources = {p["source"] for p in shown if p["new_source"]}
    assert "المرصد السوري لحقوق الإنسان" in sources and "المرصد السوري" not in sources, shown
    assert "Levant Monitoring Group" in sources and "Levant Monitoring" not in sources, shown
