"""Nothing silently lost: the demo never replaces a real database, a typo never makes an
empty one, a failed first import leaves no file, an unsupported URL gets one line
(issue 10, items 1, 3 and 4). Real SQLite files, the CLI as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tests.conftest import SEED
from verifier.cli import cli


def cli_run(*args, env=None):
    return CliRunner().invoke(cli, ["--analyst", "ana", *args], env=env, catch_exceptions=False)


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1, (result.exit_code, result.output, result.stderr)
    assert len(lines) == 1 and "internal error" not in lines[0] and "Traceback" not in result.stderr, result.stderr
    return lines[0]


# --------------------------------------------------------------------------- item 1: the demo

@pytest.fixture
def case_file(tmp_path):
    """An analyst's database: the seed imported, one note of theirs."""
    db = tmp_path / "case.db"
    assert cli_run("--db", str(db), "import", str(SEED)).exit_code == 0
    assert cli_run("--db", str(db), "note", "c1", "my own note").exit_code == 0
    return db


def _claims(db) -> list[str]:
    return [c["id"] for c in json.loads(cli_run("--db", str(db), "claims", "--json").stdout)]


def test_demo_never_replaces_a_real_database_given_by_env_or_option(case_file):
    before = _claims(case_file)
    events = json.loads(cli_run("--db", str(case_file), "audit", "--json").stdout)
    for args, env in ((["demo", "--no-tui"], {"VERIFIER_DB": str(case_file)}),
                      (["--db", str(case_file), "demo", "--no-tui"], None)):
        result = CliRunner().invoke(cli, args, env=env)
        line = one_line(result)
        assert str(case_file) in line and "not a demo" in line
    assert _claims(case_file) == before
    assert json.loads(cli_run("--db", str(case_file), "audit", "--json").stdout) == events
    assert cli_run("--db", str(case_file), "audit", "verify").exit_code == 0


def test_demo_builds_its_own_file_and_rebuilds_only_an_untouched_demo(tmp_path):
    db = tmp_path / "demo.db"
    first = cli_run("--db", str(db), "demo", "--no-tui")
    assert first.exit_code == 0 and f"demo database: {db}" in first.stdout
    again = cli_run("--db", str(db), "demo", "--no-tui")
    assert again.exit_code == 0, again.stderr  # an untouched demo is rebuilt
    assert cli_run("--db", str(db), "resolve", "c1", "--verdict", "true").exit_code == 0
    line = one_line(cli_run("--db", str(db), "demo", "--no-tui"))
    assert "worked in" in line
    assert json.loads(cli_run("--db", str(db), "claim", "show", "c1", "--json").stdout)["status"] == "true"


def test_demo_default_file_is_in_the_data_directory_not_verifier_db(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    env.pop("VERIFIER_DB", None)
    done = subprocess.run([sys.executable, "-m", "verifier", "demo", "--no-tui"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    shown = next(ln for ln in done.stdout.splitlines() if ln.startswith("demo database: "))
    path = shown.removeprefix("demo database: ")
    assert path.endswith("demo.db") and os.path.exists(path) and path.startswith(str(tmp_path / "data"))


def test_demo_refuses_a_postgresql_url_in_one_line():
    assert "SQLite file" in one_line(cli_run("--db", "postgresql+psycopg://u@127.0.0.1/x", "demo", "--no-tui"))


# --------------------------------------------------------------------------- item 3: typos

@pytest.mark.parametrize("command", [["sources"], ["claims", "--json"], ["claim", "show", "c1"], ["check", "c1"],
                                     ["audit"], ["export"], ["tui"]])
def test_read_commands_never_create_a_database(tmp_path, command):
    for db in (tmp_path / "nonexistent" / "dir" / "x.db", tmp_path / "typo.db"):
        line = one_line(cli_run("--db", str(db), *command))
        assert str(db) in line and "verifier init" in line
        assert not db.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_write_commands_create_only_in_an_existing_folder_and_say_so(tmp_path):
    missing = tmp_path / "no-such-dir" / "x.db"
    line = one_line(cli_run("--db", str(missing), "import", str(SEED)))
    assert str(missing.parent) in line and not missing.parent.exists()
    db = tmp_path / "new.db"
    done = cli_run("--db", str(db), "source", "add", "s1", "--name", "Source one")
    assert done.exit_code == 0 and f"created a new database at {db}" in done.stderr
    assert "created" not in cli_run("--db", str(db), "source", "add", "s2", "--name", "Two").stderr


def test_a_failed_first_import_leaves_no_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind":"claim","id":"x1","text":"ok","source":"s"}\n{"kind":"claim","id":"x2","text":"","source":"s"}\n',
                   encoding="utf-8")
    db = tmp_path / "first.db"
    assert "text: must not be empty" in one_line(cli_run("--db", str(db), "import", str(bad)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]
    one_line(cli_run("--db", str(db), "resolve", "nope", "--verdict", "true"))  # a failed first write too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_a_failed_later_import_keeps_the_database(tmp_path):
    db = tmp_path / "kept.db"
    assert cli_run("--db", str(db), "import", str(SEED)).exit_code == 0
    one_line(cli_run("--db", str(db), "import", str(tmp_path / "missing.jsonl")))
    assert db.exists() and "c1" in _claims(db)


def test_init_then_reads_work_on_the_empty_database(tmp_path):
    db = tmp_path / "fresh.db"
    assert "created" in cli_run("--db", str(db), "init").stdout
    done = cli_run("--db", str(db), "sources")
    assert done.exit_code == 0 and done.stdout.strip() == "no sources"


def test_an_empty_postgresql_schema_is_not_created_by_a_read(pg_url):
    line = one_line(cli_run("--db", pg_url, "sources"))
    assert "verifier init" in line
    assert cli_run("--db", pg_url, "init").exit_code == 0
    assert cli_run("--db", pg_url, "sources", "--json").stdout.strip() == "[]"


# --------------------------------------------------------------------------- item 4: URLs

@pytest.mark.parametrize("url", ["mysql://u@localhost/db", "mssql+pyodbc://x", "oracle://a@b/c"])
def test_an_unsupported_url_scheme_gets_one_line(url):
    line = one_line(cli_run("--db", url, "sources"))
    assert "unsupported database URL" in line and "postgresql" in line


def test_a_missing_driver_names_what_to_install():
    try:
        import pg8000  # noqa: F401
        pytest.skip("pg8000 is installed here")
    except ImportError:
        pass
    line = one_line(cli_run("--db", "postgresql+pg8000://u@127.0.0.1/x", "sources"))
    assert "pg8000 is not installed" in line and "verifier[postgres]" in line and "postgresql+psycopg://" in line


def test_postgresql_driver_is_a_default_dependency():
    """`pip install .` must reach PostgreSQL (the README's team store): psycopg is in the
    default dependencies, not only in an extra."""
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
    assert any(dep.startswith("psycopg[binary]") for dep in project["dependencies"])
