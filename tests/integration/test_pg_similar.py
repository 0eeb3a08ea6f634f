"""``similar`` on PostgreSQL once the store has planner statistics (as any big store has):
the query's common words are left out of the index lookup (a word in every other claim
would bring half the store), and the reported duplicate is still found first."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.conftest import import_path
from verifier import bootstrap, views

FILLER = 3000  # claims sharing the words "convoy" and "checkpoint" and nothing rarer with the query


def _claims():
    yield "dup", "The convoy of Fatemiyoun brigade trucks reached the Tadmur checkpoint near Palmyra at dawn."
    yield "other", "The Fatemiyoun brigade held a parade in Tadmur."
    for i in range(FILLER):
        yield f"f{i}", f"A convoy passed checkpoint number {i} on the road, report w{i}x."


def _store(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_SEMANTIC", "0")
    path = tmp_path / "claims.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for key, claim in _claims():
            fh.write(json.dumps({"kind": "claim", "id": key, "text": claim, "source": "monitor"}) + "\n")
    store = bootstrap.connect(pg_url, "tester")
    import_path(store, path, detect=False)
    return store


QUERY = "A convoy of Fatemiyoun brigade trucks reached the checkpoint of Tadmur near Palmyra at dawn"


def test_similar_finds_the_duplicate_before_and_after_analyze(pg_url, tmp_path, monkeypatch):
    store = _store(pg_url, tmp_path, monkeypatch)
    try:
        with store.uow(readonly=True) as uow:
            before = views.similar(uow.session, QUERY, 3)
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE claims"))
        with store.uow(readonly=True) as uow:
            common = uow.session.execute(text(
                "SELECT most_common_elems::text FROM pg_stats WHERE schemaname = current_schema() "
                "AND tablename = 'ix_claims_norm_tsv'")).scalar()
            after = views.similar(uow.session, QUERY, 3)
    finally:
        store.dispose()
    assert common and "convoy" in common  # the statistics name the common word
    assert before[0].id == "dup" and after[0].id == "dup"
    assert after[0].score == before[0].score
