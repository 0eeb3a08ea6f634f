"""A claim's language is detected and stored on every path that creates or edits one, and shown."""

from __future__ import annotations

from tests.conftest import as_json

ARABIC = "قتل 11 عنصرا من الميليشيات في غارة على قاعدة الإمام علي"


def test_imported_added_and_edited_claims_carry_their_language(run):
    assert as_json(run("claim", "show", "c1", "--json"))["language"] == "en"  # the seed, through import
    run("source", "add", "sohr-ar", "--name", "المرصد السوري لحقوق الإنسان", "--type", "monitor")
    run("claim", "add", ARABIC, "--source", "sohr-ar", "--id", "ar1")
    shown = as_json(run("claim", "show", "ar1", "--json"))
    assert shown["language"] == "ar" and shown["text"] == ARABIC
    assert "language: ar" in run("claim", "show", "ar1").stdout
    run("claim", "edit", "ar1", "--text", "Eleven militiamen were killed in an air strike on the Imam Ali base")
    assert as_json(run("claim", "show", "ar1", "--json"))["language"] == "en"
    listed = {c["id"]: c["language"] for c in as_json(run("claims", "--json"))}
    assert listed["ar1"] == "en" and listed["c1"] == "en"
