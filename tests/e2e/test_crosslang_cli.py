"""Across languages on the command line: an Arabic report and its English relay are one claim
from one origin ("translation"); a figure changed in the Arabic is a possible contradiction."""

from __future__ import annotations

from tests.conftest import as_json

EN = "Eleven militiamen were killed in an air strike on the Imam Ali base near Al-Bukamal"
AR = "قتل 11 عنصرا من الميليشيات في غارة على قاعدة الإمام علي قرب البوكمال"
AR_12 = "قتل 12 عنصرا من الميليشيات في غارة على قاعدة الإمام علي قرب البوكمال"


def _key(out) -> str:
    return as_json(out)["id"]


def test_an_arabic_claim_and_its_english_relay_are_paired_and_counted_once_as_a_translation(run):
    ar = _key(run("claim", "add", AR, "--source", "orient", "--json"))
    en = _key(run("claim", "add", EN, "--source", "sohr", "--json"))
    queue = as_json(run("duplicates", "--json"))
    pair = [p for p in queue if {p["a"], p["b"]} == {ar, en}]
    assert len(pair) == 1 and pair[0]["kind"] == "duplicate" and "another language" in pair[0]["reason"]
    assert [m["id"] for m in as_json(run("similar", AR, "--json"))][:2] == [ar, en]
    run("duplicates", "accept", ar, en)
    out = as_json(run("check", en, "--json"))
    assert out["origins"] == [[ar, en]] and not out["independently_corroborated"]
    assert [(c["later"], c["earlier"], c["state"]) for c in out["likely_copies"]] == [(en, ar, "translation")]
    assert "(translation)" in " ".join(out["explanation"])


def test_a_figure_changed_across_languages_is_a_possible_contradiction_not_a_duplicate(run):
    en = _key(run("claim", "add", EN, "--source", "sohr", "--json"))
    ar = _key(run("claim", "add", AR_12, "--source", "sana", "--json"))
    pair = [p for p in as_json(run("duplicates", "--json")) if {p["a"], p["b"]} == {ar, en}]
    assert len(pair) == 1 and pair[0]["kind"] == "conflict"


def test_the_copies_listing_names_the_translation(run):
    ar = _key(run("claim", "add", AR, "--source", "orient", "--json"))
    en = _key(run("claim", "add", EN, "--source", "sohr", "--json"))
    run("duplicates", "accept", ar, en)
    listed = [c for c in as_json(run("copies", "--json")) if {c["later"], c["earlier"]} == {ar, en}]
    assert len(listed) == 1 and "is a translation of" in listed[0]["reason"]
