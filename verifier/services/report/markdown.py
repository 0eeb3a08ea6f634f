"""The report in Markdown: every text from the data escaped (``md``), trends as text sparklines."""

from __future__ import annotations

import html
import re
from typing import Any

from verifier.services.report import common
from verifier.services.report.common import VERDICTS, charted, counted, provenance, series, sparkline

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: Any) -> str:
    """User text for Markdown: HTML entities escaped, Markdown characters backslashed, one line."""
    s = html.escape(" ".join(str("" if text is None else text).split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", s)


def _explain_md(item: dict, out: list[str]) -> None:
    out.append(f"- **\\[{md(item['id'])}\\]** {md(item['text'])}  \n  " + provenance(item, md, "; ", md(item["source_name"])))
    for c in item["contradicted_by"]:
        note = f" ({md(c['note'])})" if c["note"] else ""
        out.append(f"  - contradicted by \\[{md(c['claim'])}\\]: {md(c['text'])}{note}")
    for line in item["explanation"]:
        out.append(f"  - {md(line)}")


def _md_row(src: dict) -> str:
    v = src["verdicts"]
    return (f"| {md(src['name'])} ({md(src['id'])}) | {src['type']} | {src['grade'] or '-'} | {src['claims']} | "
            f"{src['resolved']} | " + " | ".join(str(v[k]) for k in VERDICTS) +
            f" | {src['score']:.2f} | {src['low']:.2f}–{src['high']:.2f} | {src['letter']} | {sparkline(series(src))} |")


def render(data: dict) -> str:
    s = data["summary"]
    out = ["# verifier report", "",
           f"Generated {data['generated']}: {s['sources']} sources, {s['claims']} claims "
           f"({data['resolved']} resolved), {s['links']} links.", ""]
    if data.get("left_out"):
        out += ["Left out of this report:", "", *(f"- {md(line)}" for line in data["left_out"]), ""]
    out += [
           "## Sources' track records", "",
           "## Sources' track records", "",
           "Reliability is the mean of a Beta posterior (prior from the analyst's grade, updated by "
           "each resolved claim), with its 90% interval and Admiralty letter. The trend shows the "
           "score after each resolution, from the prior (▁ = 0, █ = 1).", "",
           "| Source | Type | Grade | Claims | Resolved | " + " | ".join(VERDICTS) + " | Score | 90% | Letter | Trend |",
           "|---|---|---|--:|--:|" + "--:|" * len(VERDICTS) + "--:|---|---|---|"]
    by_id = {src["id"]: src for src in data["sources"]}
    if data.get("big"):
        head, rule = out[-2], out[-1]
        del out[-2:]
        for title, keys in (("Strongest records", data["strongest"]), ("Weakest records", data["weakest"])):
            out += [f"### {title}", "", common.EXTREME_NOTE[title], "", head, rule]
            out += [_md_row(by_id[k]) for k in keys]
            out.append("")
        out += ["### Every source", "", head, rule]
    out += [_md_row(src) for src in data["sources"]]
    shown_charts = charted(data["sources"])
    if shown_charts:
        out += ["", "### Score over time", ""]
        for src in shown_charts:
            first, last = src["history"][0], src["history"][-1]
            out.append(f"- {md(src['name'])}: `{sparkline(series(src), 48)}` {src['prior']:.2f} → {last['score']:.2f} "
                       f"({counted(len(src['history']), 'resolution')}, {first['at'][:10]} to {last['at'][:10]})")
    out += ["", "## Independently corroborated claims", ""]
    if not data["corroboration_computed"]:
        out.append("Not computed (the corroboration service is not available in this installation).")
    elif not data["corroborated"]:
        out.append("None: no claim has at least two independent origins without a standing contradiction.")
    for item in data["corroborated"][:common.CLAIMS_SHOWN]:
        _explain_md(item, out)
    out += ["", "## Contested claims", ""]
    if not data["contested"]:
        out.append("None: no claim has a confirmed contradiction.")
    for item in data["contested"][:common.CLAIMS_SHOWN]:
        _explain_md(item, out)
    return "\n".join(out) + "\n"
