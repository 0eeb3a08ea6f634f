"""Hostile input: every file in tests/hostile/ (see make_corpus.py) and a few generated at
test time (a 10 MB line, a million lines, devices and pipes) either

- is refused with one clear line on stderr, `verifier: FILE:LINE: field: problem`, exit code 1,
  no traceback, and the database exactly as it was (table counts compared), or
- imports correctly: the counts added are right and every text comes back exactly through
  `verifier export`, and export -> import into a fresh database -> export is identical.

Most files go through the CLI in-process (click's CliRunner, fast); some through a real
`python -m verifier` process. Text that is odd but valid (ANSI escapes, bidi overrides,
control characters) must also never reach the terminal raw in the CLI's plain output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.robustness.rtcheck import check_texts_round_trip
from verifier import bootstrap
from verifier.adapters import orm
from verifier.cli import cli

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "hostile"
EXPECTED: dict[str, dict] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
ERRORS = sorted(n for n, e in EXPECTED.items() if e["outcome"] == "error")
OKS = sorted(n for n, e in EXPECTED.items() if e["outcome"] == "ok")
TABLES = (orm.sources, orm.documents, orm.claims, orm.claim_relays, orm.links, orm.resolutions,
          orm.source_dependencies, orm.events, orm.settings)
# what the CLI must never print raw to a terminal: C0/C1 controls (but tab, newline), DEL, bidi controls
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# data already in the database before each hostile import: a bad file must leave it untouched
PRE_EXISTING = [
    {"kind": "source", "id": "pre-src", "name": "Pre-existing source", "grade": "B"},
    {"kind": "source", "id": "pre-relay", "name": "Pre-existing relay", "parent": "pre-src"},
    {"kind": "document", "id": "pre-doc", "title": "A report", "publisher": "pre-src", "published": "2020-05-01"},
    {"kind": "claim", "id": "pre-1", "text": "Convoy of 40 trucks crossed at Al-Qaim", "source": "pre-src", "via": ["pre-relay"],
     "document": "pre-doc", "subject": "convoy trucks", "value": 40},
    {"kind": "claim", "id": "pre-2", "text": "A convoy of forty trucks crossed near Al-Qaim", "source": "pre-relay"},
    {"kind": "link", "from": "pre-2", "to": "pre-1", "relation": "duplicates"},
    {"kind": "resolution", "claim": "pre-1", "verdict": "true", "at": "2020-06-01T00:00:00"},
    {"kind": "dependency", "source": "pre-relay", "on": "pre-src"},
]


# --------------------------------------------------------------------------- helpers

def table_counts(db: str) -> dict[str, int]:
    store = bootstrap.connect(db, "counter")
    try:
        with store.uow(readonly=True) as uow:
            return {t.name: uow.session.execute(select(func.count()).select_from(t)).scalar() for t in TABLES}
    finally:
        store.dispose()


def invoke(db: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db, "--analyst", "hostile", *args])


def import_cli(db: str, path: Path):
    return invoke(db, "import", "--no-detect", str(path))


def export_cli(db: str, out: Path) -> str:
    done = invoke(db, "export", "-o", str(out))
    assert done.exit_code == 0, done.output
    return out.read_text(encoding="utf-8")


def assert_refused(result_code: int, stderr: str, path: Path, expect: dict) -> None:
    assert result_code == 1, f"exit {result_code}, stderr {stderr!r}"
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    lines = stderr.strip("\n").split("\n")
    assert len(lines) == 1, f"more than one line on stderr: {stderr!r}"
    line = lines[0]
    where = f"verifier: {path}" + (f":{expect['line']}" if expect["line"] is not None else "") + ": "
    assert line.startswith(where), f"{line!r} does not start with {where!r}"
    rest = line[len(where):]
    fields = expect["field"] if isinstance(expect["field"], list) else [expect["field"]]
    named = [f for f in fields if f is not None and rest.startswith(f"{f}: ")]
    if None not in fields:
        assert named, f"{line!r} does not name the field {fields}"
    assert expect["problem"] in rest, f"{line!r} does not say {expect['problem']!r}"


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """A migrated SQLite file holding PRE_EXISTING; each test works on a copy."""
    where = tmp_path_factory.mktemp("template")
    db = where / "template.db"
    seed = where / "pre.jsonl"
    seed.write_text("".join(json.dumps(r) + "\n" for r in PRE_EXISTING), encoding="utf-8")
    done = import_cli(str(db), seed)
    assert done.exit_code == 0, done.output
    con = sqlite3.connect(db)  # checkpoint the WAL into the file, so a plain copy is whole
    try:
        assert con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    finally:
        con.close()
    return db


@pytest.fixture
def db(template_db, tmp_path) -> str:
    copy = tmp_path / "hostile.db"
    shutil.copyfile(template_db, copy)
    os.chmod(copy, 0o600)
    return str(copy)


# --------------------------------------------------------------------------- the corpus

def test_the_corpus_is_complete():
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_file() and p.name not in ("expected.json", "make_corpus.py")}
    assert on_disk == set(EXPECTED), "tests/hostile and expected.json disagree: run tests/hostile/make_corpus.py"
    assert len(ERRORS) >= 50 and len(OKS) >= 15


@pytest.mark.parametrize("name", ERRORS)
def test_bad_file_is_refused_whole(name, db):
    path = CORPUS / name
    before = table_counts(db)
    result = import_cli(db, path)
    assert_refused(result.exit_code, result.stderr, path, EXPECTED[name])
    assert result.stdout == ""
    assert table_counts(db) == before, "a refused file left something behind"


@pytest.mark.parametrize("name", OKS)
def test_odd_but_valid_file_imports_exactly(name, db, tmp_path):
    path = CORPUS / name
    before = table_counts(db)
    result = import_cli(db, path)
    assert result.exit_code == 0, result.output
    after = table_counts(db)
    for table, n in EXPECTED[name]["counts"].items():
        assert after[table] - before[table] == n, (table, before[table], after[table])
    exported = export_cli(db, tmp_path / "out.jsonl")
    check_texts_round_trip(path, exported)
    check_reimport_is_identical(exported, tmp_path)
    check_terminal_output_is_safe(db, exported)


def check_reimport_is_identical(exported: str, tmp_path: Path) -> None:
    first = tmp_path / "export1.jsonl"
    first.write_text(exported, encoding="utf-8")
    fresh = str(tmp_path / "fresh.db")
    done = import_cli(fresh, first)
    assert done.exit_code == 0, done.output
    assert export_cli(fresh, tmp_path / "export2.jsonl") == exported


def check_terminal_output_is_safe(db: str, exported: str) -> None:
    outputs = [invoke(db, "claims"), invoke(db, "sources"), invoke(db, "audit")]
    for line in exported.split("\n")[:-1][:20]:
        rec = json.loads(line)
        if rec["kind"] == "claim":
            outputs.append(invoke(db, "claim", "show", rec["id"]))
        if rec["kind"] == "source":
            outputs.append(invoke(db, "source", "show", rec["id"]))
    for done in outputs:
        assert done.exit_code == 0, done.output
        assert not UNSAFE.search(done.output), f"raw control or bidi characters reach the terminal: {done.output!r}"


# --------------------------------------------------------------------------- real processes

def _run(db: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("VERIFIER_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "verifier", "--db", db, *args], capture_output=True, text=True,
                          cwd=str(ROOT), env=env, timeout=300)


SUBPROCESS_SAMPLE = ["json-truncated-no-newline.jsonl", "bytes-invalid-utf8.jsonl", "cyclic-parents.jsonl",
                     "ref-link-to-missing.jsonl", "json-nan.jsonl", "csv-unclosed-quote.csv", "datetime-before-year-one.jsonl"]


@pytest.mark.parametrize("name", SUBPROCESS_SAMPLE)
def test_bad_file_in_a_real_process(name, db):
    path = CORPUS / name
    before = table_counts(db)
    done = _run(db, "import", str(path))
    assert_refused(done.returncode, done.stderr, path, EXPECTED[name])
    assert table_counts(db) == before


def test_good_files_after_a_bad_one_in_one_command(db, tmp_path):
    """`import a b c`: files before the bad one are kept (each file is atomic), the bad one
    is refused whole and the command stops there with exit 1."""
    good = CORPUS / "ok-emoji.jsonl"
    bad = CORPUS / "ref-resolution-missing.jsonl"
    before = table_counts(db)
    done = _run(db, "import", "--no-detect", str(good), str(bad), str(CORPUS / "ok-markup.jsonl"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    after = table_counts(db)
    assert after["claims"] - before["claims"] == 1  # the emoji file only


# --------------------------------------------------------------------------- generated at test time

def test_a_10_mb_line_is_refused_not_parsed(db, tmp_path):
    for suffix, line in ((".jsonl", json.dumps({"kind": "claim", "id": "huge", "text": "x" * 10_000_000, "source": "s1"})),
                         (".csv", "id,text,source\nhuge," + "x" * 10_000_000 + ",s1")):
        path = tmp_path / f"ten-mb{suffix}"
        path.write_text(json.dumps({"kind": "source", "id": "s1", "name": "S"}) + "\n" + line + "\n"
                        if suffix == ".jsonl" else line + "\n", encoding="utf-8")
        before = table_counts(db)
        result = import_cli(db, path)
        assert_refused(result.exit_code, result.stderr, path, {"line": 2, "field": None, "problem": "line longer than"})
        assert table_counts(db) == before


def test_a_line_of_ten_megabytes_of_whitespace_inside_json(db, tmp_path):
    path = tmp_path / "padded.jsonl"
    path.write_text('{"kind":"source",' + " " * 10_000_000 + '"id":"s1","name":"S"}\n', encoding="utf-8")
    result = import_cli(db, path)
    assert_refused(result.exit_code, result.stderr, path, {"line": 1, "field": None, "problem": "line longer than"})


def test_missing_files_directories_devices_and_pipes(db, tmp_path):
    before = table_counts(db)
    missing = tmp_path / "nope.jsonl"
    result = import_cli(db, missing)
    assert_refused(result.exit_code, result.stderr, missing, {"line": None, "field": None, "problem": "no such file"})
    # a device never ends and a pipe would be consumed by the checksum: refused, not hung
    result = import_cli(db, Path("/dev/zero"))
    assert_refused(result.exit_code, result.stderr, Path("/dev/zero"), {"line": None, "field": None, "problem": "not a regular file"})
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    result = import_cli(db, fifo)
    assert_refused(result.exit_code, result.stderr, fifo, {"line": None, "field": None, "problem": "not a regular file"})
    result = invoke(db, "import", str(tmp_path))  # a directory: click's own usage error
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert table_counts(db) == before


def _million_lines(path: Path, last: str | None = None) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"kind":"source","id":"m-src","name":"Million"}\n')
        for i in range(999_998):
            fh.write(f'{{"kind":"claim","id":"m{i}","text":"Line {i} of a long file","source":"m-src"}}\n')
        fh.write((last or '{"kind":"claim","id":"m-last","text":"The last line","source":"m-src"}') + "\n")
    return path


@pytest.mark.slow
def test_a_million_lines_import(db, tmp_path):
    path = _million_lines(tmp_path / "million.jsonl")
    before = table_counts(db)
    done = _run(db, "import", "--no-detect", "--json", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["claims"] == 999_999
    assert table_counts(db)["claims"] - before["claims"] == 999_999


@pytest.mark.slow
def test_a_million_lines_with_a_bad_last_line_write_nothing(db, tmp_path):
    path = _million_lines(tmp_path / "million-bad.jsonl", last='{"kind":"claim","id":"m-last","text":"","source":"m-src"}')
    before = table_counts(db)
    result = import_cli(db, path)
    assert_refused(result.exit_code, result.stderr, path, {"line": 1_000_000, "field": "text", "problem": "empty"})
    assert table_counts(db) == before


# --------------------------------------------------------------------------- PostgreSQL

PG_OKS = [n for n in OKS if any(k in n for k in ("sql", "markup", "ansi", "bidi", "emoji", "control", "normalisation",
                                                  "extreme", "longest", "old-dates", "path-like"))]
PG_ERRORS = ["ref-link-to-missing.jsonl", "ref-resolution-missing.jsonl", "ref-document-missing.jsonl",
             "cyclic-parents.jsonl", "cyclic-parents-three.jsonl", "nul-escaped-in-text.jsonl", "json-lone-surrogate.jsonl"]


@pytest.mark.postgres
def test_postgres_keeps_odd_text_exactly_and_refuses_bad_files_whole(pg_url, tmp_path):
    """One schema: the text-sensitive valid files one after another (some reuse an id with
    other content: imported with --update, so each file's text is what is stored), then the
    files refused in the write phase (after rows were inserted: only the rollback saves the
    database)."""
    seed = tmp_path / "pre.jsonl"
    seed.write_text("".join(json.dumps(r) + "\n" for r in PRE_EXISTING), encoding="utf-8")
    assert import_cli(pg_url, seed).exit_code == 0
    for name in PG_ERRORS:
        path = CORPUS / name
        before = table_counts(pg_url)
        result = import_cli(pg_url, path)
        assert_refused(result.exit_code, result.stderr, path, EXPECTED[name])
        assert table_counts(pg_url) == before, name
    for name in PG_OKS:
        result = invoke(pg_url, "import", "--no-detect", "--update", str(CORPUS / name))
        assert result.exit_code == 0, (name, result.output)
        exported = export_cli(pg_url, tmp_path / "out.jsonl")
        check_texts_round_trip(CORPUS / name, exported)
    check_terminal_output_is_safe(pg_url, exported)
