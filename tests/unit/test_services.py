"""The main use cases on a fake unit of work: no database, what a user would see."""

from __future__ import annotations

import json

import pytest

from tests.unit.fakes import FakeUnitOfWork
from verifier.adapters.decoding import validate
from verifier.domain import audit, model
from verifier.domain.errors import DomainError, NotFound
from verifier.services import commands, importing


def _events(uow, action=None):
    return [e for e in uow.store.events if action is None or e.action == action]


@pytest.fixture
def uow():
    uow = FakeUnitOfWork()
    commands.add_claim(uow, "The militia withdrew from the bridge", "Eyn Alfurat - network", key="c1")
    commands.add_claim(uow, "The militia withdrew from the bridge on Monday", "SANA", key="c2")
    uow.commits = 0
    uow.upkeep_calls.clear()
    return uow


def test_add_claim_stores_the_claim_its_new_source_and_their_audit_entries():
    uow = FakeUnitOfWork()
    snap = commands.add_claim(uow, "Shelling near the dam at 06:00", "Eyn Alfurat - network", key="c7",
                              subject="dam shelling", value="3", qualifier="at least")
    claim = uow.store.claims["c7"]
    assert claim.text == "Shelling near the dam at 06:00"
    assert claim.source.key == "eyn-alfurat-network" and claim.source.name == "Eyn Alfurat - network"
    assert snap["id"] == "c7" and snap["value"] == 3 and snap["suggested"] == 0
    assert [(e.action, e.entity, e.key) for e in _events(uow)] == [("add", "source", "eyn-alfurat-network"),
                                                                  ("add", "claim", "c7")]
    assert json.loads(_events(uow)[1].after)["text"] == claim.text
    assert uow.commits == 1
    # a new claim is offered to the detector and to the analysts' watches
    assert ("detect", [uow.store.claim_ids["c7"]]) in uow.upkeep_calls
    assert ("notify_watchers", [uow.store.claim_ids["c7"]]) in uow.upkeep_calls


def test_add_claim_refuses_an_id_in_use_and_keeps_nothing(uow):
    with pytest.raises(DomainError, match="already exists"):
        commands.add_claim(uow, "Another text", "a brand new source", key="c1")
    assert uow.commits == 0
    assert "a-brand-new-source" not in uow.store.sources
    assert uow.store.claims["c1"].text == "The militia withdrew from the bridge"
    assert len(_events(uow)) == 4  # the fixture's two sources and two claims


def test_link_two_claims(uow):
    after = commands.link(uow, "c1", "c2", "corroborates", note="same bridge")
    (lk,) = uow.store.links
    assert (lk.a.key, lk.b.key, model.value_of(lk.relation), lk.note) == ("c1", "c2", "corroborates", "same bridge")
    assert after["state"] == "confirmed" and lk.analyst == "ana"
    (event,) = _events(uow, "add")[-1:]
    assert (event.entity, event.key) == ("link", "c1 corroborates c2")
    assert uow.commits == 1
    ids = [uow.store.claim_ids["c1"], uow.store.claim_ids["c2"]]
    assert ("rescore_local", ids) in uow.upkeep_calls  # belief around both claims


def test_linking_a_claim_to_itself_is_refused_and_nothing_is_kept(uow):
    with pytest.raises(DomainError, match="itself"):
        commands.link(uow, "c1", "c1", "corroborates")
    with pytest.raises(NotFound):
        commands.link(uow, "c1", "c404", "corroborates")
    assert uow.store.links == [] and uow.commits == 0 and len(_events(uow)) == 4


def test_resolve_a_claim_sets_its_verdict_status_and_history(uow):
    snap = commands.resolve(uow, "c1", "mostly true", rationale="seen on video")
    assert snap["verdict"] == "mostly-true" and snap["analyst"] == "ana"
    assert uow.store.claims["c1"].status == "mostly-true"
    event = _events(uow)[-1]
    assert (event.action, event.entity, event.key) == ("resolve", "claim", "c1")
    assert json.loads(event.before) == {"status": "unresolved"}
    assert json.loads(event.after)["rationale"] == "seen on video"
    assert audit.verify_chain(_events(uow)) is None  # the fake log is chained as the real one
    assert uow.commits == 1
    # and undone: the status is back, the history keeps both
    commands.unresolve(uow, "c1")
    assert uow.store.claims["c1"].status == "unresolved"
    assert [e.action for e in _events(uow)][-2:] == ["resolve", "unresolve"]


