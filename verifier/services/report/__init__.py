"""The track-record report: ``verifier report [--format md|html] [-o FILE]``.

Three parts, each from the read side (``views``) and, when present, the corroboration service:

1. **Sources' track records**: every source ranked by reliability (Beta posterior mean, 90%
   interval, Admiralty letter, counts by verdict) and its score over time, the score after each
   resolution of one of its claims, starting from the grade's prior. In HTML an inline SVG
   drawn here (no script, no external file); in Markdown a text sparkline.
2. **Independently corroborated claims**, each with the corroboration check's explanation
   (which reports were counted once, and why). Needs ``verifier.services.corroboration``;
   without it the section says "not computed".
3. **Contested claims**: claims with a confirmed contradiction, each with who contradicts it,
   its estimated probability and, when available, the corroboration explanation.

A big report (more than ``BIG`` sources, as LIAR's 3,318 speakers) stays navigable: it opens
with the ``common.EXTREMES`` strongest records (highest lower end of the 90% interval: reliable, and
known to be) and the weakest (lowest upper end), each with its trend; every source then follows
in one compact table with a search box (a few lines of script, pinned by the page's Content
Security Policy; without script the table is still all there); at most ``common.CLAIMS_SHOWN``
corroborated and contested claims are explained. The report says what it left out.

All text from the data is escaped: in HTML with ``html.escape``; in Markdown the same entities
plus backslashes before Markdown's own characters, so a claim containing ``<script>`` is shown
as text by any renderer. The HTML is one self-contained file.
"""

from __future__ import annotations

from datetime import UTC, datetime

from verifier import views
from verifier.services import corroboration
from verifier.services.report import common, html, markdown


def build(session) -> dict:
    """The report's content as plain data (also what ``report --json`` prints). Each source's
    score history (``history``) is computed for the sources the report details: all of them,
    or in a big report the extremes and the charted ones (``detailed``)."""
    sources = views.plain(views.sources(session))  # the report adds to each row: plain dicts
    ids = views.source_ids(session)
    big = len(sources) > common.BIG
    resolved = [s for s in sources if s["resolved"]]
    strongest = sorted(resolved, key=lambda s: (-s["low"], -s["resolved"], s["id"]))[:common.EXTREMES] if big else []
    weakest = sorted(resolved, key=lambda s: (s["high"], -s["resolved"], s["id"]))[:common.EXTREMES] if big else []
    most = sorted(resolved, key=lambda s: (-s["resolved"], s["name"].lower()))[:common.CHARTS]
    detailed = {s["id"] for s in (resolved if not big else strongest + weakest + most)}
    shown = [s for s in resolved if s["id"] in detailed]
    records = dict(zip((s["id"] for s in shown), views.track_records(session, [(ids[s["id"]], s["grade"]) for s in shown]), strict=False))
    for s in sources:
        s["history"] = []
        s["prior"] = None
        s["detailed"] = s["id"] in detailed
        if s["detailed"]:
            record = records[s["id"]]
            a, b = record.prior
            s["prior"] = round(a / (a + b), 4)
            s["history"] = [{"at": st.at.isoformat(), "claim": st.claim, "verdict": st.verdict,
                             "score": round(st.score_after, 4)} for st in record.history]

    corroborated, contested = [], []
    for key in views.linked_claim_keys(session):
        detail = views.claim_detail(session, key)
        item = _claim_item(detail)
        check = corroboration.check(session, key)
        if check is not None:
            item["independently_corroborated"] = bool(check.get("independently_corroborated"))
            item["origins"] = [list(o) if isinstance(o, (list, tuple)) else o for o in check.get("origins") or []]
            item["explanation"] = [str(x) for x in check.get("explanation") or []]
        if item["contradicted_by"]:
            contested.append(item)
        if check is not None and item["independently_corroborated"]:
            corroborated.append(item)
    summary = views.plain(views.summary(session))
    return {
        "generated": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "summary": summary,
        "resolved": summary["claims"] - summary["unresolved"],
        "sources": sources,
        "big": big,
        "strongest": [s["id"] for s in strongest],
        "weakest": [s["id"] for s in weakest],
        "corroboration_computed": True,
        "corroborated": corroborated,
        "contested": contested,
        "left_out": left_out(len(sources), big, len(corroborated), len(contested)),
    }


def left_out(n_sources: int, big: bool, n_corroborated: int, n_contested: int) -> list[str]:
    """What the report does not show, in words (printed at its top)."""
    out = []
    if big:
        out.append(f"{n_sources:,} sources: the trend of the score over time is drawn for the {common.EXTREMES} strongest and "
                   f"{common.EXTREMES} weakest records and the {common.CHARTS} sources with the most resolved claims only; the "
                   f"other sources are listed with their counts, score and letter (search the table of every source; "
                   f"`verifier source show ID` gives any source's full history).")
    for n, what in ((n_corroborated, "independently corroborated"), (n_contested, "contested")):
        if n > common.CLAIMS_SHOWN:
            out.append(f"{n:,} {what} claims: the first {common.CLAIMS_SHOWN} are explained, the other {n - common.CLAIMS_SHOWN:,} "
                       f"are not shown (`verifier check ID` explains any claim).")
    return out


def _claim_item(d: views.rows.ClaimDetail) -> dict:
    def linked(relation: str) -> list[dict]:
        return [{"claim": ln.other, "text": ln.other_text, "origin": ln.origin, "note": ln.note}
                for ln in d.links if ln.relation == relation and ln.state == "confirmed"]

    return {
        "id": d.id, "text": d.text, "source": d.source, "source_name": d.source_name, "via": list(d.via),
        "status": d.status, "belief": d.belief, "words": d.words, "credibility": d.credibility,
        "supported_by": linked("corroborates"), "contradicted_by": linked("contradicts"),
        "independently_corroborated": None, "origins": [], "explanation": [],
    }


def render(session, fmt: str = "md") -> str:
    data = build(session)
    if fmt == "html":
        return html.render(data)
    if fmt == "md":
        return markdown.render(data)
    raise ValueError(f"format: unknown value {fmt!r} (md or html)")
