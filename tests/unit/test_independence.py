"""Circular reporting: relays, shared owners, declared dependencies and copied text are one voice."""

from datetime import date

import pytest

from verifier.domain.copies import Report, copied_pairs
from verifier.domain.independence import check
from verifier.domain.origins import SourceInfo, group_origins

SOURCES = {
    s.key: s
    for s in [
        SourceInfo("sohr", reliability=0.65),
        SourceInfo("alma", reliability=0.7),
        SourceInfo("enab", reliability=0.6),
        SourceInfo("un", reliability=0.9),
        SourceInfo("rumour-mill", reliability=0.2),
        SourceInfo("orient-tv", parent="orient-media", reliability=0.6),
        SourceInfo("orient-web", parent="orient-net", reliability=0.6),
        SourceInfo("orient-net", parent="orient-media", reliability=0.6),
    ]
}

TEXT = "There are more than 6250 militants in southern Syria"

# The seed: Alma relays the Syrian Center for Human Rights (source sohr, via alma) ...
ALMA_RELAY = Report("c1", "sohr", ("alma",), TEXT, date(2020, 5, 18))
# ... and the centre's own report of the same count.
SOHR_OWN = Report("c2", "sohr", (), "SOHR: over 6250 Iranian-backed fighters are in the south", date(2020, 5, 16))
ENAB = Report("c3", "enab", (), "Enab Baladi counts more than 6,000 militia members in Daraa and Quneitra", date(2020, 5, 17))


def test_relay_and_its_original_are_one_origin():
    origins = group_origins([ALMA_RELAY, SOHR_OWN], SOURCES)
    assert [set(o.claims) for o in origins] == [{"c1", "c2"}]
    assert origins[0].root == "sohr"
    assert any(r.why in ("relay", "same source") for r in origins[0].reasons)


def test_a_report_by_the_relayer_that_came_via_the_original_is_the_same_origin():
    alma_own = Report("c4", "alma", ("sohr",), "Alma: 6250 militants in the south", date(2020, 5, 19))
    origins = group_origins([alma_own, SOHR_OWN], SOURCES)
    assert len(origins) == 1
    assert origins[0].root == "sohr"
    assert origins[0].reasons[0].why == "relay"
    assert origins[0].reasons[0].claim == "c4"


def test_relay_alone_is_not_corroborated_and_says_why():
    result = check("c1", [ALMA_RELAY, SOHR_OWN], [], SOURCES)
    assert not result.independently_corroborated
    assert result.origins == (("c1", "c2"),) or set(result.origins[0]) == {"c1", "c2"}
    text = " ".join(result.explanation)
    assert "c1" in text and "c2" in text and "one origin" in text


def test_unrelated_outlet_makes_the_claim_independently_corroborated():
    result = check("c1", [ALMA_RELAY, SOHR_OWN, ENAB], [], SOURCES)
    assert result.independently_corroborated
    assert len(result.origins) == 2
    assert "c1" in result.origins[0]  # the claim's own origin comes first
    assert result.supporting == ("c1", "c2", "c3")


def test_confirmed_contradiction_from_more_reliable_source_blocks():
    un = Report("c9", "un", (), "UN monitors count fewer than 2000 fighters in the south")
    result = check("c1", [ALMA_RELAY, SOHR_OWN, ENAB], [(un, True)], SOURCES)
    assert not result.independently_corroborated
    assert result.contradicting == ("c9",)
    assert any("blocks" in line and "c9" in line for line in result.explanation)


def test_contradiction_from_less_reliable_source_or_unconfirmed_does_not_block():
    rumour = Report("c8", "rumour-mill", (), "Only a handful of fighters remain")
    un = Report("c9", "un", (), "UN monitors count fewer than 2000 fighters in the south")
    result = check("c1", [ALMA_RELAY, SOHR_OWN, ENAB], [(rumour, True), (un, False)], SOURCES)
    assert result.independently_corroborated
    text = " ".join(result.explanation)
    assert "less reliable" in text and "not confirmed" in text


def test_contradicting_reports_an_analyst_confirmed_as_copies_are_one_contradicting_origin():
    """Two contradictions in other words, from two sources: two voices, until an analyst
    confirms one copied the other (``copies confirm``); then they are weighed as one."""
    first = Report("x1", "un", (), "UN monitors count fewer than 2000 fighters in the south", date(2020, 5, 20))
    copy = Report("x2", "enab", (), "Under two thousand gunmen remain in Daraa, observers say", date(2020, 5, 21))
    against = [(first, True), (copy, True)]
    apart = check("c1", [ALMA_RELAY, SOHR_OWN, ENAB], against, SOURCES)
    together = check("c1", [ALMA_RELAY, SOHR_OWN, ENAB], against, SOURCES, confirmed=[frozenset({"x1", "x2"})])
    assert [line.split(" from ")[0] for line in apart.explanation if line.startswith("Confirmed contradiction")] == [
        "Confirmed contradiction x1", "Confirmed contradiction x2"]
    assert [line.split(" from ")[0] for line in together.explanation if line.startswith("Confirmed contradiction")] == [
        "Confirmed contradiction x1, x2"]