def test_an_unknown_verdict_is_refused_and_nothing_is_kept(uow):
    with pytest.raises(DomainError, match="verdict"):
        commands.resolve(uow, "c1", "probably")
    assert uow.store.resolutions == [] and uow.store.claims["c1"].status == "unresolved"
    assert uow.commits == 0


def test_accept_a_duplicate_suggestion(uow):
    with uow:  # what the detector left for review
        c1, c2 = uow.claims.require("c1"), uow.claims.require("c2")
        uow.links.add(model.Link(c2, c1, "duplicates", origin="detector", state="suggested", score=91.5))
        uow.commit()
    uow.commits = 0
    after = commands.set_link_state(uow, "c1", "c2", "confirmed")
    (lk,) = uow.store.links
    assert model.value_of(lk.state) == "confirmed" and lk.analyst == "ana" and after["state"] == "confirmed"
    event = _events(uow)[-1]
    assert (event.action, event.key) == ("accept", "c2 duplicates c1")
    assert json.loads(event.before)["state"] == "suggested"
    assert uow.commits == 1


def test_a_suggestion_is_not_accepted_into_an_unknown_state(uow):
    with uow:
        c1, c2 = uow.claims.require("c1"), uow.claims.require("c2")
        uow.links.add(model.Link(c2, c1, "duplicates", origin="detector", state="suggested", score=91.5))
        uow.commit()
    uow.commits = 0
    with pytest.raises(DomainError, match="state"):
        commands.set_link_state(uow, "c1", "c2", "maybe")
    assert model.value_of(uow.store.links[0].state) == "suggested" and uow.commits == 0


def _records(*lines):
    return [validate(raw.pop("kind"), raw, "batch.jsonl", i) for i, raw in enumerate(lines, start=1)]


def _batch():
    return _records(
        {"kind": "source", "id": "sana", "name": "SANA", "type": "official"},
        {"kind": "claim", "id": "b1", "text": "Convoy stopped at the checkpoint", "source": "sana"},
        {"kind": "claim", "id": "b2", "text": "The convoy was stopped", "source": "witness-7", "via": ["sana"]},
        {"kind": "link", "from": "b2", "to": "b1", "relation": "corroborates"},
        {"kind": "resolution", "claim": "b1", "verdict": "true", "rationale": "photos"},
    )


def _import(uow, records):
    """As ``verifier import`` runs it: the caller's unit of work, committed once at the end."""
    with uow:
        counts = importing.import_records(uow, records, "batch.jsonl", "abc")
        uow.commit()
    return counts


def test_import_a_small_batch(uow):
    counts = _import(uow, _batch())
    assert {k: counts[k] for k in ("sources", "claims", "links", "resolutions")} == \
        {"sources": 2, "claims": 2, "links": 1, "resolutions": 1}
    claims = {r["key"]: r for r in uow.store.rows("claims")}
    sources = {r["id"]: r["key"] for r in uow.store.rows("sources")}
    assert claims["b1"]["text"] == "Convoy stopped at the checkpoint" and sources[claims["b1"]["source_id"]] == "sana"
    assert sources[claims["b2"]["source_id"]] == "witness-7"  # a source merely named is created
    assert claims["b1"]["status"] == "true" and claims["b2"]["status"] == "unresolved"
    (link,) = uow.store.rows("links")
    assert (link["from_id"], link["to_id"], link["state"]) == (claims["b2"]["id"], claims["b1"]["id"], "confirmed")
    event = _events(uow)[-1]
    assert (event.action, event.entity, event.key) == ("import", "file", "batch.jsonl")
    assert json.loads(event.after)["added"]["claims"] == 2
    assert uow.commits == 1
    # importing the same batch again changes nothing and logs nothing
    again = _import(uow, _batch())
    assert not any(again.values()) and len(uow.store.rows("claims")) == 2
    assert _events(uow)[-1] == event


def test_an_import_refused_halfway_keeps_nothing(uow):
    records = _records(
        {"kind": "claim", "id": "b1", "text": "Convoy stopped at the checkpoint", "source": "sana"},
        {"kind": "link", "from": "b1", "to": "b404", "relation": "corroborates"},
    )
    with pytest.raises(importing.ImportFileError, match="no claim 'b404'"):
        _import(uow, records)
    assert uow.store.rows("claims") == [] and uow.store.rows("sources") == []
    assert uow.commits == 0 and len(_events(uow)) == 4
