"""Names across scripts and spellings (issue 20, item 4): the transliteration key, Arabic
aliases, and the place gazetteer an analyst can extend. Pure: no database."""

from __future__ import annotations

import pytest

from verifier.domain.names import Gazetteer, arabic_key, gazetteer, latin_key, name_keys, read_places
from verifier.domain.recognition import KnownSource, match_source


@pytest.mark.parametrize("spelling", ["Deir ez-Zor", "Deir al-Zour", "Dayr az-Zawr", "Deir Ezzor", "deir el zor"])
def test_latin_spellings_of_one_name_fold_to_one_key(spelling):
    assert latin_key(spelling) == latin_key("Deir ez-Zor")


@pytest.mark.parametrize("a, b", [("Raqqa", "Ar-Raqqah"), ("Hasakah", "Al-Hasakeh"), ("Idlib", "Idleb"),
                                  ("Qamishli", "Kamishli"), ("Abu Kamal", "Al-Bukamal"), ("Sweida", "Suwayda")])
def test_article_vowels_doubled_letters_and_endings_are_folded(a, b):
    assert latin_key(a) == latin_key(b)


@pytest.mark.parametrize("a, b", [("Homs", "Hama"), ("Idlib", "Daraa"), ("Deir ez-Zor", "Daraa"), ("Aleppo", "Latakia")])
def test_different_names_keep_different_keys(a, b):
    assert latin_key(a) != latin_key(b)


def test_arabic_names_fold_letter_variants_and_the_article():
    assert arabic_key("دير الزور") == arabic_key("دير ألزور") == arabic_key("دير زور")
    assert arabic_key("Deir ez-Zor") == "" and latin_key("دير الزور") == ""
    assert name_keys("حماة") == name_keys("حماه")


@pytest.mark.parametrize("name", ["Deir ez-Zor", "Deir al-Zour", "Dayr az-Zawr", "دير الزور"])
def test_the_gazetteer_knows_a_place_in_any_script_or_spelling(name):
    place = gazetteer().find(name)
    assert place is not None and place.key == "deir-ez-zor" and place.name == "Deir ez-Zor"


def test_the_shipped_gazetteer_holds_the_fourteen_governorates_in_both_scripts():
    places = gazetteer().places.values()
    governorates = [p for p in places if p.kind == "governorate"]
    assert len(governorates) == 14
    assert all(any(arabic_key(n) for n in p.names) and any(latin_key(n) for n in p.names) for p in governorates)


def test_a_short_skeleton_alone_names_no_place():
    assert gazetteer().find("Deir") is None and gazetteer().find("Home") is None
    assert gazetteer().find("Deraa").key == "daraa"


def test_places_are_read_from_a_text_in_order():
    found = gazetteer().places_in("Militias reached Dayr az-Zawr and then Abu Kamal, near القامشلي")
    assert [p.key for p in found] == ["deir-ez-zor", "al-bukamal", "qamishli"]


def test_the_analyst_extends_the_gazetteer(tmp_path):
    extra = tmp_path / "places.tsv"
    extra.write_text("# mine\nhajin\ttown\tdeir-ez-zor\tHajin;Hajeen\tهجين\n"
                     "deir-ez-zor\tgovernorate\tdeir-ez-zor\tDeir Alzor\t\n", encoding="utf-8")
    g = gazetteer(extra)
    assert g.find("Hajeen").key == "hajin" and g.find("هجين").key == "hajin"
    assert g.find("Deir ez-Zor").name == "Deir ez-Zor"  # the shipped name stays first
    with pytest.raises(ValueError, match=r"places.tsv:1: expected 5"):
        read_places(["only\ttwo"], "places.tsv")
    assert Gazetteer([]).find("Hajin") is None


def test_a_source_is_recognised_by_a_recorded_arabic_alias_and_by_a_transliteration():
    known = [KnownSource("sohr", "Syrian Observatory for Human Rights", ("SOHR", "المرصد السوري لحقوق الإنسان")),
             KnownSource("deirezzor24", "Deir ez-Zor 24")]
    assert match_source("المرصد السوري لحقوق الانسان", known).key == "sohr"
    assert match_source("مرصد السوري لحقوق الإنسان", known).key == "sohr"
    assert match_source("SOHR", known).key == "sohr"
    assert match_source("Dayr az-Zawr 24", known).key == "deirezzor24"
    assert match_source("Deir al-Zour 24", known).key == "deirezzor24"
    # without the alias recorded, the Arabic name is a new source
    assert match_source("المرصد السوري لحقوق الإنسان", [KnownSource("sohr", "Syrian Observatory for Human Rights")]) is None
