"""What a new analyst trips on in the first hour (issue 23): the README's tour and "Adding by
hand" run against the demo, on a real SQLite file, and the answers checked against each other."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from tests.conftest import as_json
from verifier.cli import cli


@pytest.fixture
def demo(tmp_path):
    """The command line on a fresh demo database."""
    runner = CliRunner()
    db = str(tmp_path / "demo.db")

    def invoke(*args, ok=True):
        result = runner.invoke(cli, ["--db", db, "--analyst", "ana", *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + (result.stderr or "")
        return result

    invoke("demo", "--no-tui")
    return invoke


def add_by_hand(demo):
    """The README's "Adding by hand" steps; the new claim's id."""
    demo("source", "add", "sana", "--name", "SANA", "--type", "official", "--affiliation", "state media",
         "--grade", "D")
    demo("document", "add", "sana-2020-05-20", "--title", "SANA bulletin", "--publisher", "sana",
         "--published", "2020-05-20")
    out = demo("claim", "add", "About 3000 militants are in southern Syria", "--source", "sana",
               "--document", "sana-2020-05-20", "--subject", "militants in southern Syria, 2020-05",
               "--value", "3000", "--qualifier", "about").stdout
    return re.search(r"added claim (\S+)", out).group(1)


def test_the_explanation_prints_the_figure_of_the_source_it_names(demo):
    add_by_hand(demo)
    scores = {s["id"]: s["score"] for s in as_json(demo("sources", "--json"))}
    text = demo("check", "c1").stdout
    named = re.findall(r"from (\S+) \(reliability (\d\.\d\d)\)", text)
    for source, figure in named:
        assert float(figure) == pytest.approx(scores[source], abs=0.005), (source, figure, text)
    # the group's figure, where it is not the named source's, says whose it is
    group = re.search(r"from state-tv \(its origin \[[^]]*\] has reliability (\d\.\d\d), that of (\S+),", text)
    assert named or group, text
    if group:
        assert float(group.group(1)) == pytest.approx(scores[group.group(2)], abs=0.005)


def test_a_claim_read_in_a_document_takes_its_date(demo):
    key = add_by_hand(demo)
    assert as_json(demo("claim", "show", key, "--json"))["published"] == "2020-05-20"
    assert "received later" not in demo("check", key).stdout


def test_one_supporting_report_forms_one_origin(demo):
    demo("claim", "add", "A lone report nobody repeats about the Tanf garrison", "--source", "orient", "--id", "lone")
    text = demo("check", "lone").stdout
    assert "1 supporting report (lone itself) forms 1 independent origin" in text


REPORT = "tests/reports/seed-excerpt-2020-05.txt"


def test_a_publisher_named_on_the_command_line_is_taken_as_written(demo):
    demo("ingest", REPORT, "--publisher", "Levant Observatory", "--published", "2020-05-18")
    names = {s["id"]: s["name"] for s in as_json(demo("sources", "--json"))}
    assert names.get("levant-observatory") == "Levant Observatory", names


def test_a_dry_run_creates_no_database(tmp_path):
    db = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", "--dry-run", REPORT], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "dry run: nothing written" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_the_observatory_is_not_the_centre_that_shares_its_initials(demo, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("According to the Syrian Observatory for Human Rights (SOHR), 40 fighters arrived in "
                      "Al-Mayadin on 3 May.\n", encoding="utf-8")
    out = as_json(demo("ingest", "--dry-run", "--json", str(report), "--published", "2020-05-18"))
    assert [p["source"] for p in out] == ["Syrian Observatory for Human Rights"], out


def _proposals(demo):
    return as_json(demo("proposals", "--json"))


def test_editing_a_proposals_text_reads_its_figure_again(demo, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("Enab Baladi reported that the number of militants in Deir ez-Zor grew.\n", encoding="utf-8")
    demo("ingest", str(report), "--published", "2020-05-18")
    pid = str(_proposals(demo)[0]["id"])
    demo("proposals", "edit", pid, "--text", "More than 6000 militants are now in Deir ez-Zor")
    p = next(p for p in _proposals(demo) if str(p["id"]) == pid)
    assert (p["value"], p["qualifier"]) == (6000, "more than"), p
    demo("proposals", "edit", pid, "--text", "The number of militants in Deir ez-Zor now exceeds 6000")
    p = next(p for p in _proposals(demo) if str(p["id"]) == pid)
    assert (p["value"], p["qualifier"]) == (6000, "more than"), p  # the issue's own wording
    demo("proposals", "edit", pid, "--value", "5000-7000", "--qualifier", "between", "--event-date", "2020-05-10")
    p = next(p for p in _proposals(demo) if str(p["id"]) == pid)
    assert (p["value"], p["event_date"]) == ([5000, 7000], "2020-05-10"), p


def test_an_accepted_proposal_points_to_claim_edit(demo, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("Enab Baladi reported that 40 fighters arrived in Al-Mayadin.\n", encoding="utf-8")
    demo("ingest", str(report), "--published", "2020-05-18")
    pid = str(_proposals(demo)[0]["id"])
    demo("proposals", "accept", pid)
    result = demo("proposals", "edit", pid, "--location", "Al-Mayadin", ok=False)
    line = result.stderr.strip()
    assert result.exit_code != 0 and "proposal: proposal" not in line, line
    assert "verifier claim edit" in line, line


def test_the_audit_names_the_demos_files_not_where_they_lie(demo):
    imports = [e for e in as_json(demo("audit", "--json")) if e["action"] == "import"]
    assert [e["key"] for e in imports] == ["demo/seed-field-report-2020-05.jsonl", "demo/demo-scenario.jsonl"]
    assert all("/" not in e["key"].removeprefix("demo/") for e in imports)


def test_a_source_named_once_is_one_source(demo, tmp_path):
    # issue 22, item 6: the same name through `claim add` and through a CSV import
    demo("claim", "add", "Militia convoys reached Al-Bukamal", "--source", "Eyn Alfurat - network", "--id", "by-hand")
    csv = tmp_path / "claims.csv"
    csv.write_text("id,text,source\nfrom-csv,Militia convoys left Al-Mayadin,Eyn Alfurat - network\n", encoding="utf-8")
    demo("import", "--no-detect", str(csv))
    by_hand = as_json(demo("claim", "show", "by-hand", "--json"))["source"]
    from_csv = as_json(demo("claim", "show", "from-csv", "--json"))["source"]
    assert by_hand == from_csv == "eyn-alfurat-network"
    named = [s for s in as_json(demo("sources", "--json")) if s["id"] == "eyn-alfurat-network"]
    assert [s["name"] for s in named] == ["Eyn Alfurat - network"]


def test_a_name_only_a_file_gives_becomes_the_id_claim_add_would_give(tmp_path):
    runner, db = CliRunner(), str(tmp_path / "case.db")
    csv = tmp_path / "claims.csv"
    csv.write_text("id,text,source\nx1,Militia convoys left Al-Mayadin,Eyn Alfurat - network\n", encoding="utf-8")
    assert runner.invoke(cli, ["--db", db, "import", "--no-detect", str(csv)]).exit_code == 0
    result = runner.invoke(cli, ["--db", db, "claim", "add", "Convoys reached Al-Bukamal", "--source",
                                 "Eyn Alfurat - network", "--id", "x2", "--json"])
    assert result.exit_code == 0, result.output
    listed = as_json(runner.invoke(cli, ["--db", db, "sources", "--json"]))
    assert [s["id"] for s in listed] == ["eyn-alfurat-network"]


def test_arabic_aliases_in_the_import_format_and_on_source_edit(demo, tmp_path):
    # issue 20, item 4: an alias recorded in Arabic makes the Arabic name the stored source
    lines = tmp_path / "sources.jsonl"
    lines.write_text('{"kind": "source", "id": "deirezzor24", "name": "deirezzor24", '
                     '"aliases": ["دير الزور 24", "Deir ez-Zor 24"]}\n', encoding="utf-8")
    demo("import", "--no-detect", "--update", str(lines))
    demo("source", "edit", "sohr", "--alias", "مركز سوريا لحقوق الإنسان")
    aliases = {s["id"]: s["aliases"] for s in as_json(demo("sources", "--json"))}
    assert "دير الزور 24" in aliases["deirezzor24"] and "مركز سوريا لحقوق الإنسان" in aliases["sohr"]
    report = tmp_path / "r.txt"
    report.write_text("According to Dayr az-Zawr 24, 40 fighters arrived in Al-Mayadin on 3 May.\n", encoding="utf-8")
    out = as_json(demo("ingest", "--dry-run", "--json", str(report), "--published", "2020-05-18"))
    assert [p["source"] for p in out] == ["deirezzor24"], out
    demo("source", "edit", "sohr", "--drop-alias", "مركز سوريا لحقوق الإنسان")
    assert "مركز سوريا لحقوق الإنسان" not in next(s for s in as_json(demo("sources", "--json")) if s["id"] == "sohr")["aliases"]


def test_hostile_commands_are_refused_in_one_line(demo):
    demo("source", "depends", "aggregator", "deirezzor24")
    cycle = demo("source", "depends", "deirezzor24", "aggregator", ok=False)
    assert cycle.exit_code != 0 and "dependency cycle" in cycle.stderr
    future = demo("resolve", "c3", "--verdict", "true", "--at", "9999-12-31", ok=False)
    assert future.exit_code != 0 and "in the future" in future.stderr
    assert as_json(demo("claim", "show", "c3", "--json"))["status"] == "unresolved"
    hidden = demo("claim", "add", "A claim", "--source", "orient", "--id", "x\u200b11", ok=False)
    assert hidden.exit_code != 0 and "invisible character (U+200B" in hidden.stderr


def test_a_database_from_a_newer_verifier_says_so(tmp_path):
    import sqlite3

    runner, db = CliRunner(), str(tmp_path / "case.db")
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    for args in (["claims"], ["upgrade"]):
        result = runner.invoke(cli, ["--db", db, *args])
        assert result.exit_code != 0
        line = result.stderr.strip()
        assert "this verifier is older than the database" in line and "internal error" not in line, line


def test_upgrade_refuses_to_go_back(tmp_path):
    runner, db = CliRunner(), str(tmp_path / "case.db")
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    for target in ("base", "0003"):
        result = runner.invoke(cli, ["--db", db, "upgrade", "--revision", target])
        assert result.exit_code != 0 and "only goes forward" in result.stderr, result.output
    assert runner.invoke(cli, ["--db", db, "claims"]).exit_code == 0  # the store is untouched


def test_a_sqlite_writer_waiting_for_another_says_it_is_waiting(demo, tmp_path):
    """SQLite takes one writer at a time: a resolve behind another writer's transaction says on
    stderr that it waits, then commits once the other is done (issue 23: it used to wait in silence)."""
    import sqlite3
    import subprocess
    import sys
    import threading

    db = tmp_path / "demo.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer's open transaction
    said = threading.Event()
    err_lines: list[str] = []
    try:
        proc = subprocess.Popen([sys.executable, "-m", "verifier", "--db", str(db), "--analyst", "bo", "resolve", "c1",
                                 "--verdict", "true", "--rationale", "seen"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def read_stderr():
            for line in proc.stderr:
                err_lines.append(line)
                if "waiting for another writer" in line:
                    said.set()

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        said.wait(timeout=50)  # hold the lock until the waiting writer has said so (or give up)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    proc.wait(timeout=120)
    reader.join(timeout=10)
    assert proc.returncode == 0, "".join(err_lines)
    assert said.is_set(), "".join(err_lines)
    assert as_json(demo("claim", "show", "c1", "--json"))["status"] == "true"
