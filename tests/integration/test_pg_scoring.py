"""``verifier score`` writes its beliefs back in bulk (PostgreSQL: COPY and one UPDATE): the
same beliefs and credibility on PostgreSQL as on SQLite, and a second run writes nothing."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.conftest import import_path
from verifier import bootstrap
from verifier.adapters import orm
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


def _scored(url, src):
    store = bootstrap.connect(url, "tester")
    try:
        import_path(store, src, detect=False)
        with store.engine.begin() as conn:  # forget what the import scored: the run writes every belief
            conn.exec_driver_sql("UPDATE claims SET belief = NULL, credibility = NULL")
        first = commands.score(store.uow())
        again = commands.score(store.uow())
        with store.uow(readonly=True) as uow:
            C = orm.claims
            rows = {k: (round(b, 4), c) for k, b, c in uow.session.execute(select(C.c.key, C.c.belief, C.c.credibility))}
    finally:
        store.dispose()
    return first, again, rows


def test_score_writes_the_same_beliefs_on_postgresql_as_on_sqlite(pg_url, tmp_path):
    src = _write(tmp_path / "claims.jsonl")
    first, again, on_pg = _scored(pg_url, src)
    _, _, on_sqlite = _scored(str(tmp_path / "v.db"), src)
    assert first["claims"] == 60 and first["changed"] == 60
    assert again["changed"] == 0
    assert all(b is not None and c is not None for b, c in on_pg.values())
    assert on_pg == on_sqlite


def test_claims_pages_keep_room_for_belief_updates_on_postgresql(pg_url, tmp_path):
    """Migration 0006: a fifth of each claims page left free, so scoring's updates can stay
    in place (HOT) instead of writing every index again; the downgrade takes it back."""
    from alembic import command
    from sqlalchemy import text

    store = bootstrap.connect(pg_url, "tester")
    try:
        import_path(store, _write(tmp_path / "claims.jsonl"), detect=False)
        with store.engine.begin() as conn:
            options = conn.execute(text("SELECT reloptions FROM pg_class WHERE oid = to_regclass('claims')")).scalar()
        assert options == ["fillfactor=80"]
        with store.engine.begin() as conn:
            cfg = bootstrap.alembic_config(conn)
            command.downgrade(cfg, "0005_records")
            options = conn.execute(text("SELECT reloptions FROM pg_class WHERE oid = to_regclass('claims')")).scalar()
        assert options is None
    finally:
        store.dispose()
