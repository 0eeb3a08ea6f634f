"""An import never rewrites a record behind the analyst's back (issue 10, item 2).

A file whose claim, source or link is stored with other content is refused whole, naming
what differs; with ``--update`` each change is an audited edit and what was computed from
the old content (derived links, detector suggestions, belief) is computed again, so that
``check`` no longer counts links that no longer apply. On SQLite and PostgreSQL."""

from __future__ import annotations

import json

from tests.conftest import SCENARIO, SEED, as_json

RECORDS = {(r["kind"], r.get("id")): r for path in (SEED, SCENARIO)
           for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r.get("id")}


def changed(tmp_path, *records, name="changed.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def claim(key, **changes):
    return {**RECORDS[("claim", key)], **changes}


def snapshot(run):
    """What a user can see of the whole store: every record, and the audit log's length."""
    return (as_json(run("claims", "--json")), as_json(run("duplicates", "--state", "all", "--json")),
            len(as_json(run("audit", "--limit", "100000", "--json"))))


def test_a_claim_stored_with_other_content_rejects_the_file(run, tmp_path):
    before = snapshot(run)
    path = changed(tmp_path, {"kind": "claim", "id": "n1", "text": "A new claim", "source": "sohr"},
                   claim("c1", text="Fewer than 100 militants are in southern Syria.", source="sana"))
    result = run("import", str(path), ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"verifier: {path}:2: claim c1 already exists with different text, source "
                                     "(use --update to change it)")
    assert snapshot(run) == before  # nothing written, not even the new claim n1


def test_sources_and_links_with_other_content_are_refused_too(run, tmp_path):
    before = snapshot(run)
    source = {**RECORDS[("source", "sohr")], "name": "Another name", "grade": "A"}
    result = run("import", str(changed(tmp_path, source, name="s.jsonl")), ok=False)
    assert "source sohr already exists with different name, grade (use --update" in result.stderr
    link = {"kind": "link", "from": "c3", "to": "c4", "relation": "corroborates", "note": "first"}
    run("import", str(changed(tmp_path, link, name="l1.jsonl")))
    result = run("import", str(changed(tmp_path, {**link, "note": "second"}, name="l2.jsonl")), ok=False)
    assert "link c3 corroborates c4 already exists with different note (use --update" in result.stderr
    run("import", "--update", str(changed(tmp_path, source, name="s.jsonl")))
    shown = as_json(run("source", "show", "sohr", "--json"))
    assert shown["name"] == "Another name" and shown["grade"] == "A"
    edit = [e for e in shown["history"] if e["action"] == "edit"][-1]
    assert edit["before"]["name"] == RECORDS[("source", "sohr")]["name"] and edit["after"]["name"] == "Another name"
    assert len(snapshot(run)[0]) == len(before[0])


def test_a_source_only_named_before_may_be_described_later(run, tmp_path):
    run("import", str(changed(tmp_path, {"kind": "claim", "id": "n1", "text": "A new claim", "source": "newcomer"},
                              name="a.jsonl")))
    run("import", str(changed(tmp_path, {"kind": "source", "id": "newcomer", "name": "The Newcomer", "grade": "C"},
                              name="b.jsonl")))
    assert as_json(run("source", "show", "newcomer", "--json"))["name"] == "The Newcomer"


def test_changed_text_is_an_audited_edit_and_redoes_the_suggestions(run, tmp_path):
    pairs = {frozenset((p["a"], p["b"])) for p in as_json(run("duplicates", "--json"))}
    assert frozenset(("c1", "d1")) in pairs  # the detector's suggestion from c1's old text
    run("link", "c1", "c5", "--relation", "corroborates", "--note", "an analyst's judgement")
    text = "Three fires broke out in the barley fields of Abu Khashab on 10 May."  # d4's report, nearly
    run("import", "--update", str(changed(tmp_path, claim("c1", text=text))))
    shown = as_json(run("claim", "show", "c1", "--json"))
    assert shown["text"] == text
    edit = [e for e in shown["history"] if e["action"] == "edit"][-1]
    assert edit["before"]["text"] == RECORDS[("claim", "c1")]["text"] and edit["after"]["text"] == text
    pairs = {frozenset((p["a"], p["b"])) for p in as_json(run("duplicates", "--json"))}
    assert frozenset(("c1", "d1")) not in pairs  # made from the old text: gone
    assert frozenset(("c1", "d4")) in pairs  # made from the new one
    kept = next(ln for ln in shown["links"] if ln["other"] == "c5")
    assert kept["state"] == "confirmed" and "changed after this link was confirmed" in kept["review"]
    assert "REVIEW: the text of c1 changed" in run("claim", "show", "c1").stdout
    assert all(ln["review"] is None for ln in shown["links"] if ln["other"] != "c5")
    run("link", "c1", "c5", "--relation", "corroborates")  # confirmed again: the flag clears
    assert next(ln for ln in as_json(run("claim", "show", "c1", "--json"))["links"] if ln["other"] == "c5")["review"] is None
    assert run("audit", "verify").exit_code == 0


def _check(run, key="c1"):
    return as_json(run("check", key, "--json"))


def test_changed_source_drops_the_derived_link_it_no_longer_has(run, tmp_path):
    assert _check(run)["independently_corroborated"] and ["d2"] in _check(run)["origins"]
    run("import", "--update", str(changed(tmp_path, claim("d2", source="sohr"))))
    out = _check(run)
    # one source restating its figure is a revision, not a second origin: no derived link any more
    assert not out["independently_corroborated"] and "d2" not in out["supporting"]
    assert not any(ln["other"] == "d2" and ln["origin"] == "derived" for ln in as_json(run("claim", "show", "c1", "--json"))["links"])
    edit = [e for e in as_json(run("claim", "show", "d2", "--json"))["history"] if e["action"] == "edit"][-1]
    assert edit["before"]["source"] == "enab" and edit["after"]["source"] == "sohr"


def test_changed_via_makes_one_origin_of_two(run, tmp_path):
    run("import", "--update", str(changed(tmp_path, claim("d2", via=["sohr"]))))
    out = _check(run)
    assert not out["independently_corroborated"]
    assert any({"c1", "d2"} <= set(origin) for origin in out["origins"])
    assert as_json(run("claim", "show", "d2", "--json"))["via"] == ["sohr"]


def test_changed_value_moves_the_derived_links_and_the_belief(run, tmp_path):
    before = _check(run)
    assert "d3" in before["contradicting"]
    run("import", "--update", str(changed(tmp_path, claim("c1", value=3000, qualifier="about"))))
    out = _check(run)
    assert "d2" in out["contradicting"] and "d3" in out["supporting"] and "d3" not in out["contradicting"]
    assert not out["independently_corroborated"] and out["belief"] < before["belief"]
    listed = {c["id"]: c for c in as_json(run("claims", "--json"))}
    assert listed["c1"]["contradicted"] >= 1  # the queue's cached counts follow


def test_changed_subject_leaves_the_old_subject_consistent(run, tmp_path):
    run("import", "--update", str(changed(tmp_path, claim("c1", subject="militants in northern Syria, 2020-05"))))
    out = _check(run)
    assert out["supporting"] == ["c1"] and not out["contradicting"]
    # d2 and d3 still relate to each other on the old subject (they were linked through c1)
    d2 = as_json(run("check", "d2", "--json"))
    assert "d3" in d2["contradicting"]


def test_reimporting_an_export_after_an_update_changes_nothing(run, tmp_path):
    run("import", "--update", str(changed(tmp_path, claim("c1", value=3000, qualifier="about"))))
    out = tmp_path / "all.jsonl"
    run("export", "-o", str(out))
    before = snapshot(run)
    assert as_json(run("import", str(out), "--json"))["changed"] == 0
    assert snapshot(run)[:2] == before[:2]


def test_reject_to_sets_aside_bad_and_dependent_lines_in_one_transaction(run, tmp_path):
    """The retry path of --reject-to (a line refused only against the store undoes the
    attempt) on both stores: a claim with a C1 control character in its source id, a link
    to it, a conflicting claim; the good lines go in once."""
    path = changed(tmp_path,
                   {"kind": "claim", "id": "g1", "text": "A good claim", "source": "sohr"},
                   {"kind": "claim", "id": "b1", "text": "A bad claim", "source": "seller\u0085x"},
                   {"kind": "link", "from": "g1", "to": "b1", "relation": "corroborates"},
                   claim("c1", text="Rewritten behind the analyst's back."),
                   {"kind": "claim", "id": "g2", "text": "Another good claim", "source": "enab"},
                   name="messy.jsonl")
    rejects = tmp_path / "rejects.jsonl"
    counts = as_json(run("import", "--reject-to", str(rejects), "--json", str(path)))
    assert counts["claims"] == 2 and counts["refused"] == 3 and counts["changed"] == 0
    refused = {r["line"]: r for r in map(json.loads, rejects.read_text(encoding="utf-8").split("\n")[:-1])}
    assert sorted(refused) == [2, 3, 4]
    assert refused[2]["field"] == "source" and refused[3]["field"] == "to"
    assert refused[4]["field"] == "text" and "already exists with different text" in refused[4]["reason"]
    ids = {c["id"] for c in as_json(run("claims", "--json"))}
    assert {"g1", "g2"} <= ids and "b1" not in ids
    assert as_json(run("claim", "show", "c1", "--json"))["text"] == RECORDS[("claim", "c1")]["text"]
    assert run("audit", "verify").exit_code == 0


def test_a_document_stored_with_other_content_is_refused_then_updated(run, tmp_path):
    doc = {**RECORDS[("document", "alma-2020-05")], "title": "Another title", "url": "https://example.org/alma"}
    path = changed(tmp_path, doc, name="doc.jsonl")
    result = run("import", str(path), ok=False)
    assert result.stderr.strip() == (f"verifier: {path}:1: document alma-2020-05 already exists with different "
                                     "title, url (use --update to change it)")
    assert as_json(run("document", "show", "alma-2020-05", "--json"))["title"] == RECORDS[("document", "alma-2020-05")]["title"]
    run("import", "--update", str(path))
    shown = as_json(run("document", "show", "alma-2020-05", "--json"))
    assert shown["title"] == "Another title" and shown["url"] == "https://example.org/alma" and shown["claim_count"] == 15
    edit = shown["history"][-1]
    assert edit["action"] == "edit" and edit["before"]["title"] == RECORDS[("document", "alma-2020-05")]["title"]
    assert edit["after"]["title"] == "Another title"
