"""The rules extractor on the seed report's sentences, on hostile text, and the document readers."""

from datetime import date
from pathlib import Path

import pytest

from verifier.domain.extraction import DocumentError, extract, read_document
from verifier.domain.vocabulary import Qualifier

ROOT = Path(__file__).resolve().parents[2]
# the attributed paragraphs, own-voice lines, headings and lists of the seed field report (Alma Center, 18 May 2020)
SEED = ROOT / "tests" / "reports" / "seed-excerpt-2020-05.txt"
PUBLISHED = date(2020, 5, 18)

SCHR = ("  1. Based on reports from the Syrian Center for Human Rights (Opposition), there are more than "
        "6250 militants in southern Syria.\n")
EYN = ("  1. The “Eyn Alfurat” network reported that Iran has introduced the Iraqi pro-Iranian “Almuntazar” "
       "militia into the Al-Bukamal region. The militia began deploying in the Euphrates area after undergoing "
       "street combat training near the border with Syria in Al-Qa’im, Iraq. The purpose of the militia’s entry "
       "is to take control of the residents of Deir ez-Zor who oppose the Iranian occupation.\n"
       "  2. In addition, it is evident there are recent large reinforcements of the “Fatemiyoun Brigade” "
       "entering into Syria (between tens and hundreds of activists).\n")


def one(text, **kw):
    claims = [c for c in extract(text, published=PUBLISHED, **kw) if c.cue]
    assert len(claims) == 1, claims
    return claims[0]


def test_based_on_reports_from_gives_source_affiliation_figure_and_offsets():
    c = one(SCHR)
    assert c.cue == "Based on reports from"
    assert c.source_name == "Syrian Center for Human Rights"
    assert c.affiliation == "opposition"
    assert SCHR[c.source_start:c.source_end] == c.source_mention == "the Syrian Center for Human Rights"
    assert SCHR[c.start:c.end] == c.text == "there are more than 6250 militants in southern Syria."
    assert (c.value, c.qualifier, c.unit) == (6250, Qualifier.MORE_THAN.value, "militants")
    assert c.location == "southern Syria"


def test_network_kind_and_carry_over_within_the_item_but_not_past_the_reports_own_voice():
    claims = extract(EYN, published=PUBLISHED)
    assert [c.source_name for c in claims] == ["Eyn Alfurat", "Eyn Alfurat", "Eyn Alfurat", None]
    first = claims[0]
    assert first.source_kind == "network" and first.cue == "reported"
    assert EYN[first.source_start:first.source_end] == "The “Eyn Alfurat” network"
    assert first.text.startswith("Iran has introduced") and "reported" not in first.text
    assert claims[1].text.startswith("The militia began deploying")
    own = claims[3]
    assert own.source_mention is None and own.cue is None
    assert own.text.startswith("there are recent large reinforcements")  # "it is evident" left out
    assert (own.value, own.value_high, own.qualifier, own.unit) == (10, 100, "between", "activists")


def test_relay_chain_and_kind_from_the_mention():
    text = "Local sources quoted by the Enab Baladi website reported that at least 450 fighters arrived in Daraa."
    c = one(text)
    assert (c.source_name, c.via) == ("Local sources", ("Enab Baladi",))
    assert text[c.source_start:c.source_end] == "Local sources"
    assert (c.value, c.qualifier) == (450, Qualifier.MORE_THAN.value)
    assert c.location == "Daraa"


def test_event_dates_resolve_against_the_publication_date():
    text = ("The “deirezzor24” network reported that militias set fire to crops in the village of Abu Khashab. "
            "On 10 May, three fires broke out in the village. On Thursday, a fourth fire was set.")
    claims = extract(text, published=PUBLISHED)
    assert [c.source_name for c in claims] == ["deirezzor24"] * 3
    assert claims[1].event_date == date(2020, 5, 10)
    assert (claims[1].value, claims[1].qualifier, claims[1].unit) == (3, "exact", "fires")
    assert claims[2].event_date == date(2020, 5, 14)  # the Thursday before Monday 18 May
    assert "Abu Khashab" in claims[0].location


def test_according_to_carries_to_a_next_item_that_points_back_and_ramadan_resolves():
    text = ("1. According to the “Orient” website, since the beginning of Ramadan the Iranian militias have acted "
            "in the city of Aleppo.\n2. Implementing this policy, the Iranian militias have replaced most of the "
            "street names of the refugee camp.\n")
    first, second = extract(text, published=PUBLISHED)
    assert (first.source_name, first.source_kind, first.cue) == ("Orient", "website", "According to")
    assert first.event_date == date(2020, 4, 24)  # 1 Ramadan 1441
    assert second.source_name == "Orient" and second.text.startswith("Implementing this policy")


