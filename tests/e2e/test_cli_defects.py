"""Messy files imported on purpose, and the smaller defects a new user hits in the first
hour (issue 10, items 9 and 10): the CLI as a user runs it, on real SQLite files."""

from __future__ import annotations

import json
import random

import pytest

from tests.conftest import as_json

C1 = "\u0085\u0096\u009c"  # C1 control characters, as in a truth-discovery file's contributor names


@pytest.fixture
def db_url(tmp_path):
    """These defects are of the command line, not of the store: one SQLite file (the shared
    ``run`` fixture of tests/e2e/conftest.py imports the demo data into it)."""
    return str(tmp_path / "case.db")


def one_line(result) -> str:
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "internal error" not in lines[0], result.stderr
    return lines[0]


# --------------------------------------------------------------------------- item 9: --reject-to

def truth_discovery_file(path, n_claims=3000, bad_every=137, seed=7):
    """Listings of book authors by sellers, as a truth-discovery data set has them: seller
    (the source), book (the subject), author list (the value); some sellers' names carry
    C1 control characters. Also a link to a claim of a bad line. Returns the bad lines."""
    rng = random.Random(seed)
    bad, lines = set(), []
    for i in range(n_claims):
        seller = f"seller-{rng.randrange(200)}"
        if i % bad_every == 5:
            seller += C1[i % 3] + "books"
            bad.add(i + 1)
        book = rng.randrange(400)
        authors = rng.choice(["Ann Smith", "Ann Smith; Bo Li", "A. Smith"])
        lines.append({"kind": "claim", "id": f"l{i}", "text": f"The authors of ISBN {book:05d} are {authors}.",
                      "source": seller, "subject": f"authors of ISBN {book:05d}", "value": authors})
    lines.append({"kind": "link", "from": "l5", "to": "l6", "relation": "corroborates"})  # l5 is a bad line
    bad.add(len(lines))
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    return bad


def test_a_messy_file_is_refused_whole_by_default_with_a_hint(run, tmp_path):
    books = tmp_path / "books.jsonl"
    truth_discovery_file(books)
    before = as_json(run("claims", "--json"))
    line = one_line(run("import", "--no-detect", str(books), ok=False))
    assert line.startswith(f"verifier: {books}:6: source: ") and "--reject-to" in line
    assert as_json(run("claims", "--json")) == before


def test_reject_to_imports_the_good_lines_and_writes_each_refused_one(run, tmp_path):
    books = tmp_path / "books.jsonl"
    bad = truth_discovery_file(books)
    rejects = tmp_path / "rejects.jsonl"
    before = len(as_json(run("claims", "--json")))
    done = run("import", "--no-detect", "--reject-to", str(rejects), "--json", str(books))
    counts = as_json(done)
    assert counts["claims"] == 3000 - (len(bad) - 1) and counts["refused"] == len(bad) and counts["links"] == 0
    assert len(as_json(run("claims", "--json"))) == before + counts["claims"]
    refused = [json.loads(x) for x in rejects.read_text(encoding="utf-8").split("\n") if x]
    assert {r["line"] for r in refused} == bad
    for r in refused:
        assert r["file"] == str(books) and r["reason"]
        original = books.read_text(encoding="utf-8").split("\n")[r["line"] - 1]  # (splitlines splits at U+0085)
        assert r["text"] == original  # the line exactly as it was, to fix and import again
    by_line = {r["line"]: r for r in refused}
    assert by_line[6]["field"] == "source" and "printable" in by_line[6]["reason"]
    assert by_line[max(bad)]["field"] == "from" and "no claim 'l5'" in by_line[max(bad)]["reason"]
    assert oct(rejects.stat().st_mode & 0o777) == "0o600"
    # the good lines went in as one import: one audit event for the file
    imports = [e for e in as_json(run("audit", "--json")) if e["action"] == "import" and e["key"] == str(books)]
    assert len(imports) == 1


