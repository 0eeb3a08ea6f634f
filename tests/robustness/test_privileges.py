"""Least privilege on PostgreSQL: `verifier grant-readonly ROLE`.

A login role (unique name, trust auth on the test server) is granted read-only access to a
seeded store. Connected as it, the store opens (as the TUI opens it) and every read command
works; every write fails with one clear "permission denied" line, exit 1, nothing changed.
"""

from __future__ import annotations

import json
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, SCENARIO, SEED, import_path
from verifier import bootstrap
from verifier.adapters import orm
from verifier.cli import cli

pytestmark = pytest.mark.postgres

READS = [
    ("sources", "--json"),
    ("claims", "--json"),
    ("claims", "--unresolved", "--json"),
    ("claim", "show", "c1", "--json"),
    ("claim", "show", "c1"),
    ("source", "show", "sohr", "--json"),
    ("audit", "--json"),
    ("audit", "verify"),
    ("audit", "verify", "--json"),
    ("export",),
    ("duplicates", "--json"),
    ("similar", "militants in southern Syria", "--json"),
    ("check", "c1", "--json"),
    ("settings", "--json"),
    ("report", "--json"),
]
WRITES = [
    ("import", "{new_file}"),
    ("link", "c1", "c2", "--relation", "contradicts", "--note", "read-only analysts cannot"),
    ("resolve", "c2", "--verdict", "false"),
    ("claim", "add", "A claim from a read-only role", "--source", "sohr", "--no-detect"),
    ("claim", "edit", "c1", "--location", "nowhere"),
    ("source", "add", "ro-src", "--name", "Read-only source"),
    ("settings", "set", "match.t1", "50"),
    ("score",),
]


def _cli(url, *args):
    return CliRunner().invoke(cli, ["--db", url, "--analyst", "reader", *args])


def _as_role(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


def _superuser_dsn() -> str:
    return PG_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def role():
    import psycopg

    name = "ro_" + uuid.uuid4().hex[:10]
    with psycopg.connect(_superuser_dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN")
    yield name
    with psycopg.connect(_superuser_dsn(), autocommit=True) as conn:
        conn.execute(f"DROP OWNED BY {name}")  # its grants in this database
        conn.execute(f"DROP ROLE {name}")


@pytest.fixture
def store(pg_url):
    s = bootstrap.connect(pg_url, "lead")
    import_path(s, SEED)
    import_path(s, SCENARIO)
    yield s
    s.dispose()


def _counts(store) -> dict:
    with store.uow(readonly=True) as uow:
        return {t.name: uow.session.execute(select(func.count()).select_from(t)).scalar() for t in orm.metadata.sorted_tables}


def test_a_read_only_role_reads_everything_and_changes_nothing(store, pg_url, role, tmp_path):
    ro_url = _as_role(pg_url, role)
    # before the grant the role cannot even open the store: one clear line
    denied = _cli(ro_url, "claims", "--json")
    assert denied.exit_code == 1 and "permission denied" in denied.stderr and denied.stderr.count("\n") == 1

    granted = _cli(pg_url, "grant-readonly", role, "--json")
    assert granted.exit_code == 0, granted.output
    assert json.loads(granted.stdout)["role"] == role
    assert any(e["action"] == "grant-readonly" for e in json.loads(_cli(pg_url, "audit", "--json").stdout))

    # the store opens for the role exactly as the TUI opens it
    ro = bootstrap.connect(ro_url, "reader")
    try:
        assert ro.current_revision() == ro.head_revision()
        with ro.uow(readonly=True) as uow:
            assert uow.session.execute(select(func.count()).select_from(orm.claims)).scalar() > 0
    finally:
        ro.dispose()

    for args in READS:
        done = _cli(ro_url, *args)
        assert done.exit_code == 0, (args, done.output)
        if "--json" in args:
            json.loads(done.stdout)
    out = tmp_path / "export.jsonl"
    assert _cli(ro_url, "export", "-o", str(out)).exit_code == 0 and out.stat().st_size > 0

    new_file = tmp_path / "new.jsonl"
    new_file.write_text('{"kind":"claim","id":"ro-1","text":"New from a read-only role","source":"sohr"}\n')
    before = _counts(store)
    for args in WRITES:
        args = tuple(a.format(new_file=new_file) for a in args)
        done = _cli(ro_url, *args)
        assert done.exit_code == 1, (args, done.output)
        line = done.stderr.strip()
        assert "\n" not in line and "Traceback" not in line, (args, done.stderr)
        assert line.startswith("verifier: permission denied"), (args, line)
    assert _counts(store) == before
    assert _cli(pg_url, "audit", "verify").exit_code == 0


def test_tables_added_later_are_readable_too(store, pg_url, role):
    assert _cli(pg_url, "grant-readonly", role).exit_code == 0
    with store.engine.begin() as conn:  # as a later migration would, as the store's owner
        conn.exec_driver_sql("CREATE TABLE later_table (id integer primary key)")
        conn.exec_driver_sql("INSERT INTO later_table VALUES (1)")
    ro = bootstrap.connect(_as_role(pg_url, role), "reader")
    try:
        with ro.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM later_table").scalar() == 1
    finally:
        ro.dispose()


def test_grant_readonly_refuses_what_it_cannot_do(store, pg_url, sqlite_url):
    for url, role, says in ((pg_url, "no_such_role_" + uuid.uuid4().hex[:6], "no PostgreSQL role"),
                            (pg_url, "postgres", "superuser"),
                            (sqlite_url, "anyone", "PostgreSQL")):
        done = _cli(url, "grant-readonly", role)
        assert done.exit_code == 1, done.output
        assert says in done.stderr and done.stderr.count("\n") == 1, done.stderr
