"""One way of saying things on the command line: every read command takes --json (the big
listings --nl too), tables fit the terminal without cutting a count or reading user text as
markup, and every error is one line on stderr with an exit code."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import PG_URL, SCENARIO, SEED, as_json, require_pg
from verifier.cli import cli

ROOT = Path(__file__).resolve().parents[2]

#: What a user reads with the command line; each takes --json.
READS = {"claims", "sources", "similar", "duplicates", "proposals", "inbox", "copies", "audit", "audit verify",
         "claim show", "source show", "document show", "check", "settings", "user list", "watch list", "report"}
#: The big listings: --nl as well, one JSON object a line.
LISTINGS = {"claims", "sources", "similar", "duplicates", "proposals", "inbox", "copies", "audit"}


def walk(command: click.Command, path: str = ""):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, f"{path} {name}".strip())


def options(command: click.Command) -> set[str]:
    return {opt for p in command.params for opt in p.opts}


def test_every_read_command_takes_json_and_every_listing_nl():
    commands = dict(walk(cli))
    assert READS <= set(commands)
    for path, command in commands.items():
        # a listing is a group that runs without a subcommand; `show` and `list` read one thing or a few
        reads = path in READS or path.endswith((" show", " list")) or getattr(command, "invoke_without_command", False)
        if reads:
            assert "--json" in options(command), path
        assert ("--nl" in options(command)) == (path in LISTINGS), path


def test_json_is_declared_once_in_the_package():
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "verifier" / "cli").glob("*.py"))
    assert text.count('"--json"') == 1 and text.count('"--nl"') == 1


@pytest.mark.parametrize("args", [("claims",), ("sources",), ("audit",), ("duplicates", "--state", "all"),
                                  ("similar", "militants in southern Syria"), ("copies",), ("proposals", "--state", "all")])
def test_nl_prints_the_json_listing_one_object_a_line(run, args):
    whole = as_json(run(*args, "--json"))
    lines = run(*args, "--nl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == whole
    assert len(lines) == len(whole)


def test_a_table_fits_80_columns_cuts_names_with_a_mark_and_never_cuts_a_count(run, tmp_path):
    name = "[bold]Very long name of a monitoring network[/bold] \x1b[31m that goes on and on past any column"
    path = tmp_path / "long.jsonl"
    records = [{"kind": "source", "id": "a-source-whose-id-is-long-too", "name": name}]
    records += [{"kind": "claim", "id": f"long-{i}", "text": f"Claim number {i} of the long source.",
                 "source": "a-source-whose-id-is-long-too"} for i in range(12)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    run("import", str(path), "--no-detect")
    shown = run("sources").stdout.splitlines()
    assert all(len(line) <= 80 for line in shown), shown
    row = next(line for line in shown if line.startswith("a-source"))
    assert "…" in row and "[bold]Very long" in row and "\x1b" not in row  # markup is text; escapes are shown
    figures = row.split("…")[-1].split()
    assert figures[0] == "12"  # the count, whole
    by_json = next(s for s in as_json(run("sources", "--json")) if s["id"] == "a-source-whose-id-is-long-too")
    assert figures[2] == f"{by_json['score']:.2f}"
    ids = [s["id"] for s in as_json(run("sources", "--json"))]
    cells = [line.split()[0] for line in shown[1:]]  # the table's order is the listing's
    assert len(cells) == len(ids)
    for cell, full in zip(cells, ids, strict=True):
        assert cell == full or (cell.endswith("…") and full.startswith(cell[:-1]))


def _one_line_failure(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert lines[0].startswith("verifier: ") and "internal error" not in lines[0]
    return lines[0]


def test_a_bad_import_file_is_one_line_naming_file_line_and_field(run, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "source", "id": "s1", "name": "S"}\n{"kind": "claim", "id": "x", "source": "s1"}\n')
    before = as_json(run("claims", "--json"))
    line = _one_line_failure(run("import", str(bad), ok=False))
    assert f"{bad}:2" in line and "text" in line
    assert run("import", str(bad), ok=False).stdout == ""
    assert as_json(run("claims", "--json")) == before  # nothing half-written


def test_the_error_line_in_a_real_process(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    done = subprocess.run([sys.executable, "-m", "verifier", "--db", str(tmp_path / "v.db"), "import", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"verifier: {bad}:1")
    assert not (tmp_path / "v.db").exists()  # the failed first import left no empty database


@pytest.fixture
def reader_url():
    """A seeded PostgreSQL schema and a login role granted read-only access to it."""
    require_pg()
    import psycopg
    from sqlalchemy.engine import make_url

    from tests.conftest import PgSchema

    schema, role = PgSchema(), "cli_ro_" + uuid.uuid4().hex[:8]
    dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", schema.url, "import", str(SEED), str(SCENARIO)]).exit_code == 0
    assert runner.invoke(cli, ["--db", schema.url, "grant-readonly", role]).exit_code == 0
    yield make_url(schema.url).set(username=role).render_as_string(hide_password=False)
    schema.drop()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP OWNED BY {role}")
        conn.execute(f"DROP ROLE {role}")


@pytest.mark.postgres
def test_a_reader_s_write_is_one_line_and_changes_nothing(reader_url):
    runner = CliRunner()
    before = json.loads(runner.invoke(cli, ["--db", reader_url, "claims", "--json"]).stdout)
    done = runner.invoke(cli, ["--db", reader_url, "--analyst", "reader", "resolve", "c2", "--verdict", "false"])
    line = _one_line_failure(done)
    assert line.startswith("verifier: permission denied: this database role may only read")
    assert json.loads(runner.invoke(cli, ["--db", reader_url, "claims", "--json"]).stdout) == before
