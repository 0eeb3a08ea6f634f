"""Migrations, on SQLite and PostgreSQL.

- Upgrading from every revision to head with data present keeps the data: rows are
  inserted at each revision with plain SQL for that revision's schema (as an older
  verifier would have written them), then the database is upgraded and read by today's code.
- Downgrading to base and upgrading again works (and step by step), and leaves the
  hand-made objects (text index, append-only triggers) in place.
- `alembic check`: no drift between the models (verifier.adapters.orm) and the migrations.

A new migration needs nothing here unless its schema breaks the previous revision's
SEEDERS entry: then add one for it (the latest seeder at or below a revision is used).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import inspect, text

from tests.conftest import SEED, import_path
from verifier import bootstrap, views
from verifier.cli import cli
from verifier.domain import audit, normalisation


def revisions() -> list[str]:
    """Base to head."""
    script = ScriptDirectory.from_config(bootstrap.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_one_linear_history():
    script = ScriptDirectory.from_config(bootstrap.alembic_config())
    assert len(script.get_heads()) == 1, "more than one head: merge the branches"
    assert len(revisions()) >= 1


# --------------------------------------------------------------------------- data at a revision

def _fill_required(conn, table: str, row: dict) -> dict:
    """Columns this seeder does not know that the revision requires (NOT NULL, no default):
    given a plain value of their type, so the seeder keeps working as revisions add columns."""
    for col in inspect(conn).get_columns(table):
        if col["name"] in row or col["nullable"] or col.get("default") is not None or col.get("autoincrement") is True:
            continue
        if col["name"] == "id":
            continue
        py = getattr(col["type"], "python_type", str)
        row[col["name"]] = {int: 0, float: 0.0, str: "", datetime: datetime(2020, 1, 1), date: date(2020, 1, 1),
                            bool: False, dict: "{}", list: "[]"}.get(py, "")
    return row


def _insert(conn, table: str, row: dict, returning: bool = True):
    row = _fill_required(conn, table, dict(row))
    cols = ", ".join(row)
    params = ", ".join(f":{c}" for c in row)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({params})" + (" RETURNING id" if returning else "")
    result = conn.execute(text(sql), row)
    return result.scalar_one() if returning else None


def _append_event(conn, action: str, entity: str, key: str, after: dict) -> None:
    last = conn.execute(text("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, audit.GENESIS)
    at = datetime(2020, 5, 18, 12, 0, seq % 60)
    a = audit.canonical(after)
    h = audit.event_hash(prev, seq, at, "old-verifier", action, entity, key, None, a)
    _insert(conn, "events", {"seq": seq, "at": at, "analyst": "old-verifier", "action": action, "entity": entity,
                             "key": key, "before": None, "after": a, "prev_hash": prev, "hash": h}, returning=False)


def _index_text(conn, claim_ids) -> None:
    """On SQLite the app adds new claims to the FTS index itself (unless a trigger does)."""
    if conn.dialect.name != "sqlite":
        return
    triggers = [r[0] or "" for r in conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'claims'"))]
    if not any("AFTER INSERT ON CLAIMS" in " ".join(t.upper().split()) for t in triggers):
        for cid in claim_ids:
            conn.execute(text("INSERT INTO claim_fts(rowid, norm) SELECT id, norm FROM claims WHERE id = :i"), {"i": cid})


def seed_0001(conn, tag: str) -> None:
    """Rows as revision 0001's schema holds them (what verifier 0.1 wrote)."""
    now = datetime(2020, 5, 18, 12, 0, 0)
    src = _insert(conn, "sources", {"key": f"{tag}-sohr", "name": "Syrian Center for Human Rights", "kind": "monitor",
                                    "aliases": json.dumps(["SCHR"]), "affiliation": "opposition", "grade": "C",
                                    "created_at": now})
    relay = _insert(conn, "sources", {"key": f"{tag}-alma", "name": "Alma Center", "kind": "think-tank",
                                      "aliases": "[]", "parent_id": src, "created_at": now})
    doc = _insert(conn, "documents", {"key": f"{tag}-doc", "title": "Field report", "publisher_id": relay,
                                      "published": date(2020, 5, 18), "created_at": now})
    claims = []
    for i, (txt, value) in enumerate((("There are more than 6250 militants in southern Syria", 6250),
                                      ("Over 6,000 militants are in the south", 6000))):
        claims.append(_insert(conn, "claims", {
            "key": f"{tag}-c{i}", "text": txt, "norm": normalisation.normalise(txt), "source_id": src, "document_id": doc,
            "published": date(2020, 5, 18), "location": "southern Syria", "tags": json.dumps(["militias"]),
            "subject": "militants in southern Syria", "qualifier": "more-than", "value_num": float(value),
            "status": "unresolved", "created_at": now, "support": 0, "contradicted": 0}))
    _index_text(conn, claims)
    _insert(conn, "claim_relays", {"claim_id": claims[0], "position": 0, "source_id": relay}, returning=False)
    _insert(conn, "links", {"from_id": claims[1], "to_id": claims[0], "relation": "corroborates", "origin": "analyst",
                            "state": "confirmed", "note": "same count", "analyst": "old", "created_at": now, "updated_at": now})
    _insert(conn, "resolutions", {"claim_id": claims[0], "verdict": "mostly-true", "at": now, "rationale": "checked",
                                  "analyst": "old", "created_at": now})
    conn.execute(text("UPDATE claims SET status = 'mostly-true', support = 1 WHERE id = :a"), {"a": claims[0]})
    conn.execute(text("UPDATE claims SET support = 1 WHERE id = :b"), {"b": claims[1]})
    _insert(conn, "source_dependencies", {"source_id": relay, "on_id": src, "note": "relays it", "created_at": now})
    _insert(conn, "settings", {"name": f"{tag}.note", "value": "kept"}, returning=False)
    _append_event(conn, "import", "file", f"{tag}.jsonl", {"file": f"{tag}.jsonl"})