def test_a_next_item_without_a_pointer_back_is_the_reports_own_voice():
    text = SCHR + "  2. The number of militia recruits in eastern Syria reaches about 4700.\n"
    claims = extract(text, published=PUBLISHED)
    assert claims[1].source_mention is None
    assert (claims[1].value, claims[1].qualifier) == (4700, Qualifier.ABOUT.value)


def test_quotation_with_speaker_after_it_and_pronoun_resolution():
    text = ("Defence Minister Ali Hassan said the bridge at Raqqa was closed. "
            "“Repairs will take a month,” he added. “We have no other crossing.”")
    said, added = extract(text, published=PUBLISHED)
    assert said.source_name == "Defence Minister Ali Hassan" and said.text == "the bridge at Raqqa was closed."
    assert added.source_mention == "he" and added.source_name == "Defence Minister Ali Hassan"
    assert text[added.source_start:added.source_end] == "he"
    assert "Repairs will take a month" in added.text and "We have no other crossing" in added.text
    assert added.cue == "added"


def test_inverted_speaker_and_appositive():
    text = "“The timing is suspect,” said Tom Vilsack, a former Iowa governor."
    c = one(text)
    assert c.source_mention == "Tom Vilsack" and c.text == "“The timing is suspect,”"
    text = "Charlie King, a former director of the party, said the group would focus on five states."
    c = one(text)
    assert c.source_mention == "Charlie King" and c.text == "the group would focus on five states."


def test_headings_lists_and_introductions_are_not_proposed():
    text = ("Alma Center Syria territory control map January 2020\n\n"
            "The trend indicates the contrary:\n\n1- Islamic Republic of Iran\n2- Lebanese Hezbollah\n")
    assert extract(text, published=PUBLISHED) == []


def test_the_seed_report_gives_every_attributed_claim_and_no_heading():
    text = SEED.read_text(encoding="utf-8")
    claims = extract(text, published=PUBLISHED)
    names = {c.source_name for c in claims if c.cue}
    assert names == {"Syrian Center for Human Rights", "Eyn Alfurat", "deirezzor24", "Orient"}
    for c in claims:
        assert c.text.replace(" … ", "") in text.replace("\n", " ") or text[c.start:c.end] == c.text
        if c.source_mention:
            assert text[c.source_start:c.source_end] == c.source_mention
    assert not any("Hezbollah" in c.text or "control map" in c.text for c in claims)


# --------------------------------------------------------------------------- hostile text

def test_markup_and_escapes_are_kept_as_data():
    text = "The ministry said that [bold red]500[/] <script>alert(1)</script> people\x1b[31m fled\\n."
    c = one(text)
    assert c.text == "[bold red]500[/] <script>alert(1)</script> people\x1b[31m fled\\n."
    assert text[c.start:c.end] == c.text


def test_very_long_lines_and_offsets_stay_in_range():
    sentence = "Officials said that 12 roads were closed near Homs. "
    text = sentence * 4000  # one line of 208,000 characters
    claims = extract(text, published=PUBLISHED)
    assert len(claims) == 4000
    assert all(0 <= c.start < c.end <= len(text) and text[c.start:c.end] == c.text for c in claims)


def test_empty_and_whitespace_text():
    assert extract("") == [] and extract(" \n\n\t ") == []


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown extraction backend"):
        extract("Smith said so.", backend="gpt")


# --------------------------------------------------------------------------- documents

def test_html_to_text_drops_scripts_and_decodes_entities():
    html = ("<html><head><title>Field report</title><style>p{}</style></head><body><h1>Report</h1>"
            "<p>The &ldquo;Orient&rdquo; website reported that 40&nbsp;houses burned.</p>"
            "<script>var x = 'said that';</script><ul><li>One</li><li>Two</li></ul></body></html>")
    doc = read_document(html.encode(), "r.html")
    assert doc.format == "html" and doc.title == "Field report"
    assert "script" not in doc.text and "var x" not in doc.text and "p{}" not in doc.text
    c = one(doc.text)
    assert c.source_name == "Orient" and doc.text[c.start:c.end] == c.text and c.value == 40


def test_markdown_loses_its_markup():
    md = "# Weekly report\n\nThe **ministry** said that [two bridges](http://x.y) were *closed*.\n"
    doc = read_document(md, "r.md")
    assert doc.title == "Weekly report"
    assert "The ministry said that two bridges were closed." in doc.text
    assert one(doc.text).text == "two bridges were closed."


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe\x00b\x00i\x00n", "UTF-16"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    (b"Caf\xe9 owners said that prices rose.", "not valid UTF-8"),
])
def test_hostile_files_get_one_clear_line(data, message):
    with pytest.raises(DocumentError, match=message) as err:
        read_document(data, "report.txt")
    assert "report.txt" in str(err.value) and "\n" not in str(err.value)
