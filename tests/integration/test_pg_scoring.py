"""``verifier score`` writes its scores back in bulk (PostgreSQL, past ``scores.BULK`` rows:
COPY into a temporary table, one UPDATE for the changed, one INSERT for the new): the same
beliefs and credibility on PostgreSQL as on SQLite, whichever path wrote them, and a second
run writes nothing."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.conftest import import_path
from verifier import bootstrap
from verifier.adapters import orm, scores
from verifier.services import commands


def _write(path):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(60):
            value = 100 + (i % 3 == 0) * 50
            fh.write(json.dumps({"kind": "claim", "id": f"c{i}", "text": f"count on subject {i // 6} is {value}",
                                 "source": f"s{i % 7}", "subject": f"subject {i // 6}", "value": value}) + "\n")
        for i in range(0, 60, 12):
            fh.write(json.dumps({"kind": "resolution", "claim": f"c{i}", "verdict": "false"}) + "\n")
    return path


def _imported(url, src):
    store = bootstrap.connect(url, "tester")
    import_path(store, src, detect=False)
    return store


def _run(store, *sql: str):
    with store.engine.begin() as conn:
        for statement in sql:
            conn.exec_driver_sql(statement)


def _stored(store) -> dict:
    C, T = orm.claims, orm.claim_scores
    with store.uow(readonly=True) as uow:
        q = select(C.c.key, T.c.belief, T.c.credibility).outerjoin(T, T.c.claim_id == C.c.id)
        return {k: (None if b is None else round(b, 4), c) for k, b, c in uow.session.execute(q)}


def _first_and_again(url, src):
    store = _imported(url, src)
    try:
        _run(store, "DELETE FROM claim_scores")  # forget what the import scored: the run writes every score
        first = commands.score(store.uow())
        again = commands.score(store.uow())
        return first, again, _stored(store)
    finally:
        store.dispose()


def test_score_writes_the_same_beliefs_on_postgresql_as_on_sqlite(pg_url, tmp_path):
    src = _write(tmp_path / "claims.jsonl")
    first, again, on_pg = _first_and_again(pg_url, src)
    _, _, on_sqlite = _first_and_again(str(tmp_path / "v.db"), src)
    assert first["claims"] == 60 and first["changed"] == 60
    assert again["changed"] == 0
    assert all(b is not None and c is not None for b, c in on_pg.values())
    assert on_pg == on_sqlite


def test_the_bulk_path_inserts_the_new_scores_and_rewrites_the_changed(pg_url, tmp_path, monkeypatch):
    """Half the stored scores gone, the other half wrong: through the temporary table the
    run inserts the first half and rewrites the second, to what SQLite writes."""
    src = _write(tmp_path / "claims.jsonl")
    _, _, on_sqlite = _first_and_again(str(tmp_path / "v.db"), src)
    monkeypatch.setattr(scores, "BULK", 10)
    store = _imported(pg_url, src)
    try:
        _run(store, "DELETE FROM claim_scores WHERE claim_id IN (SELECT claim_id FROM claim_scores ORDER BY claim_id LIMIT 30)", "UPDATE claim_scores SET belief = 2, credibility = 1")
        assert sum(b is None for b, _c in _stored(store).values()) == 30
        out = commands.score(store.uow())
        assert out["changed"] == 60
        assert _stored(store) == on_sqlite
    finally:
        store.dispose()


def test_scores_keep_room_for_their_rewrite_on_postgresql(pg_url, tmp_path):
    """Migration 0007: the scores table leaves half of each page free, so a full score's
    rewrite stays in place (HOT); claims keep the fifth 0006 left them. Downgrading past
    0006 takes the claims setting back."""
    from alembic import command
    from sqlalchemy import text

    store = _imported(pg_url, _write(tmp_path / "claims.jsonl"))
    try:
        option = "SELECT reloptions FROM pg_class WHERE oid = to_regclass(:t)"
        with store.engine.begin() as conn:
            assert conn.execute(text(option), {"t": "claim_scores"}).scalar() == ["fillfactor=50"]
            assert conn.execute(text(option), {"t": "claims"}).scalar() == ["fillfactor=80"]
        with store.engine.begin() as conn:
            cfg = bootstrap.alembic_config(conn)
            command.downgrade(cfg, "0005_records")
            assert conn.execute(text(option), {"t": "claims"}).scalar() is None
            assert conn.execute(text(option), {"t": "claim_scores"}).scalar() is None  # gone with its table
    finally:
        store.dispose()
