"""Interoperability: claim tables through a mapping, ClaimReview in and out, STIX 2.1 out,
and the track-record report; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import import_path, require_extra
from verifier import bootstrap, views
from verifier.adapters import claimreview, orm, tabular
from verifier.adapters.importers import ImportFileError
from verifier.domain.checks import source_key
from verifier.services import report
from verifier.views.rows import ClaimRow, SourceRow


def mapped(store, path, mapping, **kw):
    opts = tabular.options(mapping, kw.pop("no_header", False), kw.pop("columns", None), kw.pop("verdict_map", None),
                           kw.pop("quoting", None))
    return import_path(store, path, fmt="csv", **opts, **kw)


def source_rows(store) -> dict[str, SourceRow]:
    with store.uow(readonly=True) as uow:
        return {s.id: s for s in views.sources(uow.session)}


def claim(store, key):
    with store.uow(readonly=True) as uow:
        return views.claim_detail(uow.session, key)


def all_claims(store) -> list[ClaimRow]:
    with store.uow(readonly=True) as uow:
        return views.claims(uow.session, order="id")


# --------------------------------------------------------------------------- CSV with a mapping

SHEET = """statement,speaker,label,checked,notes
Says the budget doubled in four years.,Barack Obama,half-true,2016-03-01,PolitiFact
"Crime is up 50%, says the mailer.",jane-roe,pants-fire,2016-04-02,
Unemployment fell last year.,jane-roe,barely-true,,
An unrated rumour.,jane-roe,,,
"""


def test_a_mapped_sheet_becomes_claims_by_its_speakers_with_their_verdicts(store, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(SHEET, encoding="utf-8")
    added = mapped(store, path, "text=statement,source=speaker,verdict=label,at=checked,rationale=notes",
                   verdict_map="pants-fire=false,Barely True=mostly-false")
    assert added["claims"] == 4 and added["resolutions"] == 3
    srcs = source_rows(store)
    # the speaker cell names the source; the verdict map and the built-in half-true apply
    obama = next(s for s in srcs.values() if s.name == "Barack Obama")
    assert obama.id == source_key("Barack Obama") and obama.verdicts["mixed"] == 1
    assert srcs["jane-roe"].verdicts == {"true": 0, "mostly-true": 0, "mixed": 0, "mostly-false": 1, "false": 1,
                                            "unverifiable": 0}
    assert srcs["jane-roe"].claims == 3
    crime = next(c for c in all_claims(store) if c.text.startswith("Crime"))
    assert crime.id.startswith("sheet-") and crime.status == "false"  # stable id: file name + row hash
    detail = claim(store, crime.id)
    assert detail.resolutions[0].at.startswith("2016-04-02")
    # the same file again: nothing new (ids and undated verdicts are stable)
    again = mapped(store, path, "text=statement,source=speaker,verdict=label,at=checked,rationale=notes",
                   verdict_map="pants-fire=false,Barely True=mostly-false")
    assert not any(again.values())


def test_an_unknown_verdict_label_names_file_line_and_field_and_imports_nothing(store, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(SHEET, encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        mapped(store, path, "text=statement,source=speaker,verdict=label")  # no verdict map for pants-fire
    assert str(err.value).startswith(f"{path}:3: verdict: unknown value 'pants-fire'")
    assert "--verdict-map" in str(err.value)
    assert all_claims(store) == []


def test_a_mapped_column_that_does_not_exist_is_a_clear_error(store, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(SHEET, encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        mapped(store, path, "text=statement,source=author")
    assert "no column 'author' for source" in str(err.value) and "statement, speaker, label" in str(err.value)
    with pytest.raises(Exception) as err2:
        tabular.options("text=statement,speeker=speaker")
    assert "unknown field 'speeker'" in str(err2.value)
    with pytest.raises(Exception) as err3:
        tabular.options("text=statement", verdict_map="pants-fire=flase")
    assert "--verdict-map" in str(err3.value) and "flase" in str(err3.value)


LIAR_LIKE = (
    '1.json\tpants-fire\t"We have the lowest taxes ever, says the governor.\tTaxes,economy\tjohn-doe\tGovernor\tTexas\tgop\t0\t0\t0\t0\t1\ta speech\n'
    '2.json\ttrue\tUnemployment is at 4 percent.\teconomy\tjohn-doe\tGovernor\tTexas\tgop\t0\t0\t0\t0\t1\tan ad\n'
    '3.json\tbarely-true\tSays "the senator voted twice.\tcandidates\tmary-major\t\t\tdem\t0\t0\t0\t0\t0\ta debate\n'
)
LIAR_COLUMNS = "id,label,statement,subjects,speaker,job,state,party,bt,f,ht,mt,pf,context"
LIAR_MAP = "id=id,text=statement,source=speaker,tags=subjects,verdict=label"
LIAR_VERDICTS = "pants-fire=false,barely-true=mostly-false,half-true=mixed"


@pytest.mark.parametrize("quoting", ["none", None])  # explicit, and detected
def test_a_headerless_tsv_with_unclosed_quotes_keeps_one_claim_per_line(store, tmp_path, quoting):
    path = tmp_path / "train.tsv"
    path.write_text(LIAR_LIKE, encoding="utf-8")
    added = mapped(store, path, LIAR_MAP, no_header=True, columns=LIAR_COLUMNS, verdict_map=LIAR_VERDICTS,
                   quoting=quoting)
    assert added["claims"] == 3 and added["resolutions"] == 3
    c1 = claim(store, "1.json")
    assert c1.text.startswith('"We have the lowest taxes') and c1.status == "false"
    assert c1.tags == ("Taxes", "economy")
    assert source_rows(store)["mary-major"].verdicts["mostly-false"] == 1


def test_standard_csv_quoting_fails_on_liar_with_a_hint(store, tmp_path):
    path = tmp_path / "train.tsv"
    path.write_text(LIAR_LIKE, encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        mapped(store, path, LIAR_MAP, no_header=True, columns=LIAR_COLUMNS, verdict_map=LIAR_VERDICTS,
               quoting="minimal")
    assert "--quoting none" in str(err.value)
    assert all_claims(store) == []


# --------------------------------------------------------------------------- ClaimReview

def review(text, rating, *, author="Jane Roe", org="PolitiFact", url="https://example.org/fc/1", date="2020-02-03",
           appearance="https://example.org/speech"):
    return {
        "@context": "https://schema.org", "@type": "ClaimReview", "url": url, "datePublished": date,
        "author": {"@type": "Organization", "name": org},
        "claimReviewed": text,
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": author}, "datePublished": "2020-01-15",
                         "firstAppearance": {"@type": "CreativeWork", "url": appearance, "headline": "The speech"},
                         "appearance": [{"@type": "CreativeWork", "url": appearance},
                                        {"@type": "CreativeWork", "url": "https://example.org/repost"}]},
        "reviewRating": rating,
    }


def write_json(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_single_claimreview_becomes_a_claim_a_document_and_a_verdict_by_the_reviewer(store, tmp_path):
    path = write_json(tmp_path, "one.json", review("The moon is made of cheese.", {"@type": "Rating", "alternateName": "Pants on Fire",
                                                                                  "ratingValue": 1, "bestRating": 6, "worstRating": 1}))
    added = import_path(store, path, fmt="claimreview")
    assert added["claims"] == 1 and added["resolutions"] == 1
    (c,) = all_claims(store)
    d = claim(store, c.id)
    assert d.source_name == "Jane Roe" and d.status == "false" and d.published == "2020-01-15"
    assert d.document.url == "https://example.org/speech"
    res = d.resolutions[0]
    assert res.analyst == "PolitiFact" and res.evidence == "https://example.org/fc/1"
    assert res.at.startswith("2020-02-03")
    assert "https://example.org/repost" in res.rationale  # the other appearance is kept
    assert source_key("PolitiFact") in source_rows(store)  # the reviewing organisation is a source
    assert not any(import_path(store, path, fmt="claimreview").values())  # re-import adds nothing


def test_a_list_and_a_graph_of_claimreviews_import_alike(store, tmp_path):
    items = [review("Taxes doubled.", {"alternateName": "Half True"}, url="https://e.org/1"),
             review("Crime fell.", {"ratingValue": "4", "bestRating": "5", "worstRating": "1"}, url="https://e.org/2",
                    author="John Doe"),
             {"@type": "WebPage", "name": "not a review"}]
    listed = write_json(tmp_path, "list.json", items)
    graph = write_json(tmp_path, "graph.jsonld", {"@context": "https://schema.org", "@graph": items})
    assert import_path(store, listed)["claims"] == 2  # a .json list is recognised as ClaimReview
    assert not any(import_path(store, graph).values())  # .jsonld is read as ClaimReview; same claims
    verdicts = {c.text: c.status for c in all_claims(store)}
    assert verdicts == {"Taxes doubled.": "mixed", "Crime fell.": "mostly-true"}


def test_a_claimreview_with_an_unmappable_rating_names_the_review(store, tmp_path):
    items = [review("Fine.", {"alternateName": "True"}, url="https://e.org/1"),
             review("Odd.", {"alternateName": "Spicy"}, url="https://e.org/2")]
    path = write_json(tmp_path, "bad.json", items)
    with pytest.raises(ImportFileError) as err:
        import_path(store, path, fmt="claimreview")
    assert str(err.value).startswith(f"{path}: [1].reviewRating: unknown rating 'Spicy'")
    assert all_claims(store) == []
    # the user's own label map fixes it
    added = import_path(store, path, fmt="claimreview", verdict_map={"spicy": "mostly-false"})
    assert added["resolutions"] == 2


@pytest.mark.parametrize("verdict", ["true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable"])
def test_the_rating_mapping_goes_both_ways(verdict):
    rating = claimreview.verdict_to_rating(verdict)
    assert claimreview.rating_to_verdict(rating) == verdict  # by name
    if rating.get("ratingValue") is not None:  # and by number alone
        assert claimreview.rating_to_verdict({k: v for k, v in rating.items() if k != "alternateName"}) == verdict


@pytest.mark.parametrize("rating, verdict", [
    ({"alternateName": "Pants on Fire!"}, "false"),
    ({"alternateName": "mostly_true"}, "mostly-true"),
    ({"alternateName": "Misleading", "ratingValue": 5}, "mostly-false"),  # the name wins
    ({"alternateName": "Spicy", "ratingValue": 2, "worstRating": 1, "bestRating": 3}, "mixed"),  # else the number
    ({"ratingValue": 6, "worstRating": 1, "bestRating": 6}, "true"),
    ({"ratingValue": 2, "worstRating": 1, "bestRating": 6}, "mostly-false"),
    ({"ratingValue": 0, "worstRating": 4, "bestRating": 0}, "true"),  # four Pinocchios worst, none best
])
def test_ratings_map_by_name_first_then_by_position(rating, verdict):
    assert claimreview.rating_to_verdict(rating) == verdict


def test_claimreview_export_round_trips_the_verdicts(seeded, tmp_path):
    with seeded.uow(readonly=True) as uow:
        text = views.export(uow.session, "claimreview")
        resolved = {c.text: c.status for c in views.claims(uow.session) if c.status != "unresolved"}
    reviews = json.loads(text)
    assert isinstance(reviews, list) and len(reviews) == len(resolved) == 6
    h3 = next(r for r in reviews if r["itemReviewed"]["identifier"] == "h3")
    assert h3["reviewRating"] == {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                                  "alternateName": "False"}
    assert h3["itemReviewed"]["author"]["identifier"] == "state-tv"
    path = tmp_path / "reviews.json"
    path.write_text(text, encoding="utf-8")
    fresh = bootstrap.connect(str(tmp_path / "fresh.db"), "tester")
    try:
        import_path(fresh, path, fmt="claimreview")
        again = {c.text: (c.status, c.source) for c in all_claims(fresh)}
        with fresh.uow(readonly=True) as uow:
            rationale = views.claim_detail(uow.session, next(c.id for c in all_claims(fresh)
                                                             if c.text.startswith("The regime army"))).resolutions[0].rationale
    finally:
        fresh.dispose()
    assert {t: s for t, (s, _src) in again.items()} == resolved
    assert again["The regime army withdrew all its units from Al-Bukamal."][1] == "state-tv"
    assert rationale == "Units still visible in imagery in November."


# --------------------------------------------------------------------------- STIX 2.1

def test_stix_bundle_parses_back_with_sources_claims_opinions_and_links(seeded):
    require_extra("interop")
    import stix2
    with seeded.uow(readonly=True) as uow:
        text = views.export(uow.session, "stix")
        again = views.export(uow.session, "stix")
        srcs = {s.id: s for s in views.sources(uow.session)}
        credibility = {c.id: c for c in views.claims(uow.session)}
        n_claims = len(credibility)
        n_res = uow.session.execute(select(orm.resolutions.c.id)).all()
        L = orm.links
        n_links = len(uow.session.execute(select(L.c.id).where(L.c.state == "confirmed",
                                                               L.c.relation.in_(("corroborates", "contradicts")))).all())
    assert text == again  # deterministic ids and timestamps: a stable export
    bundle = stix2.parse(text, allow_custom=True)
    by_type: dict[str, list] = {}
    for obj in bundle.objects:
        by_type.setdefault(obj.type, []).append(obj)
    assert len(by_type["identity"]) == len(srcs) == 11
    assert len(by_type["note"]) == n_claims == 28
    assert len(by_type["opinion"]) == len(n_res) == 6
    assert len(by_type["relationship"]) == n_links > 0
    assert {r.relationship_type for r in by_type["relationship"]} == {"corroborates", "contradicts"}
    state_tv = next(o for o in by_type["identity"] if o.name == "State TV (illustrative)")
    assert state_tv.x_opencti_reliability.startswith(srcs["state-tv"].letter + " - ")
    assert state_tv.x_opencti_reliability == "E - Unreliable"
    h3 = next(o for o in by_type["note"] if o.x_verifier_claim_id == "h3")
    assert h3.object_refs == [state_tv.id] and h3.confidence == 10  # resolved false: credibility 5
    opinion = next(o for o in by_type["opinion"] if o.object_refs == [h3.id])
    assert opinion.opinion == "strongly-disagree" and opinion.x_verifier_verdict == "false"
    c1 = next(o for o in by_type["note"] if o.x_verifier_claim_id == "c1")
    assert len(c1.object_refs) == 2  # sohr, relayed by alma
    # every claim's confidence is its Admiralty credibility on STIX's scale (6: none)
    scale = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10, 6: None}
    assert {o.x_verifier_claim_id: o.get("confidence") for o in by_type["note"]} == \
        {c.id: scale[c.credibility] for c in credibility.values()}
    assert any(o.get("confidence") is None for o in by_type["note"])  # "cannot be judged" has no confidence


def test_stix_export_without_the_library_says_how_to_install_it(seeded, monkeypatch):
    monkeypatch.setitem(sys.modules, "stix2", None)
    with seeded.uow(readonly=True) as uow, pytest.raises(Exception) as err:
        views.export(uow.session, "stix")
    assert "pip install 'verifier[interop]'" in str(err.value)


# --------------------------------------------------------------------------- report

HOSTILE = "<script>alert('x')</script> & *stars* | pipes"


@pytest.fixture
def hostile(seeded, tmp_path):
    """The seeded store plus a source and a contested claim whose texts are markup."""
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"kind": "source", "id": "evil", "name": "<b>Evil</b> outlet"},
        {"kind": "claim", "id": "x1", "text": HOSTILE, "source": "evil"},
        {"kind": "link", "from": "d3", "to": "x1", "relation": "contradicts"},
        {"kind": "resolution", "claim": "h4", "verdict": "true", "at": "2020-06-01"},
    ]) + "\n", encoding="utf-8")
    import_path(seeded, path, detect=False)
    return seeded


def test_markdown_report_has_track_records_trends_and_explained_claims(hostile):
    with hostile.uow(readonly=True) as uow:
        text = report.render(uow.session, "md")
    assert "## Sources' track records" in text and "## Contested claims" in text
    state_tv = next(line for line in text.splitlines() if line.startswith("| State TV"))
    assert "| 2 |" in state_tv and "| E |" in state_tv and any(ch in state_tv for ch in report.common.SPARK)
    assert "State TV (illustrative): `" in text  # its score-over-time line
    contested = text.split("## Contested claims")[1]
    assert "\\[x1\\]" in contested and "contradicted by \\[d3\\]" in contested
    assert "<script>" not in text and "&lt;script&gt;" in text and "\\*stars\\*" in text and "\\| pipes" in text
    corroborated = text.split("## Independently corroborated claims")[1].split("## Contested claims")[0]
    if "Not computed" not in corroborated:  # the corroboration service is installed: c1 has 2 origins
        assert "\\[c1\\]" in corroborated and "independent origin" in corroborated


def test_html_report_is_one_self_contained_file_with_inline_charts_and_escaped_text(hostile):
    with hostile.uow(readonly=True) as uow:
        page = report.render(uow.session, "html")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 8
    assert "<script" not in page.lower()  # neither ours (no JS) nor the claim's
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;Evil&lt;/b&gt; outlet" in page
    assert "src=" not in page and "<link" not in page and "@import" not in page  # nothing external
    # a chart point names the resolution that moved the score (h4's latest verdict counts, at its date)
    assert "<title>2020-06-01 h4 true: 0.67</title>" in page and "<title>2019-12-01 h3 false: 0.36</title>" in page
    assert page.index("Contested claims") < page.index("<b>[x1]</b>")


def test_report_command_writes_a_private_file(hostile, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(__import__("verifier.cli", fromlist=["cli"]).cli,
                                ["--db", hostile.url, "report", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "<h2>Sources' track records</h2>" in out.read_text(encoding="utf-8")
    as_json = CliRunner().invoke(__import__("verifier.cli", fromlist=["cli"]).cli, ["--db", hostile.url, "report", "--json"])
    data = json.loads(as_json.output)
    assert [c["id"] for c in data["contested"]].count("x1") == 1


@pytest.fixture
def many_sources(store, tmp_path, monkeypatch):
    """More sources than a report details (BIG lowered to 20): 12 right k times, 12 wrong k times,
    and one whose name is markup."""
    monkeypatch.setattr(report.common, "BIG", 20)
    monkeypatch.setattr(report.common, "EXTREMES", 5)
    monkeypatch.setattr(report.common, "CHARTS", 3)
    lines = [{"kind": "source", "id": "evil", "name": "<img src=x onerror=alert(1)> outlet"},
             {"kind": "claim", "id": "e1", "text": "Evil says so", "source": "evil"},
             {"kind": "resolution", "claim": "e1", "verdict": "mixed"}]
    for k in range(1, 13):
        for side, verdict in (("good", "true"), ("bad", "false")):
            lines.append({"kind": "source", "id": f"{side}-{k:02d}", "name": f"{side.title()} source {k}"})
            for i in range(k):
                lines.append({"kind": "claim", "id": f"{side}-{k}-{i}", "text": f"Claim {i} of {side} {k}",
                              "source": f"{side}-{k:02d}"})
                lines.append({"kind": "resolution", "claim": f"{side}-{k}-{i}", "verdict": verdict})
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    import_path(store, path, detect=False)
    return store


def test_a_big_report_details_the_extremes_lists_every_source_and_says_what_it_left_out(many_sources):
    with many_sources.uow(readonly=True) as uow:
        data = report.build(uow.session)
        page = report.html.render(data)
        text = report.markdown.render(data)
    assert data["big"] and len(data["sources"]) == 25
    # strongest: the highest lower bound (right most often); weakest: the lowest upper bound
    assert data["strongest"] == ["good-12", "good-11", "good-10", "good-09", "good-08"]
    assert data["weakest"] == ["bad-12", "bad-11", "bad-10", "bad-09", "bad-08"]
    detailed = {s["id"] for s in data["sources"] if s["detailed"]}
    assert detailed == set(data["strongest"] + data["weakest"])  # the 3 charted are among them
    assert all(s["history"] == [] for s in data["sources"] if not s["detailed"])
    assert "25 sources: the trend of the score over time is drawn for the 5 strongest and 5 weakest" in data["left_out"][0]
    # the page: the left-out note first, then the extremes with their trends, then every source
    assert page.index("Left out of this report") < page.index("<h3>Strongest records</h3>") \
        < page.index("<h3>Weakest records</h3>") < page.index("<h2>Every source</h2>")
    every = page.split('id="all"')[1]
    assert every.count("<tr>") == 1 + 25 and "<svg" not in every  # a compact row each, no trend
    assert "&lt;img src=x onerror=alert(1)&gt; outlet" in page and "<img" not in page
    assert "### Strongest records" in text and "### Every source" in text and "Left out of this report" in text


def test_the_small_report_leaves_nothing_out(hostile):
    with hostile.uow(readonly=True) as uow:
        data = report.build(uow.session)
    assert not data["big"] and data["left_out"] == [] and all(s["detailed"] for s in data["sources"] if s["resolved"])


def test_a_big_report_searches_its_sources_in_a_real_browser(many_sources, tmp_path):
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no Chromium on this machine")
    with many_sources.uow(readonly=True) as uow:
        page = report.render(uow.session, "html")
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")

    def dom(query: str) -> tuple[str, list[str]]:
        """The count the page shows and the rows of every source left visible, after the script ran."""
        done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
                               "--dump-dom", f"{path.as_uri()}#q={query}"], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        count = done.stdout.split('id="shown" class="muted">')[1].split("<")[0]
        rows = done.stdout.split('id="all"')[1].split("<tr")[2:]
        return count, [row for row in rows if not row.startswith(" hidden")]

    count, rows = dom("good%20source%201")  # the page's own script ran (its hash is in the page's CSP)
    assert count == "4 of 25" and len(rows) == 4 and all("Good source 1" in row for row in rows)  # 1, 10-12
    count, rows = dom("onerror")
    assert count == "1 of 25" and "&lt;img src=x onerror=alert(1)&gt; outlet" in rows[0]  # markup found as text
