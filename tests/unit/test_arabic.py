"""Arabic text is text: folding, function words, digits, qualifiers, number words, negation,
months and weekdays. Small fixtures written for these tests (news-style sentences)."""

from __future__ import annotations

from datetime import date

import pytest

from verifier.domain.extraction.figures import event_date, value_of
from verifier.domain.facts import extract_facts
from verifier.domain.language import detect
from verifier.domain.matching import compare, disagree
from verifier.domain.normalisation import content_words, fold_arabic, normalise, query_terms
from verifier.domain.values import Value, as_number, values_compatible
from verifier.domain.vocabulary import Qualifier


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أعلن الجيش", "اعلن الجيش"),  # hamza on alef
        ("إطلاق النار", "اطلاق النار"),  # hamza under alef
        ("آلاف", "الاف"),  # madda
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مدينة", "مدينه"),  # ta marbuta
        ("قُتِلَ", "قتل"),  # diacritics
        ("الـــرقة", "الرقه"),  # tatweel
        ("مسؤول", "مسوول"),  # hamza on waw
        ("ٱلله", "الله"),  # alef wasla
    ],
)
def test_letter_variants_fold_to_one_spelling(a, b):
    assert normalise(a) == normalise(b)


def test_arabic_indic_and_persian_digits_read_as_ascii_numbers():
    assert normalise("قتل ٣٠٠ شخص") == "قتل 300 شخص"
    assert normalise("۱۲۵ نازحا") == "125 نازحا"
    assert normalise("٣٬٥٠٠ و ٢٫٥") == "3500 و 2.5"
    assert as_number("٣٬٥٠٠") == 3500.0
    assert Value.parse("٣٠٠") == Value(Qualifier.EXACT, 300.0)


def test_english_text_is_unchanged_by_arabic_folding():
    text = "More than 6,250 people fled Idlib, the UN said."
    assert fold_arabic(text) == text
    assert normalise(text) == "more than 6250 people fled idlib the un said"


def test_arabic_function_words_are_not_content_words():
    words = content_words(normalise("قال المرصد إن القصف على مدينة إدلب كان في الصباح"))
    assert "في" not in words and "علي" not in words and "ان" not in words and "كان" not in words
    assert {"المرصد", "القصف", "مدينه", "ادلب"} <= set(words)
    assert "في" not in query_terms("قصف في إدلب")


def test_negation_particles_and_denials_are_read_even_with_a_clitic():
    assert extract_facts("لم تنسحب الميليشيات من البلدة").negations == 1
    assert extract_facts("ولم تنسحب الميليشيات من البلدة").negations == 1
    assert extract_facts("نفت وزارة الدفاع سقوط مدنيين").negations == 1
    assert extract_facts("ليس هناك أي ضحايا").negations == 1
    assert extract_facts("انسحبت الميليشيات من البلدة").negations == 0
    # the لا of "ما لا يقل عن" belongs to the qualifier, not to a denial
    assert extract_facts("قتل ما لا يقل عن 50 مدنيا").negations == 0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("قتل أكثر من ٣٠٠ شخص", Value(Qualifier.MORE_THAN, 300.0)),
        ("قتل ما لا يقل عن 50 مدنيا", Value(Qualifier.MORE_THAN, 50.0)),
        ("أصيب نحو 20 عنصرا", Value(Qualifier.ABOUT, 20.0)),
        ("أصيب بنحو 20 عنصرا", Value(Qualifier.ABOUT, 20.0)),
        ("نزح حوالى 3000 شخص", Value(Qualifier.ABOUT, 3000.0)),
        ("قتل أقل من 10 أشخاص", Value(Qualifier.LESS_THAN, 10.0)),
        ("قتل بين 10 و20 شخصا", Value(Qualifier.BETWEEN, 10.0, 20.0)),
        ("قتل من 10 إلى 20 شخصا", Value(Qualifier.BETWEEN, 10.0, 20.0)),
        ("قتل أحد عشر عنصرا", Value(Qualifier.EXACT, 11.0)),
        ("قتل ثلاثة عناصر", Value(Qualifier.EXACT, 3.0)),
        ("قتل خمسة وعشرون شخصا", Value(Qualifier.EXACT, 25.0)),
        ("نزح ثلاثة آلاف شخص", Value(Qualifier.EXACT, 3000.0)),
        ("نزح 300 ألف شخص", Value(Qualifier.EXACT, 300000.0)),
        ("قتل عشرات المدنيين", Value(Qualifier.BETWEEN, 10.0, 99.0)),
        ("نزح مئات الآلاف", Value(Qualifier.BETWEEN, 100000.0, 999999.0)),
    ],
)
def test_qualifiers_and_number_words_are_read_as_values(text, value):
    assert Value.read(text) == value


def test_arabic_qualifier_words_name_qualifiers():
    assert Qualifier.parse("أكثر من", "qualifier") is Qualifier.MORE_THAN
    assert Qualifier.parse("حوالى", "qualifier") is Qualifier.ABOUT
    assert Qualifier.parse("اقل من", "qualifier") is Qualifier.LESS_THAN


def test_a_qualified_arabic_figure_is_compatible_as_its_meaning_says():
    more = Value.read("أكثر من 300")
    assert values_compatible(more.qualifier.value, more.number, "exact", 350)
    assert not values_compatible(more.qualifier.value, more.number, "exact", 200)
    tens = Value.read("عشرات القتلى")
    assert values_compatible("between", (tens.number, tens.high), "exact", 40)
    assert not values_compatible("between", (tens.number, tens.high), "exact", 400)


