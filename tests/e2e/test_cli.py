"""The command line as a user runs it: one JSON document with --json, one clear line on
errors, a non-zero exit, and nothing half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import SEED, as_json


def test_read_commands_print_one_json_document(run):
    sources = as_json(run("sources", "--json"))
    assert {"id", "name", "claims", "score", "low", "high", "letter", "verdicts"} <= set(sources[0])
    claims = as_json(run("claims", "--json"))
    assert {"id", "text", "source", "via", "status", "belief", "credibility"} <= set(claims[0])
    c1 = next(c for c in claims if c["id"] == "c1")
    assert c1["via"] == ["alma"] and c1["status"] == "unresolved"
    unresolved = as_json(run("claims", "--unresolved", "--json"))
    assert all(c["status"] == "unresolved" for c in unresolved)
    assert {c["id"] for c in as_json(run("claims", "--source", "orient", "--json"))} == {"c10", "c11", "h6"}
    for args in (["claim", "show", "c1"], ["source", "show", "sohr"], ["audit"], ["duplicates"], ["check", "c1"],
                 ["similar", "militants in southern Syria"], ["settings"]):
        as_json(run(*args, "--json"))  # parses: nothing else on stdout


def test_link_resolve_and_audit_history(run):
    run("link", "c3", "c4", "--relation", "corroborates", "--note", "same Eyn Alfurat report")
    run("resolve", "c3", "--verdict", "mostly-true", "--rationale", "militia seen in Al-Bukamal")
    c3 = as_json(run("claim", "show", "c3", "--json"))
    assert c3["status"] == "mostly-true"
    assert any(ln["other"] == "c4" and ln["relation"] == "corroborates" and ln["state"] == "confirmed" for ln in c3["links"])
    actions = [(e["action"], e["analyst"]) for e in c3["history"]]
    assert ("resolve", "ana") in actions and actions[0][0] == "import"
    # the history names the file it came from, not where it lay (the installed package, for the demo)
    assert c3["history"][0]["after"] == {"file": SEED.name}
    shown = run("claim", "show", "c3").stdout
    assert f"imported from {SEED.name}" in shown and str(SEED.parent) not in shown
    audit = as_json(run("audit", "--json"))
    assert [e["action"] for e in audit[-2:]] == ["add", "resolve"]
    assert run("audit", "verify").exit_code == 0
    sohr_before = next(s for s in as_json(run("sources", "--json")) if s["id"] == "eyn-alfurat")
    assert sohr_before["verdicts"]["mostly-true"] == 1


def test_claim_add_and_source_commands(run):
    run("source", "add", "sana", "--name", "SANA", "--type", "official", "--affiliation", "state media", "--grade", "D")
    out = as_json(run("claim", "add", "About 3000 militants are in southern Syria", "--source", "sana",
                      "--subject", "militants in southern Syria, 2020-05", "--value", "3000", "--qualifier", "about",
                      "--id", "n1", "--json"))
    assert out["id"] == "n1" and out["source"] == "sana"
    c1 = as_json(run("claim", "show", "c1", "--json"))
    assert any(ln["other"] == "n1" and ln["relation"] == "contradicts" for ln in c1["links"])
    shown = as_json(run("source", "show", "sana", "--json"))
    assert shown["grade"] == "D" and shown["history"][0]["action"] == "add"
    run("source", "depends", "aggregator", "deirezzor24", "--note", "reposts its text")
    assert as_json(run("source", "show", "aggregator", "--json"))["depends_on"][0]["source"] == "deirezzor24"


def test_errors_are_one_line_and_change_nothing(run, tmp_path):
    before = as_json(run("claims", "--json"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind":"claim","id":"x1","text":"ok","source":"s"}\n{"kind":"claim","id":"x2","text":"","source":"s"}\n',
                   encoding="utf-8")
    result = run("import", str(bad), ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"verifier: {bad}:2: text: must not be empty "
                                     "(to import the other lines and set the bad ones aside: --reject-to REJECTS.jsonl)")
    assert as_json(run("claims", "--json")) == before
    for args, needle in ((["resolve", "nope", "--verdict", "true"], "no claim with id 'nope'"),
                         (["link", "c1", "c1", "--relation", "corroborates"], "itself"),
                         (["source", "add", "x", "--name", "X", "--grade", "Q"], "grade")):
        result = run(*args, ok=False)
        assert result.exit_code == 1 and needle in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_duplicate_review_accept_reject_undo(run):
    queue = as_json(run("duplicates", "--json"))
    pair = next(p for p in queue if {p["a"], p["b"]} == {"d4", "d5"})
    assert pair["kind"] == "duplicate" and pair["state"] == "suggested" and pair["score"] >= 90
    run("duplicates", "reject", "d4", "d5")
    assert not any({p["a"], p["b"]} == {"d4", "d5"} for p in as_json(run("duplicates", "--json")))
    assert any({p["a"], p["b"]} == {"d4", "d5"} for p in as_json(run("duplicates", "--state", "rejected", "--json")))
    run("dedupe")  # a rescan never suggests a rejected pair again
    assert not any({p["a"], p["b"]} == {"d4", "d5"} for p in as_json(run("duplicates", "--json")))
    run("duplicates", "undo", "d4", "d5")
    run("duplicates", "accept", "d4", "d5")
    assert any({p["a"], p["b"]} == {"d4", "d5"} for p in as_json(run("duplicates", "--state", "confirmed", "--json")))
    actions = [e["action"] for e in as_json(run("audit", "--json"))]
    assert actions[-3:] == ["reject", "undo", "accept"] or actions[-4:-1] == ["reject", "dedupe", "undo"]


def test_export_is_private_and_reimports(run, tmp_path):
    out = tmp_path / "all.jsonl"
    run("export", "-o", str(out))
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert any(json.loads(x)["kind"] == "resolution" for x in lines)
    assert as_json(run("import", str(out), "--json"))["claims"] == 0  # nothing new


def test_python_m_verifier_demo_prints_a_summary(tmp_path):
    env = {**os.environ, "VERIFIER_ANALYST": "demo-user"}
    db = tmp_path / "demo.db"
    result = subprocess.run([sys.executable, "-m", "verifier", "--db", str(db), "demo", "--no-tui"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Syrian Center for Human Rights" in result.stdout and "Unresolved claims" in result.stdout
    assert "[c1] sohr via alma" in result.stdout


def test_check_says_how_much_of_the_belief_rests_on_grades(run):
    # c1 is supported by sohr (resolved claims) and enab, whose 0.80 is only its grade B prior:
    # the agreement is "very likely", not "almost certain", and check says what it rests on
    run("score")
    before = as_json(run("check", "c1", "--json"))
    assert before["independently_corroborated"] and before["belief"] < 0.95
    assert before["words"] != "almost certain" and before["credibility"] != 1
    assert 0 < before["grade_share"] < 1
    text = run("check", "c1").stdout
    assert f"belief rests {round(100 * before['grade_share'])}% on the sources' grades" in text
    # resolving the contradicting report adds to state-tv's record: less rests on grades
    run("resolve", "d3", "--verdict", "false", "--rationale", "count disproved")
    after = as_json(run("check", "c1", "--json"))
    assert after["grade_share"] < before["grade_share"]
def test_check_counts_confirmed_contradictions_like_the_claim(run):
    """`check` and the claim count the same contradictions (the confirmed ones); the detector's
    suggestion is listed apart until an analyst confirms it."""
    d3 = as_json(run("check", "d3", "--json"))
    shown = as_json(run("claim", "show", "d3", "--json"))
    assert sorted(d3["contradicting"]) == ["c1", "d2"] and len(d3["contradicting"]) == shown["contradicted"]
    assert d3["possibly_contradicting"] == ["d1"]
    text = run("check", "d3").stdout
    assert "contradicted by: c1, d2\n" in text and "possibly contradicted by (suggested, not confirmed): d1" in text
    run("duplicates", "accept", "d1", "d3")
    d3 = as_json(run("check", "d3", "--json"))
    assert sorted(d3["contradicting"]) == ["c1", "d1", "d2"] and d3["possibly_contradicting"] == []
    assert as_json(run("claim", "show", "d3", "--json"))["contradicted"] == 3


def test_listings_mark_their_cuts_and_keep_a_pair_s_difference(run):
    claims = {c["id"]: c["text"] for c in as_json(run("claims", "--json"))}
    pairs = run("duplicates").stdout.splitlines()
    shown = [(pairs[i].split()[3], pairs[i].split()[5], pairs[i + 1][9:], pairs[i + 2][9:])
             for i in range(0, len(pairs), 3)]
    assert ("c7", "d6") in [(a, b) for a, b, _, _ in shown]
    for a, b, a_line, b_line in shown:
        assert a_line != b_line, (a, b)  # different texts never look the same
        for key, line in ((a, a_line), (b, b_line)):
            assert len(line) <= 110
            assert line == claims[key] or (line.startswith("…") or line.endswith("…")) and line.strip("…") in claims[key]


def test_demo_summary_marks_cut_texts(tmp_path):
    result = subprocess.run([sys.executable, "-m", "verifier", "--db", str(tmp_path / "demo.db"), "demo", "--no-tui"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("  [")]
    c15 = next(ln for ln in lines if ln.startswith("  [c15]"))
    assert c15.endswith("…") and len(c15.split(": ", 1)[1]) == 120
    c1 = next(ln for ln in lines if ln.startswith("  [c1]"))
    assert c1.endswith("There are more than 6250 militants in southern Syria.")  # whole: no mark


def test_search_takes_wildcards_literally(run):
    every = as_json(run("claims", "--json"))
    assert not any("%" in c["text"] or "_" in c["text"] for c in every)
    assert as_json(run("claims", "--search", "%", "--json")) == []  # not "anything"
    assert as_json(run("claims", "--search", "_", "--json")) == []
    assert {c["id"] for c in as_json(run("claims", "--search", "BARLEY", "--json"))} >= {"c8", "d4", "d5"}


def test_claim_add_names_a_new_source_with_the_import_s_slug(run):
    out = as_json(run("claim", "add", "Shelling reported near the bridge", "--source", "Eyn Alfurat - network",
                      "--json"))
    assert out["source"] == "eyn-alfurat-network"
    shown = as_json(run("source", "show", "eyn-alfurat-network", "--json"))
    assert shown["name"] == "Eyn Alfurat - network"
