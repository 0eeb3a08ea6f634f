"""Denials keep their meaning end to end (issue 20, item 6), on SQLite and PostgreSQL: a report's
denial is ingested as its source asserting the negation, and once accepted the pair judgement
calls it a possible contradiction of a stored claim asserting the content, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier import views
from verifier.services import commands, corroboration, ingest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _ingest_text(store, tmp_path, text: str | Path) -> list[dict]:
    path = tmp_path / "report.txt"
    path.write_text(text if isinstance(text, str) else text.read_text(encoding="utf-8"), encoding="utf-8")
    out = ingest.ingest(store.uow(), path, publisher="Alma Center", published="2020-05-18")
    return ingest.listing(store.uow(), document=out["document"])


@pytest.mark.parametrize(("report", "asserted", "source", "negation"), [
    ("The Defence Ministry denied that any civilians were hurt in the strike on Sarmada.\n",
     "Civilians were hurt in the strike on Sarmada.", "Defence Ministry",
     "No civilians were hurt in the strike on Sarmada."),
    (FIXTURES / "arabic-field-report-2020-05.txt",
     "يوجد مقاتلون أجانب في مطار النيرب العسكري.", "سانا", "لا وجود لأي مقاتلين أجانب في مطار النيرب العسكري."),
], ids=["english", "arabic"])
def test_an_accepted_denial_contradicts_the_claim_asserting_it(store, tmp_path, report, asserted, source, negation):
    with store.uow() as uow:
        commands.create_claim(uow, asserted, "White Helmets", key="wh1")
        uow.commit()
    proposals = _ingest_text(store, tmp_path, report)
    denial = next(p for p in proposals if p["denial"])
    assert (denial["source"], denial["text"]) == (source, negation)
    assert not any(p["denial"] for p in proposals if p is not denial)
    (accepted,) = ingest.accept(store.uow(), [denial["id"]])
    with store.uow(readonly=True) as uow:
        pairs = {frozenset((d.a, d.b)): d for d in views.duplicate_queue(uow.session, state=None)}
        pair = pairs[frozenset(("wh1", accepted["claim"]))]
        assert pair.kind == "conflict" and "negation" in (pair.reason or "")
        check = corroboration.check(uow.session, "wh1")
    assert accepted["claim"] in str(check)


def test_the_denial_flag_is_kept_through_an_edit_and_its_undo(store, tmp_path):
    proposals = _ingest_text(store, tmp_path, "The Defence Ministry denied that any civilians were hurt in the strike.\n")
    (p,) = [p for p in proposals if p["denial"]]
    ingest.edit(store.uow(), p["id"], text="No civilians were hurt in the strike on Sarmada.")
    with store.uow(readonly=True) as uow:
        assert uow.proposals.require(p["id"]).denial
