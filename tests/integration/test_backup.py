"""A case file moves whole: `verifier backup` / `verifier restore` between SQLite and
PostgreSQL carry every table (the ORM metadata's: a new table is covered without a change
here), and `audit verify` on the target reports the same head."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import FIXTURES
from verifier import bootstrap
from verifier.adapters import orm
from verifier.cli import cli

PASSWORD = "correct horse battery"
REPORT = ("Deir ez-Zor, 12 May 2020.\n"
          "The Syrian Observatory for Human Rights said that 14 fighters were killed near Abu Khashab on Monday.\n")


def _cli(db, *args, analyst="ana", ok=True, input=None):
    done = CliRunner().invoke(cli, ["--db", str(db), "--analyst", analyst, *args], input=input)
    if ok:
        assert done.exit_code == 0, done.output + (done.stderr or "")
    return done


@pytest.fixture
def case_file(tmp_path):
    """One analyst's SQLite file with a bit of everything a team accumulates."""
    db = tmp_path / "case.db"
    _cli(db, "import", str(FIXTURES / "seed-field-report-2020-05.jsonl"))
    _cli(db, "import", str(FIXTURES / "demo-scenario.jsonl"))
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    _cli(db, "ingest", str(report), "--publisher", "sohr")
    _cli(db, "resolve", "c1", "--verdict", "mostly-true", "--rationale", "two monitors agree")
    _cli(db, "link", "c2", "c1", "--relation", "corroborates", "--note", "same figure")
    _cli(db, "note", "c2", "asked the local office")
    _cli(db, "duplicates", "reject", "d4", "d5")
    _cli(db, "copies", "confirm", "c7", "d6", "--note", "verbatim")
    _cli(db, "settings", "set", "match.t1", "80")
    _cli(db, "user", "add", "ana", input=PASSWORD + "\n")
    _cli(db, "assign", "c2", "--to", "ana")
    _cli(db, "watch", "add", "--text", "barley fields Abu Khashab")
    _cli(db, "claim", "add", "Fires again in Abu Khashab barley fields", "--source", "sohr", "--id", "n1")
    return db


def _tables(db) -> dict[str, list[tuple]]:
    store = bootstrap.connect(str(db), create=False)
    try:
        with store.engine.connect().execution_options(readonly=True) as conn:
            return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                    for t in orm.metadata.sorted_tables}
    finally:
        store.dispose()


def _head(db) -> str:
    done = _cli(db, "audit", "verify")
    assert done.stdout.startswith("audit log intact")
    return done.stdout.split("head ")[1].strip()


@pytest.mark.postgres
def test_a_round_trip_through_postgresql_keeps_every_table(case_file, pg_url, tmp_path):
    before = _tables(case_file)
    held = {name for name, rows in before.items() if rows}
    assert {"events", "claims", "links", "resolutions", "users", "copy_confirmations", "claim_scores", "sources",
            "settings", "claim_assignments", "watches", "inbox", "proposals", "documents", "event_refs"} <= held, held
    head = _head(case_file)

    _cli(case_file, "backup", pg_url)
    on_server = _tables(pg_url)
    assert on_server == before
    assert _head(pg_url) == head

    back = tmp_path / "back.db"
    _cli(back, "restore", pg_url)
    assert _tables(back) == before
    assert _head(back) == head
    # the copies work on: new ids follow the copied ones, the chain extends
    for db in (pg_url, back):
        _cli(db, "claim", "add", "A claim added after the move", "--source", "sohr", "--id", "moved")
        _cli(db, "resolve", "moved", "--verdict", "false")
        assert _cli(db, "audit", "verify").exit_code == 0
    # search still finds claims (the text index is rebuilt on SQLite)
    assert "n1" in _cli(back, "claims", "--search", "barley fields again", "--json").stdout or \
        "n1" in _cli(back, "claims", "--search", "Fires again", "--json").stdout


def test_a_target_holding_anything_is_refused_unless_forced(case_file, tmp_path):
    dest = tmp_path / "copy.db"
    _cli(case_file, "backup", str(dest))
    assert _tables(dest) == _tables(case_file)
    _cli(dest, "resolve", "c2", "--verdict", "false")
    changed = _tables(dest)
    again = _cli(case_file, "backup", str(dest), ok=False)
    assert again.exit_code == 1 and "is not empty" in again.stderr and "--force" in again.stderr
    assert _tables(dest) == changed  # untouched
    _cli(case_file, "backup", str(dest), "--force")
    assert _tables(dest) == _tables(case_file)
    assert sorted(p.name for p in tmp_path.iterdir() if ".partial" in p.name) == []
    assert dest.stat().st_mode & 0o777 == 0o600  # password hashes inside


def test_a_live_sqlite_file_is_backed_up_consistently_while_others_write(case_file, tmp_path):
    """Resolves commit while the backup runs: the copy is one moment of the file (its audit
    chain intact and its claims' statuses matching the verdicts it holds)."""
    stop = threading.Event()
    store = bootstrap.connect(str(case_file), "writer")
    from verifier.services import commands

    def write():
        i = 0
        while not stop.is_set():
            commands.resolve(store.uow(), f"c{1 + i % 3}", ["true", "false", "mixed"][i % 3])
            i += 1

    t = threading.Thread(target=write)
    t.start()
    try:
        copies = [tmp_path / f"live{i}.db" for i in range(3)]
        for dest in copies:
            _cli(case_file, "backup", str(dest))
    finally:
        stop.set()
        t.join()
        store.dispose()
    for dest in copies:
        assert _cli(dest, "audit", "verify").exit_code == 0
        with sqlite3.connect(dest) as conn:
            n_resolve = conn.execute("SELECT count(*) FROM events WHERE action = 'resolve' AND analyst = 'writer'"
                                     ).fetchone()[0]
            n_res = conn.execute("SELECT count(*) FROM resolutions WHERE analyst = 'writer'").fetchone()[0]
        assert n_resolve == n_res  # every verdict with its event, none without
    assert n_res > 0  # the last copy was taken while verdicts were being written