def test_two_outlets_of_one_parent_network_are_one_origin():
    tv = Report("c5", "orient-tv", (), "Street names in Al-Nayrab camp were replaced with Iranian names")
    web = Report("c6", "orient-web", (), "Militias renamed the streets of the Nayrab refugee camp")
    origins = group_origins([tv, web], SOURCES)
    assert len(origins) == 1
    assert origins[0].reasons[0].why == "shared parent"
    assert "orient-media" in origins[0].reasons[0].detail
    assert not check("c5", [tv, web], [], SOURCES).independently_corroborated


def test_declared_dependency_is_transitive():
    a = Report("a1", "enab", (), "Fires burned barley in Abu Khashab on 10 May")
    b = Report("b1", "alma", (), "Crops were torched in the village of Abu Khashab")
    c = Report("c1x", "un", (), "Farmland fires reported near Deir ez-Zor")
    # enab depends on alma, alma depends on un: all one origin, attributed to un
    origins = group_origins([a, b, c], SOURCES, {("enab", "alma"), ("alma", "un")})
    assert len(origins) == 1
    assert origins[0].root == "un"
    assert {r.why for r in origins[0].reasons} == {"declared dependency"}
    # without the declarations they are three voices
    assert len(group_origins([a, b, c], SOURCES)) == 3


def test_copied_text_is_one_origin_unless_overruled():
    original = Report("o1", "enab", (), "Iran has introduced the Almuntazar militia into Al-Bukamal.", date(2020, 5, 1))
    copy = Report("o2", "rumour-mill", (), "Iran has introduced the Almuntazar militia into Al-Bukamal!", date(2020, 5, 3))
    pairs = copied_pairs([copy, original])
    assert [(p.later, p.earlier) for p in pairs] == [("o2", "o1")]
    assert pairs[0].score >= 95
    assert len(group_origins([original, copy], SOURCES)) == 1
    assert not check("o1", [original, copy], [], SOURCES).independently_corroborated
    overruled = {frozenset({"o1", "o2"})}
    assert copied_pairs([copy, original], overruled) == []
    assert check("o1", [original, copy], [], SOURCES, overruled=overruled).independently_corroborated


def test_cited_relay_is_not_called_a_silent_copy():
    original = Report("o1", "enab", (), "Iran has introduced the Almuntazar militia into Al-Bukamal.", date(2020, 5, 1))
    cited = Report("o2", "alma", ("enab",), "Iran has introduced the Almuntazar militia into Al-Bukamal.", date(2020, 5, 3))
    assert copied_pairs([original, cited]) == []
    origins = group_origins([original, cited], SOURCES)
    assert len(origins) == 1 and origins[0].reasons[0].why == "relay"


def test_different_texts_are_not_copies():
    a = Report("x1", "enab", (), "The militia did withdraw from Al-Bukamal")
    b = Report("x2", "un", (), "Three fires broke out in the agricultural areas")
    assert copied_pairs([a, b]) == []


def test_check_requires_the_claims_own_report():
    with pytest.raises(ValueError, match="supporting"):
        check("missing", [ENAB], [], SOURCES)


def test_belief_is_worded_in_the_explanation():
    result = check("c1", [ALMA_RELAY, SOHR_OWN, ENAB], [], SOURCES, belief=0.83)
    assert "very likely" in result.explanation[-1]


def test_dependency_declared_on_a_network_covers_its_outlets():
    tv = Report("n1", "orient-tv", (), "Militias took over the Nairab airport")
    un = Report("n2", "un", (), "The Nairab military airport is under militia control")
    assert len(group_origins([tv, un], SOURCES)) == 2
    origins = group_origins([tv, un], SOURCES, {("orient-media", "un")})
    assert len(origins) == 1
    assert origins[0].root == "un"
    assert origins[0].reasons[0].why == "declared dependency"


def test_an_edited_repost_is_a_copy():
    c7 = Report("c7", "deirezzor24", ("alma",), "Iranian militias and troops loyal to the Syrian regime set fire to "
                "farmers\u2019 crops in the village of Abu Khashab, northwest of the city of Deir ez-Zor.", date(2020, 5, 18))
    d6 = Report("d6", "aggregator", (), "Iranian militias and troops loyal to the Syrian regime set fire to farmers' "
                "crops in the village of Abu Khashab, northwest of Deir ez-Zor city.", date(2020, 5, 19))
    pairs = copied_pairs([c7, d6])
    assert [(p.later, p.earlier, p.state) for p in pairs] == [("d6", "c7", "detected")]
    assert not check("c7", [c7, d6], [], SOURCES).independently_corroborated


