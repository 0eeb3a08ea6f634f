"""Across languages: an English claim and its Arabic rendering are one claim (and, as reports,
one origin through translation); a figure that differs across languages is a possible
contradiction, never a duplicate. Uses the multilingual encoder (a default dependency)."""

from datetime import date

from verifier.adapters import crosslang as encoder
from verifier.domain import crosslang
from verifier.domain.copies import Report
from verifier.domain.independence import check

EN = "Eleven militiamen were killed in an air strike on the Imam Ali base"
AR = "قتل 11 عنصرا من الميليشيات في غارة على قاعدة الإمام علي"
AR_12 = "قتل 12 عنصرا من الميليشيات في غارة على قاعدة الإمام علي"
OTHER = "The Defence Ministry said the new hospital in Sarmada opened on Monday"


def test_language_is_read_from_the_script():
    assert crosslang.language(AR) == "ar" and crosslang.language(EN) == "en"
    assert crosslang.language("Deir ez-Zor: قصف على دير الزور اليوم") == "ar"


def test_an_english_claim_and_its_arabic_rendering_are_the_same_claim_and_other_events_are_not():
    found = {(p.i, p.j): p.kind for p in encoder.pairs([EN, AR, OTHER])}
    assert found == {(0, 1): "same"}


def test_a_figure_that_differs_across_languages_is_a_possible_contradiction_never_a_duplicate():
    found = encoder.pairs([EN, AR_12])
    assert [(p.kind, "figure" in p.reason) for p in found] == [("conflict", True)]
    assert encoder.translations(["e1", "a1"], [EN, AR_12]) == []


def test_a_translated_report_that_cites_nobody_is_counted_once_with_translation_in_the_explanation():
    en = Report("e1", "sohr", (), EN, date(2021, 1, 2))
    ar = Report("a1", "orient", (), AR, date(2021, 1, 3))
    pairs = encoder.translations(["e1", "a1"], [EN, AR])
    result = check("e1", [en, ar], [], {}, duplicates=pairs, translations=pairs)
    assert result.origins == (("e1", "a1"),) and not result.independently_corroborated
    assert any("a1 is counted once with e1 (translation)" in line for line in result.explanation)


def test_an_arabic_witness_report_and_an_english_one_stay_two_origins():
    en = Report("e1", "sohr", (), EN, date(2021, 1, 2))
    witness = Report("a2", "orient", (), "أفاد سكان بمقتل 11 عنصرا من الميليشيات في غارة على قاعدة الإمام علي",
                     date(2021, 1, 3))
    pairs = encoder.translations(["e1", "a2"], [en.text, witness.text])
    result = check("e1", [en, witness], [], {}, duplicates=[frozenset({"e1", "a2"})], translations=pairs)
    assert result.independently_corroborated
    assert any("no sign of copying" in line and "أفاد سكان" in line for line in result.explanation)
