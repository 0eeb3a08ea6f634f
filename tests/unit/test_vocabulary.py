"""Each word of the vocabulary has one home, so two paths cannot disagree: a source name
becomes the same id through `claim add` and through a CSV import, and the command line and
the TUI escape the same hostile characters."""

from __future__ import annotations

import pytest

from tui.text import plain
from verifier.cli.common import safe
from verifier.domain import reliability
from verifier.domain.checks import slug, source_key
from verifier.domain.values import interval
from verifier.domain.vocabulary import VERDICTS, Qualifier, Verdict


@pytest.mark.parametrize(("name", "key"), [
    ("Eyn Alfurat - network", "eyn-alfurat-network"),
    ("  SANA (Syria)  ", "sana-syria"),
    ("al-Watan_daily.sy", "al-watan_daily.sy"),
    ("Deir Ezzor 24 -- live", "deir-ezzor-24-live"),
])
def test_a_name_becomes_one_id_whichever_way_the_source_is_added(name, key):
    assert slug(name) == key
    # a CSV cell that is not a valid id as written (a control character in it) becomes the same slug
    assert source_key(name + "\x07") == key


def test_a_name_with_nothing_to_keep_gets_the_path_s_default():
    assert slug(" - ") == "source"
    assert source_key("\x01") == "unknown"


HOSTILE = {
    "\x1b[31m": ("\\u001b[31m", "\\x1b[31m"),
    "a\u202eb": ("a\\u202eb", "a<U+202E>b"),
    "a\u061cb": ("a\\u061cb", "a<U+061C>b"),  # ARABIC LETTER MARK: the CLI once let it through
    "a\u200fb": ("a\\u200fb", "a<U+200F>b"),
    "a\u2067b": ("a\\u2067b", "a<U+2067>b"),
    "a\x9bb": ("a\\u009bb", "a\\x9bb"),
}


@pytest.mark.parametrize("text", sorted(HOSTILE))
def test_the_cli_and_the_tui_escape_the_same_characters(text):
    cli_shown, tui_shown = HOSTILE[text]
    assert safe(text) == cli_shown
    assert plain(text) == tui_shown


def test_plain_text_passes_both_unchanged():
    text = "Eyn Alfurat: «نحو 3000» [bold]x[/bold]"
    assert safe(text) == text and plain(text) == text


def test_verdicts_and_scores_have_one_list():
    assert VERDICTS == ("true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable")
    assert [Verdict(v).score for v in VERDICTS] == [1.0, 0.75, 0.5, 0.25, 0.0, None]
    assert [reliability.verdict_score(v) for v in VERDICTS] == [1.0, 0.75, 0.5, 0.25, 0.0, None]


@pytest.mark.parametrize(("spelling", "qualifier"), [
    ("at least", "more-than"), ("at_least", "more-than"), (">=", "more-than"), ("up to", "less-than"),
    ("approximately", "about"), ("~", "about"), ("exactly", "exact"), ("range", "between"),
])
def test_a_record_and_value_matching_read_a_qualifier_alike(spelling, qualifier):
    assert Qualifier.parse(spelling, "qualifier").value == qualifier
    assert Qualifier.lookup(spelling).value == qualifier
    low, high = interval(spelling, (10, 20) if qualifier == "between" else 10)
    assert (low <= 10 <= high) and (qualifier != "more-than" or high == float("inf"))