def test_an_accepted_duplicate_without_evidence_of_copying_is_two_origins_until_an_analyst_confirms_a_copy():
    # issue 24: same meaning in other words is corroboration, not copying
    a = Report("a1", "enab", (), "Militias took over the Nairab airport", date(2020, 5, 1))
    b = Report("b1", "un", (), "The Nairab military airport is now controlled by armed groups", date(2020, 5, 2))
    dup = {frozenset({"a1", "b1"})}
    assert copied_pairs([a, b], duplicates=dup) == []
    assert len(group_origins([a, b], SOURCES, duplicates=dup)) == 2
    result = check("a1", [a, b], [], SOURCES, duplicates=dup)
    assert result.independently_corroborated
    assert any("same assertion" in line and "no sign of copying" in line for line in result.explanation)
    confirmed = copied_pairs([a, b], duplicates=dup, confirmed=dup)
    assert [(p.later, p.earlier, p.state) for p in confirmed] == [("b1", "a1", "confirmed")]
    assert not check("a1", [a, b], [], SOURCES, duplicates=dup, confirmed=dup).independently_corroborated
    assert copied_pairs([a, b], overruled=dup, confirmed=dup) == []


def test_two_witnesses_in_their_own_words_are_two_origins_and_their_own_sourcing_is_shown():
    a = Report("w1", "deirezzor24", (), "A convoy of 30 trucks crossed into Al-Bukamal from Iraq during the night, "
               "our correspondents in Al-Bukamal saw.", date(2021, 3, 4))
    b = Report("w2", "eyn_alfurat", (), "Thirty lorries entered the town overnight over the border crossing, "
               "according to people living near the crossing.", date(2021, 3, 4))
    dup = {frozenset({"w1", "w2"})}
    result = check("w1", [a, b], [], SOURCES, duplicates=dup)
    assert result.independently_corroborated and len(result.origins) == 2
    said = " ".join(result.explanation)
    assert "no sign of copying" in said and "our correspondents" in said


def test_an_edited_repost_accepted_as_a_duplicate_still_counts_once():
    c7 = Report("c7", "deirezzor24", (), "Iranian militias and troops loyal to the Syrian regime set fire to "
                "farmers\u2019 crops in the village of Abu Khashab, northwest of the city of Deir ez-Zor.", date(2020, 5, 18))
    d6 = Report("d6", "aggregator", (), "iranian militias  and troops loyal to the Syrian regime set fire to farmers "
                "crops in the village of Abu Khashab, northwest of Deir ez-Zor city", date(2020, 5, 19))
    result = check("c7", [c7, d6], [], SOURCES, duplicates={frozenset({"c7", "d6"})})
    assert result.origins == (("c7", "d6"),) and not result.independently_corroborated
    assert not any("no sign of copying" in line for line in result.explanation)


def test_a_translation_that_cites_nobody_is_a_likely_copy_and_one_with_its_own_witnesses_is_not():
    en = Report("e1", "sohr_en", (), "Eleven militiamen were killed in an air strike on the Imam Ali base",
                date(2021, 1, 2))
    ar = Report("a1", "orient", (), "قتل 11 عنصرا من الميليشيات في غارة على قاعدة الإمام علي", date(2021, 1, 3))
    pair = {frozenset({"e1", "a1"})}
    copies = copied_pairs([en, ar], translations=pair)
    assert [(c.later, c.earlier, c.state) for c in copies] == [("a1", "e1", "translation")]
    result = check("e1", [en, ar], [], SOURCES, duplicates=pair, translations=pair)
    assert result.origins == (("e1", "a1"),)
    assert any("(translation)" in line for line in result.explanation)
    witness = Report("a2", "orient", (), "أفاد سكان بمقتل 11 عنصرا من الميليشيات في غارة على قاعدة الإمام علي",
                     date(2021, 1, 3))
    assert copied_pairs([en, witness], translations={frozenset({"e1", "a2"})}) == []


def test_an_accepted_duplicate_that_cites_its_origin_is_a_relay_not_a_likely_copy():
    a = Report("a1", "enab", (), "Militias took over the Nairab airport", date(2020, 5, 1))
    b = Report("b1", "alma", ("enab",), "The Nairab military airport is now controlled by armed groups", date(2020, 5, 2))
    assert copied_pairs([a, b], duplicates={frozenset({"a1", "b1"})}) == []