SEEDERS = {"0001": seed_0001}


def seeder_for(rev: str):
    known = [r for r in revisions()[: revisions().index(rev) + 1] if r in SEEDERS]
    assert known, f"no seeder at or below revision {rev}: add one to SEEDERS"
    return SEEDERS[known[-1]]


def check_seeded(store, tag: str) -> None:
    """Today's code reads what the old revision's rows said."""
    with store.uow(readonly=True) as uow:
        c0 = views.claim_detail(uow.session, f"{tag}-c0")
        c1 = views.claim_detail(uow.session, f"{tag}-c1")
        src = views.source_detail(uow.session, f"{tag}-sohr")
        setting = uow.session.execute(text("SELECT value FROM settings WHERE name = :n"), {"n": f"{tag}.note"}).scalar()
        found = [m.id for m in views.similar(uow.session, "more than 6250 militants in southern Syria", 50)]
    assert c0 is not None and c1 is not None, f"claims seeded at {tag} are gone"
    assert c0.text == "There are more than 6250 militants in southern Syria"
    assert c0.source == f"{tag}-sohr" and c0.via == (f"{tag}-alma",)
    assert c0.figure.value == 6250 and c0.figure.qualifier == "more than"
    assert c0.status == "mostly-true"
    assert [r.verdict for r in c0.resolutions] == ["mostly-true"]
    assert any(ln.other == f"{tag}-c1" and ln.relation == "corroborates" for ln in c0.links)
    assert src.affiliation == "opposition" and src.grade == "C"
    assert setting == "kept"
    assert f"{tag}-c0" in found, "old claims are missing from the text index"


def _cli(db: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db, "--analyst", "migrations", *args])


def _app_tables(store) -> set[str]:
    with store.engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def _reset(store) -> None:
    """Back to an empty database (all revisions undone)."""
    store.downgrade("base")
    assert _app_tables(store) <= {"sqlite_sequence"}, _app_tables(store)


# --------------------------------------------------------------------------- tests

def test_upgrade_from_every_revision_to_head_keeps_the_data(db_url):
    store = bootstrap.connect(db_url, "migrations", ensure=False)
    try:
        head = store.head_revision()
        for rev in revisions():
            _reset(store)
            store.upgrade(rev)
            assert store.current_revision() == rev
            with store.engine.begin() as conn:
                seeder_for(rev)(conn, f"at{rev}")
            store.upgrade("head")
            assert store.current_revision() == head
            store.ensure_schema()
            check_seeded(store, f"at{rev}")

        # and all the way up once, adding data at every step
        _reset(store)
        for rev in revisions():
            store.upgrade(rev)
            with store.engine.begin() as conn:
                seeder_for(rev)(conn, f"step{rev}")
        store.upgrade("head")
        for rev in revisions():
            check_seeded(store, f"step{rev}")
        # today's code writes beside the old rows (sequences, indexes, triggers all in order)
        import_path(store, SEED)
        assert _cli(db_url, "audit", "verify").exit_code == 0
        assert _cli(db_url, "claims", "--json").exit_code == 0
    finally:
        store.dispose()


def test_scores_move_to_their_own_table_and_back(db_url):
    """0007: the belief and credibility a claim held are its claim_scores row after the
    upgrade (and what the claim's page shows); the downgrade puts them back in claims."""
    store = bootstrap.connect(db_url, "migrations", ensure=False)
    try:
        _reset(store)
        store.upgrade("0006_fillfactor")
        with store.engine.begin() as conn:
            seed_0001(conn, "s")
            conn.execute(text("UPDATE claims SET belief = 0.8125, credibility = 2 WHERE key = 's-c0'"))
        store.upgrade("head")
        store.ensure_schema()
        with store.uow(readonly=True) as uow:
            scored = views.claim_detail(uow.session, "s-c0")
            rows = uow.session.execute(text("SELECT claim_id, belief, credibility FROM claim_scores")).all()
        assert (scored.belief, scored.credibility) == (0.8125, 2)
        assert len(rows) == 1  # s-c1 was never scored: it gets no row
        store.downgrade("0006_fillfactor")
        with store.engine.connect() as conn:
            back = {k: (b, c) for k, b, c in conn.execute(text("SELECT key, belief, credibility FROM claims"))}
        assert back == {"s-c0": (0.8125, 2), "s-c1": (None, None)}
    finally:
        store.dispose()


