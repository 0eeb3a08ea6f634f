"""Reading reports, without a database: source recognition, proposals (relay chain, split,
merge), the report reader's refusals, and what any decent extractor gives on simple sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from verifier.adapters.reports import read_report
from verifier.domain import proposals as prop
from verifier.domain.attribution import ProposedClaim
from verifier.domain.errors import DomainError
from verifier.domain.extraction import DocumentError, extract
from verifier.domain.recognition import KnownSource, SourceIndex, clean_mention, kind_of, match_source
from verifier.domain.vocabulary import Qualifier, SourceKind
from verifier.services.ingest import propose

REPORTS = Path(__file__).resolve().parents[1] / "reports"

KNOWN = [
    KnownSource("sohr", "Syrian Center for Human Rights", ("SCHR",)),
    KnownSource("alma", "Alma Center", ("Alma Research and Education Center",), "israeli"),
    KnownSource("eyn-alfurat", "Eyn Alfurat"),
    KnownSource("sana", "Syrian Arab News Agency", ("SANA",), "state media"),
]


# --------------------------------------------------------------------------- recognition

@pytest.mark.parametrize("mention", [
    "the Syrian Center for Human Rights (Opposition)", "SCHR", "Syrian Centre for Human Rights",
    "“Syrian Center for Human Rights”", "syrian center for human rights", "sohr",
])
def test_one_source_however_the_report_names_it(mention):
    found = match_source(mention, KNOWN)
    assert found is not None and found.key == "sohr"


def test_the_parenthesised_affiliation_is_offered_only_to_a_source_without_one():
    assert match_source("the Syrian Center for Human Rights (Opposition)", KNOWN).offered_affiliation == "opposition"
    assert match_source("SANA (pro-government)", KNOWN).offered_affiliation is None  # it has one already


@pytest.mark.parametrize("mention", ["Syrian Center", "the Syrian Network for Human Rights", "Alma News", "Orient"])
def test_a_different_source_is_not_taken_for_a_known_one(mention):
    assert match_source(mention, KNOWN) is None


def test_a_mention_is_taken_apart():
    m = clean_mention("The “Eyn Alfurat” network")
    assert (m.name, m.kind_word, m.affiliation) == ("Eyn Alfurat", "network", None)
    m = clean_mention("the Syrian Center for Human Rights (Opposition)")
    assert (m.name, m.affiliation) == ("Syrian Center for Human Rights", "opposition")


@pytest.mark.parametrize("word, kind", [
    ("network", "social"), ("website", "outlet"), ("agency", "outlet"), ("organisation", "monitor"),
    ("organization", "monitor"), ("ministry", "official"), ("think tank", "think-tank"), ("banana", "unknown"), (None, "unknown"),
])
def test_kind_words_map_onto_the_source_vocabulary(word, kind):
    assert kind_of(word) is SourceKind(kind)


# --------------------------------------------------------------------------- proposals

def test_the_relay_chain_ends_with_the_publisher_and_never_names_the_source():
    assert prop.relay_chain(["enab"], "alma", "local sources") == ["enab", "alma"]
    assert prop.relay_chain([], "alma", "alma") == []  # the report's own voice
    assert prop.relay_chain(["alma", "enab"], "alma", "x") == ["alma", "enab"]
    assert prop.relay_chain(["x"], None, "x") == []


def _pc(text, start=0, **kw):
    return ProposedClaim(text=text, start=start, end=start + len(text), **kw)


def test_propose_recognises_sources_and_proposes_new_ones_once():
    found = [
        _pc("There are more than 6250 militants.", source_mention="the Syrian Center for Human Rights (Opposition)",
            source_name="Syrian Center for Human Rights", affiliation="opposition", cue="based on reports from",
            value=6250, qualifier="more-than", unit="militants"),
        _pc("The militia entered Al-Bukamal.", 40, source_mention="The “Orient” website", source_name="Orient",
            source_kind="website", cue="according to"),
        _pc("The streets were renamed.", 80, source_mention="the Orient website", source_name="the Orient website",
            cue="reported", via=("SCHR",)),
        _pc("Our assessment is that it goes on.", 120),
        _pc("A figure nobody can read.", 160, source_name="Eyn Alfurat", cue="said", value="", qualifier="between"),
    ]
    alma = prop.SourceRef("alma", "Alma Center")
    out = propose(found, KNOWN, "doc", alma)
    first, orient, orient_again, own, eyn = out
    assert (first.source.key, first.source.affiliation, first.via) == ("sohr", "opposition", ["alma"])
    assert first.value.number == 6250 and first.value.qualifier is Qualifier.MORE_THAN
    assert first.summary()["qualifier"] == "more than"
    assert orient.source.key is None and (orient.source.name, orient.source.kind) == ("Orient", "outlet")
    assert orient_again.source.name == "Orient" and orient_again.via == ["sohr", "alma"]
    assert own.source is alma and own.via == [] and own.cue is None
    assert eyn.source.key == "eyn-alfurat" and eyn.value is None


@pytest.mark.parametrize("content, claim", [
    ("there are more than 6250 militants in southern Syria.", "There are more than 6250 militants in southern Syria."),
    ("the militia has opened a new office.", "The militia has opened a new office."),
    ("deirezzor24 says the crops burned.", "deirezzor24 says the crops burned."),  # a name keeps its spelling
    ("iPhone sales fell.", "iPhone sales fell."),
])
def test_a_proposed_claim_reads_as_a_sentence_of_its_own(content, claim):
    (p,) = propose([_pc(content)], KNOWN, "doc", None)
    assert p.text == claim and (p.start, p.end) == (0, len(content))


def test_split_and_merge_keep_the_spans_and_the_figures():
    body = "Iran sent 300 fighters. They reached Al-Bukamal on Friday."
    p = prop.Proposal(id=1, document="d", text=body, source=prop.SourceRef("x", "X"), start=0, end=len(body),
                      value=prop.proposal_value(300, "exact", "fighters"))
    at = prop.split_point(p.text)
    assert p.text[:at].strip() == "Iran sent 300 fighters."
    a, b = prop.split(p, at)
    assert body[a.start:a.end].strip() == a.text and body[b.start:b.end].strip() == b.text
    assert a.value is not None and b.value is None and b.id is None
    merged = prop.merge(a, b, body)
    assert merged.text == body and (merged.start, merged.end) == (0, len(body)) and merged.value.number == 300
    with pytest.raises(DomainError):
        prop.split(p, 0)


def test_a_proposal_comes_back_from_its_snapshot():
    p = prop.Proposal(id=3, document="d", text="Between 10 and 20 died.", source=prop.SourceRef(None, "Orient", "outlet"),
                      start=5, end=28, via=["alma"], cue="reported",
                      value=prop.proposal_value(10, "between", "people", 20), event_date=date(2020, 5, 10))
    back = prop.Proposal.from_snapshot(p.snapshot())
    assert back.snapshot() == p.snapshot()


# --------------------------------------------------------------------------- the extractor on simple sentences

def test_x_reported_that_y():
    text = "Reuters reported that at least 450 fighters crossed the border."
    (p,) = extract(text)
    assert p.source_name == "Reuters" and p.cue
    assert text[p.source_start:p.source_end] == "Reuters"
    assert text[p.start:p.end].rstrip(".") == "at least 450 fighters crossed the border"
    assert p.value == 450 and Qualifier.parse(p.qualifier, "q") is Qualifier.MORE_THAN


def test_according_to_x_y_and_the_reports_own_voice():
    text = ("According to the Orient website, the militias renamed the streets of the camp.\n\n"
            "Our assessment is that the campaign will continue through the summer.")
    attributed, own = extract(text, published=date(2020, 5, 18))
    assert "Orient" in attributed.source_mention and "renamed the streets" in text[attributed.start:attributed.end]
    assert not text[attributed.start:attributed.end].lower().startswith("according")
    assert own.source_mention is None and own.cue is None and not own.attributed
    assert "campaign will continue" in own.text


# --------------------------------------------------------------------------- the report reader

def test_html_is_read_as_its_text_markup_and_scripts_gone():
    report = read_report(REPORTS / "golan-report-2020-06.html")
    text, title = report.text, report.title
    assert report.format == "html" and title == "Golan border & recruitment"
    assert "The script reported" not in text and "color: red" not in text
    assert "[bold]about 300[/bold] families left <Hader>" in text  # entities decoded; text stays data


@pytest.mark.parametrize("content, problem", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    (b"Reuters reported that caf\xe9 prices rose.", "not valid UTF-8 (line 1"),
    ("Reuters reported that prices rose.".encode("utf-16"), "UTF-16"),
    (bytes(range(1, 32)) * 20, "binary data"),
])
def test_hostile_files_are_refused_with_one_line(tmp_path, content, problem):
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        read_report(path)
    assert problem in str(err.value) and str(path) in str(err.value) and "\n" not in str(err.value)


def test_huge_files_and_directories_are_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Reuters reported that it rained. " * 100)
    with pytest.raises(DocumentError, match="larger than"):
        read_report(path, max_bytes=1000)
    with pytest.raises(DocumentError, match="not a regular file"):
        read_report(tmp_path)


def test_the_digest_is_of_the_files_bytes():
    import hashlib

    path = REPORTS / "golan-report-2020-06.txt"
    assert read_report(path).digest == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_source_index_matches_many_mentions_against_the_same_sources():
    index = SourceIndex(KNOWN)
    assert [m.key if m else None for m in map(index.match, ["SANA", "Syrian Arab News Agency", "Eyn Alfurat network", "BBC"])] \
        == ["sana", "sana", "eyn-alfurat", None]


def test_initials_across_two_different_full_names_are_not_one_source():
    # issue 23: the stored `sohr` is the Syrian *Center*; the Observatory is another source
    assert match_source("the Syrian Observatory for Human Rights (SOHR)", KNOWN) is None
    assert match_source("Syrian Observatory for Human Rights", KNOWN) is None
    # an abbreviation whose source has no other full name still finds it
    only_short = [KnownSource("sohr", "SOHR")]
    assert match_source("the Syrian Observatory for Human Rights (SOHR)", only_short).key == "sohr"
    # and "(SOHR)" is read as the name's abbreviation, not as an affiliation
    assert clean_mention("the Syrian Observatory for Human Rights (SOHR)").affiliation is None
