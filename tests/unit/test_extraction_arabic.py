"""Arabic reports read with the same pipeline, and denials kept as denials (issue 20, items 5-6)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from verifier.domain.extraction import arabic, extract, polarity
from verifier.domain.extraction.segment import sentences
from verifier.domain.proposals import SourceRef
from verifier.services.ingest import propose

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
REPORT = (FIXTURES / "arabic-field-report-2020-05.txt").read_text(encoding="utf-8")
PUBLISHED = date(2020, 5, 18)


def _proposed(text: str = REPORT, **kw):
    return extract(text, published=PUBLISHED, **kw)


def _by_start(claims, words: str):
    return next(c for c in claims if c.text.startswith(words) or words in c.text)


def test_the_cue_list_is_data_that_names_its_source():
    text = (Path(arabic.__file__).parent / arabic.WORDS_FILE).read_text(encoding="utf-8")
    assert "Source:" in text.split("form\t")[0]
    w = arabic.words()
    assert arabic.cue_of(arabic.key("وأفادت")) and arabic.cue_of(arabic.key("قالت"))
    assert w.verbs[arabic.key("نفت")] == "-" and w.verbs[arabic.key("أكد")] == "+"
    assert ("بحسب",) in w.phrases and arabic.key("نقلت") in w.relays


def test_arabic_punctuation_ends_sentences_but_a_comma_does_not():
    text = "هل انسحبت القوات؟ قال المرصد إن القوات باقية، وإن التعزيزات مستمرة؛ وأضاف أن الوضع هادئ. انتهى۔ ثم"
    got = [text[s.start:s.end] for s in sentences(text)]
    assert got == ["هل انسحبت القوات؟", "قال المرصد إن القوات باقية، وإن التعزيزات مستمرة؛ وأضاف أن الوضع هادئ.",
                   "انتهى۔", "ثم"]


@pytest.mark.parametrize(("words", "name", "via", "kind"), [
    ("أكثر من 6250", "المرصد السوري لحقوق الإنسان", (), "organisation"),           # بحسب …،
    ("إيران أدخلت", "عين الفرات", (), "network"),                                   # أفادت شبكة … بأن
    ("أحرقت أكثر من 300", "local sources", ("دير الزور 24",), None),               # نقلت شبكة … عن مصادر محلية أن
    ("غيّرت أسماء", "أورينت", (), "website"),                                        # قال موقع … إن
    ("قُتل 11", "المرصد السوري", (), "organisation"),                                # وفقاً لـ
    ("وحدات من الجيش", "سانا", (), "agency"),                                        # ذكرت وكالة … أن
])
def test_each_attribution_pattern_gives_its_source_and_relay(words, name, via, kind):
    claim = _by_start(_proposed(), words)
    assert (claim.source_name, claim.via, claim.source_kind) == (name, via, kind)
    assert claim.cue and REPORT[claim.source_start:claim.source_end] in REPORT


def test_the_affiliation_in_parentheses_is_read_and_the_kind_word_left_out_of_the_name():
    sohr = _by_start(_proposed(), "أكثر من 6250")
    assert sohr.affiliation == "opposition"
    eyn = _by_start(_proposed(), "إيران أدخلت")
    assert REPORT[eyn.source_start:eyn.source_end] == "عين الفرات"


def test_the_agency_s_denial_is_sana_s_and_states_the_negation():
    denial = _by_start(_proposed(), "مقاتلين أجانب")
    assert denial.source_name == "سانا" and denial.source_mention == "الوكالة"  # «نفت الوكالة» resolved
    assert denial.denial and denial.text == "لا وجود لأي مقاتلين أجانب في مطار النيرب العسكري."
    assert REPORT[denial.start:denial.end].startswith("وجود أي مقاتلين")  # the offsets: the words as written


def test_the_publisher_s_own_voice_is_given_to_no_other_source():
    claims = _proposed()
    own = [c for c in claims if c.source_mention is None]
    for words in ("ملخص:", "يبلغ عدد المجندين", "ومن الواضح أن", "وفي تقديرنا", "تسيطر الميليشيات"):
        assert any(c.text.startswith(words) for c in own), words
    assert not any(c.source_name and "ملخص" in c.source_name for c in claims)


def test_the_sentence_after_an_attribution_in_its_paragraph_stays_with_its_source():
    follow = _by_start(_proposed(), "وبدأت الميليشيا")
    assert follow.source_name == "عين الفرات"


def test_places_are_read_from_arabic_sentences():
    claims = _proposed()
    assert _by_start(claims, "أحرقت أكثر من 300").location == "أبو خشب; دير الزور"
    assert _by_start(claims, "غيّرت أسماء").location == "مخيم النيرب"
    assert _by_start(claims, "أكثر من 6250").location == "جنوب سوريا"


def test_without_the_arabic_rules_no_arabic_claim_is_attributed():
    """The baseline the bench compares with: the English rules read the Arabic report."""
    assert not [c for c in _proposed(arabic_rules=False) if c.cue]
    assert len([c for c in _proposed() if c.cue]) >= 7


def test_every_expected_claim_of_the_fixture_is_proposed_with_its_source_and_relay():
    records = [json.loads(line) for line in (FIXTURES / "arabic-field-report-2020-05.jsonl").open(encoding="utf-8")]
    names = {r["id"]: {r["name"], *r.get("aliases", ())} for r in records if r["kind"] == "source"}
    claims = _proposed()
    for r in (r for r in records if r["kind"] == "claim"):
        found = next((c for c in claims if c.text == r["text"] or c.text == r["text"].rstrip(".")), None)
        assert found is not None, r["id"]
        if r["source"] == "alma":
            assert found.source_mention is None, r["id"]
        else:
            assert found.source_name in names[r["source"]], r["id"]
            assert len(found.via) == len(r["via"]) - 1, r["id"]  # the publisher closes the chain later
            assert all(v in names[k] for v, k in zip(found.via, r["via"], strict=False)), r["id"]


# --------------------------------------------------------------------------- denials (item 6)

def test_an_english_denial_keeps_the_ministry_and_states_the_negation():
    (claim,) = extract("The Defence Ministry denied that any civilians were hurt in the strike on Sarmada.")
    assert claim.denial and claim.text == "No civilians were hurt in the strike on Sarmada."
    (p,) = propose([claim], [], "doc", SourceRef("alma", "Alma Center"))
    assert p.source.name == "Defence Ministry" and p.denial and p.summary()["denial"] is True


@pytest.mark.parametrize(("content", "negation"), [
    ("its jets shelled the hospital.", "Its jets did not shell the hospital."),
    ("the convoy was hit near Idlib.", "The convoy was not hit near Idlib."),
    ("there were casualties.", "There were no casualties."),
    ("anyone was arrested.", "No one was arrested."),
    ("the army had not withdrawn.", "The army had withdrawn."),
    ("أن تكون القوات قد قصفت البلدة.", "ليس صحيحاً أن تكون القوات قد قصفت البلدة."),
    ("سقوط قتلى مدنيين.", "عدم سقوط قتلى مدنيين."),
])
def test_a_denied_content_is_negated(content, negation):
    assert polarity.negate(content) == negation


def test_not_denying_is_not_a_denial():
    (claim,) = extract("The spokesman did not deny that the convoy was hit.")
    assert not claim.denial and claim.text == "the convoy was hit."


@pytest.mark.parametrize("label", ["Summary", "Update", "Note", "Background"])
def test_a_label_is_never_a_source(label):
    claims = extract(f"{label}: Iranian militias moved more fighters into eastern Syria this month.")
    assert all(c.source_mention is None for c in claims)


def test_an_arabic_label_is_never_a_source():
    claims = extract("ملخص: قال المرصد إن الميليشيات نقلت مقاتلين إلى شرق سوريا هذا الشهر.")
    assert [c.source_name for c in claims if c.cue] == ["المرصد"]


def test_figures_with_qualifiers_and_dates_are_read_from_arabic_claims():
    claims = _proposed()
    sohr = _by_start(claims, "أكثر من 6250")
    assert (sohr.value, sohr.qualifier) == (6250, "more-than")
    burned = _by_start(claims, "أحرقت أكثر من 300")
    assert (burned.value, burned.qualifier, burned.event_date) == (300, "more-than", date(2020, 5, 10))
    assert _by_start(claims, "قُتل 11").event_date == date(2020, 5, 13)          # يوم الأربعاء
    assert _by_start(claims, "وحدات من الجيش").event_date == date(2020, 5, 14)  # يوم الخميس
    assert _by_start(claims, "غيّرت أسماء").event_date == date(2020, 4, 24)     # منذ بداية شهر رمضان


def test_an_arabic_html_report_gives_the_claims_of_its_text():
    from verifier.domain.extraction import read_document

    paragraphs = "".join(f"<p>{line}</p>" for line in REPORT.splitlines() if line.strip())
    page = f'<!doctype html><html dir="rtl" lang="ar"><head><title>تقرير</title></head><body>{paragraphs}</body></html>'
    doc = read_document(page.encode("utf-8"), "report.html")

    def attributed(text):
        return [(c.source_name, c.via, c.text, c.denial) for c in _proposed(text) if c.cue]

    assert doc.format == "html" and attributed(doc.text) == attributed(REPORT)


def test_a_place_the_report_names_elsewhere_is_a_place_wherever_it_stands():
    claims = _proposed()
    assert _by_start(claims, "وفي تقديرنا").location == "دير الزور"     # «أهالي دير الزور»: named «مدينة دير الزور» before
    assert _by_start(claims, "ملخص:").location == "سوريا"               # «في سوريا»: named «جنوب سوريا» after
    assert _by_start(claims, "أكثر من 6250").location == "جنوب سوريا"   # not also «سوريا» inside it