def test_stored_claims_get_their_language_and_arabic_ones_a_folded_norm(db_url):
    """0008: the claims stored before it get their language, and Arabic ones a norm that folds
    ى/ة (so the index finds them by either spelling); the downgrade drops the column."""
    arabic = "قُتل 11 عنصراً في غارة على مستشفى المدينة"
    store = bootstrap.connect(db_url, "migrations", ensure=False)
    try:
        _reset(store)
        store.upgrade("0007_claim_scores")
        with store.engine.begin() as conn:
            seed_0001(conn, "s")
            conn.execute(text("UPDATE claims SET text = :t, norm = :n WHERE key = 's-c1'"),
                         {"t": arabic, "n": "قتل 11 عنصرا في غاره علي مستشفى المدينة"})
        store.upgrade("head")
        with store.engine.connect() as conn:
            rows = {k: (lang, norm) for k, lang, norm in conn.execute(text("SELECT key, language, norm FROM claims"))}
        assert rows["s-c0"][0] == "en" and rows["s-c1"][0] == "ar"
        assert rows["s-c1"][1] == normalisation.normalise(arabic) == "قتل 11 عنصرا في غاره علي مستشفي المدينه"
        store.ensure_schema()
        with store.uow(readonly=True) as uow:
            assert views.claim_detail(uow.session, "s-c1").language == "ar"
        store.downgrade("0007_claim_scores")
        with store.engine.connect() as conn:
            assert "language" not in {c["name"] for c in inspect(conn).get_columns("claims")}
    finally:
        store.dispose()


def test_downgrade_to_base_and_upgrade_again(db_url):
    store = bootstrap.connect(db_url, "migrations")
    try:
        import_path(store, SEED)
        store.downgrade("base")
        assert store.current_revision() is None
        assert _app_tables(store) <= {"sqlite_sequence"}, "downgrade to base left tables behind"
        store.upgrade("head")
        store.ensure_schema()
        counts = import_path(store, SEED)  # an empty store again: everything is new
        assert counts["claims"] > 0
        # step by step: down one revision and up again, from head to base
        made = _hand_made_objects(store)
        for _ in revisions():
            store.downgrade("-1")
            store.upgrade("head")
        assert _hand_made_objects(store) == made
        with store.engine.connect() as conn:
            command.check(bootstrap.alembic_config(conn))
        result = _cli(db_url, "audit", "verify")
        assert result.exit_code == 0, result.output
    finally:
        store.dispose()


def _hand_made_objects(store) -> set:
    """The objects autogenerate cannot see (text index, the audit log's guard): their names.
    The audit log's guard must be among them."""
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            names = {(t, n) for t, n in conn.execute(text("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')"))}
            assert {("trigger", "events_no_update"), ("trigger", "events_no_delete"), ("table", "claim_fts")} <= names
            return names
        names = {("trigger", r[0]) for r in conn.execute(text(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"))}
        names |= {("index", r[0]) for r in conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"))}
        names |= {("function", r[0]) for r in conn.execute(text(
            "SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace"))}
        assert {("trigger", "events_append_only"), ("trigger", "events_no_truncate")} <= names
        return names


def test_models_and_migrations_do_not_drift(store):
    """`alembic check`: autogenerate finds nothing to add, drop or alter."""
    with store.engine.connect() as conn:
        command.check(bootstrap.alembic_config(conn))


def test_a_database_at_another_revision_is_refused_not_touched(db_url):
    """A database from a newer verifier (unknown revision) is refused with one clear line;
    one behind head (when there are two revisions or more) is refused until `verifier upgrade`."""
    store = bootstrap.connect(db_url, "migrations")
    try:
        import_path(store, SEED)
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
        with pytest.raises(bootstrap.SchemaError):
            store.ensure_schema()
        result = _cli(db_url, "claims")
        assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1, result.output
        assert "f00dfeed" in result.stderr
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :h"), {"h": store.head_revision()})
        assert _cli(db_url, "claims", "--json").exit_code == 0

        revs = revisions()
        if len(revs) >= 2:
            store.downgrade(revs[-2])
            with pytest.raises(bootstrap.SchemaError):
                store.ensure_schema()
            result = _cli(db_url, "claims")
            assert result.exit_code == 1 and "verifier upgrade" in result.stderr
            assert _cli(db_url, "upgrade").exit_code == 0
            assert _cli(db_url, "claims", "--json").exit_code == 0
    finally:
        store.dispose()