def test_figures_of_an_arabic_sentence_keep_their_qualifier():
    assert value_of("بحسب المرصد قتل أكثر من 300 عنصر") == (300.0, "more-than", None, None)


def test_a_number_after_a_noun_is_a_count_in_arabic_unless_marked_as_a_label():
    assert extract_facts("مقتل 5 في انفجار").numbers == (("exact", 5.0),)
    assert extract_facts("القرار رقم 2254").labels == (("القرار", "2254"),)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("قصف على البلدة في 12 نيسان/أبريل 2024", (12, 4, 2024)),
        ("قصف في 5 كانون الثاني", (5, 1, None)),
        ("قصف في 3 من أيار", (3, 5, None)),
        ("غارة في 20 تشرين الأول 2023", (20, 10, 2023)),
        ("غارة في 7 مايو", (7, 5, None)),
    ],
)
def test_arabic_and_syriac_month_names_are_dates(text, day):
    assert extract_facts(text).dates == (day,)


def test_dates_resolve_against_the_publication_date():
    published = date(2024, 5, 10)  # a Friday
    assert event_date("قتل 5 في 12 نيسان/أبريل 2024", published) == date(2024, 4, 12)
    assert event_date("قتل 5 في 3 أيار", published) == date(2024, 5, 3)
    assert event_date("قتل 5 في 12 أيار", published) == date(2023, 5, 12)  # not after publication
    assert event_date("قتل 5 أمس", published) == date(2024, 5, 9)
    assert event_date("غارة أمس الأول", published) == date(2024, 5, 8)
    assert event_date("قصف يوم الخميس", published) == date(2024, 5, 9)
    assert event_date("غارة السبت الماضي", published) == date(2024, 5, 4)
    assert event_date("قصف يوم الأحد", published) == date(2024, 5, 5)
    assert event_date("قتل الأحد منهم", published) is None  # "the one of them", not Sunday


# --- the pair judgement on handmade Arabic pairs -------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # digits against number words, diacritics and tanwin
        ("قتل 11 عنصرا من الميليشيات في غارة على قاعدة الإمام علي",
         "قُتِل أحد عشر عنصراً من الميليشيات في غارة على قاعدة الإمام علي"),
        # letter variants (ى/ي, ة/ه)
        ("مستشفى الرازي يستقبل الجرحى في مدينة حلب", "مستشفي الرازي يستقبل الجرحي في مدينه حلب"),
        # a qualified figure and a figure it admits
        ("قتل أكثر من 300 شخص في القصف على مدينة إدلب", "قتل 350 شخص في القصف على مدينة إدلب"),
    ],
)
def test_arabic_restatements_are_duplicates(a, b):
    assert compare(a, b).kind == "duplicate"
    assert not disagree(a, b)


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("انسحبت الميليشيات من البلدة بعد القصف", "لم تنسحب الميليشيات من البلدة بعد القصف", "negation"),
        ("الجيش يسيطر على البلدة بعد معارك عنيفة", "الجيش يفشل في السيطرة على البلدة بعد معارك عنيفة", "negation"),
        ("قتل 5 مدنيين في قصف على مدينة إدلب", "قتل 50 مدنيين في قصف على مدينة إدلب", "numbers"),
        ("قتل أكثر من 300 شخص في القصف على إدلب", "قتل 200 شخص في القصف على إدلب", "numbers"),
        ("ارتفاع أسعار النفط في الأسواق العالمية", "انخفاض أسعار النفط في الأسواق العالمية", "opposites"),
        ("غارة إسرائيلية على مطار دمشق الدولي", "غارة إسرائيلية على مطار بغداد الدولي", "places"),
        ("قصف على بلدة سرمدا في 12 نيسان", "قصف على بلدة سرمدا في 13 نيسان", "dates"),
    ],
)
def test_arabic_pairs_that_cannot_both_be_true_are_possible_contradictions(a, b, why):
    result = compare(a, b)
    assert result.kind == "conflict"
    assert why in result.reason
    assert disagree(a, b)  # and so never a copy


def test_one_swapped_word_is_put_to_the_analyst_not_merged():
    result = compare("المحكمة العليا في العراق تصادق على نتائج الانتخابات",
                     "المحكمة العليا في العراق تزور نتائج الانتخابات")
    assert result.kind == "conflict" and "one word differs" in result.reason
    # a spelling variant is not a swap
    assert compare("المحكمة العليا في العراق تصادق على نتائج الانتخابات",
                   "المحكمه العليا في العراق تصادق علي نتايج الانتخابات").kind == "duplicate"


def test_unrelated_arabic_texts_are_different():
    assert compare("افتتاح معرض الكتاب في القاهرة", "ارتفاع أسعار الذهب في الأسواق").kind is None


def test_english_pairs_keep_the_english_judgement():
    result = compare("The militia did not withdraw from the town", "The militia withdrew from the town")
    assert result.kind == "conflict"
    assert compare("Eleven militiamen were killed in Deir ez-Zor", "11 militiamen were killed in Deir ez-Zor").kind == "duplicate"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("قتل 11 عنصرا من الميليشيات في غارة على قاعدة الإمام علي", "ar"),
        ("Eleven militiamen were killed in an air strike on the Imam Ali base", "en"),
        ("Deir ez-Zor: قتل 5 عناصر في غارة على المدينة", "ar"),  # mostly Arabic letters
        ("SDF seizes Raqqa", "en"),  # too short to tell from English otherwise
        ("Onze miliciens ont été tués dans une frappe aérienne", None),  # Latin, but not English
        ("", None),
        ("2024-05-10 12:00", None),  # no letters
    ],
)
def test_a_claims_language_is_detected_from_its_script(text, code):
    assert detect(text) == code