def test_reject_to_in_a_missing_folder_is_refused_before_importing(run, tmp_path):
    books = tmp_path / "books.jsonl"
    truth_discovery_file(books, n_claims=50)
    before = as_json(run("claims", "--json"))
    line = one_line(run("import", "--reject-to", str(tmp_path / "nope" / "r.jsonl"), str(books), ok=False))
    assert str(tmp_path / "nope") in line and ".tmp" not in line
    assert as_json(run("claims", "--json")) == before


# --------------------------------------------------------------------------- item 10

def test_document_add_and_show_make_claim_add_document_usable(run):
    result = run("claim", "add", "A convoy crossed at Al-Qaim", "--source", "sohr", "--document", "rep-9", ok=False)
    assert "no document with id 'rep-9'" in one_line(result)
    run("document", "add", "rep-9", "--title", "Weekly report 9", "--url", "https://example.org/9",
        "--publisher", "sohr", "--published", "2020-06-01")
    run("claim", "add", "A convoy crossed at Al-Qaim", "--source", "sohr", "--document", "rep-9", "--id", "n9")
    shown = as_json(run("document", "show", "rep-9", "--json"))
    assert shown["title"] == "Weekly report 9" and shown["publisher"] == "sohr" and shown["published"] == "2020-06-01"
    assert shown["claims"] == [{"id": "n9", "text": "A convoy crossed at Al-Qaim"}]
    assert as_json(run("claim", "show", "n9", "--json"))["document"]["id"] == "rep-9"
    assert "[n9] A convoy crossed" in run("document", "show", "rep-9").stdout
    assert "already exists" in one_line(run("document", "add", "rep-9", ok=False))


def test_a_note_text_appears_in_claim_show(run):
    run("note", "c1", "Ask the Amman desk about the count")
    assert "note: Ask the Amman desk about the count" in run("claim", "show", "c1").stdout


def test_copies_lists_the_copies_found(run):
    found = as_json(run("copies", "--json"))
    pair = next(p for p in found if {p["later"], p["earlier"]} == {"d4", "d5"})
    assert not pair["overruled"] and "reuses the words of" in pair["reason"]
    assert f"{pair['later']} copies {pair['earlier']}" in run("copies").stdout
    run("copies", "overrule", "d4", "d5")
    pair = next(p for p in as_json(run("copies", "--json")) if {p["later"], p["earlier"]} == {"d4", "d5"})
    assert pair["overruled"]


def test_similar_lists_no_match_scored_zero(run):
    found = as_json(run("similar", "Bread prices doubled in the market", "--json"))
    assert all(m["score"] > 0 for m in found)
    assert "  0.0  " not in run("similar", "Bread prices doubled in the market").stdout


@pytest.mark.parametrize("args", [["claims", "--limit", "-5"], ["claims", "--offset", "-1"], ["sources", "--limit", "-2"],
                                  ["audit", "--limit", "-1"], ["similar", "x", "--limit", "-3"]])
def test_negative_limits_are_refused_in_one_line(run, args):
    result = run(*args, ok=False)
    assert result.exit_code == 2 and "-" in one_line(result)


@pytest.mark.parametrize("args, needle", [(["claimz"], "No such command"), (["claim", "show"], "Missing argument"),
                                          (["claims", "--bogus"], "No such option"),
                                          (["resolve", "c1", "--verdict", "perhaps"], "perhaps")])
def test_usage_errors_print_one_line(run, args, needle):
    line = one_line(run(*args, ok=False))
    assert line.startswith("verifier: ") and needle in line and "--help" in line


def test_export_to_a_missing_folder_names_the_folder(run, tmp_path):
    missing = tmp_path / "no-such-folder"
    for args in (["export", "-o", str(missing / "all.jsonl")], ["report", "-o", str(missing / "r.md")]):
        line = one_line(run(*args, ok=False))
        assert str(missing) in line and ".tmp" not in line
    assert not missing.exists()
