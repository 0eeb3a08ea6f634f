"""The report in HTML: one self-contained page, every text from the data escaped, trends and
score-over-time charts as inline SVG, a searchable table of every source in a big report."""

from __future__ import annotations

import base64
import hashlib
import html
from datetime import datetime
from typing import Any

from verifier.services.report import common
from verifier.services.report.common import VERDICTS, charted, counted, provenance, series


def h(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;color:#1b1f24;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:.25rem .45rem;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:middle}
th{background:#f6f8fa;position:sticky;top:0}table.sources td:nth-child(n+4):not(:last-child){text-align:right;font-variant-numeric:tabular-nums}
.letter{font-weight:700;display:inline-block;width:1.4em;text-align:center;border-radius:3px;color:#fff}
.A{background:#1a7f37}.B{background:#4c9a2a}.C{background:#9a6700}.D{background:#bc4c00}.E{background:#cf222e}.F{background:#6e7781}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.chart{border:1px solid #d0d7de;border-radius:6px;padding:.4rem .6rem}
.chart h3{font-size:13px;margin:.1rem 0 .3rem}.claim{border-left:3px solid #d0d7de;margin:.8rem 0;padding:.2rem .8rem}
.claim.contested{border-color:#cf222e}.claim.ok{border-color:#1a7f37}.meta{color:#57606a;font-size:12px}
ul.why{margin:.3rem 0 .2rem 1rem;padding:0}.muted{color:#57606a}
.left{border:1px solid #d4a72c;background:#fff8c5;border-radius:6px;padding:.4rem .8rem;margin:1rem 0}.left ul{margin:.2rem 0}
input#q{font:inherit;padding:.2rem .4rem;width:24rem;max-width:100%}
"""


def _points(values: list[float], width: float, height: float, pad: float, times: list[float] | None = None) -> list[tuple[float, float]]:
    n = len(values)
    if times and len(times) == n and max(times) > min(times):
        lo, hi = min(times), max(times)
        xs = [pad + (t - lo) / (hi - lo) * (width - 2 * pad) for t in times]
    else:
        xs = [pad + (i / (n - 1) if n > 1 else 0.5) * (width - 2 * pad) for i in range(n)]
    ys = [pad + (1 - v) * (height - 2 * pad) for v in values]
    return list(zip(xs, ys, strict=False))


def svg_spark(values: list[float], width: int = 120, height: int = 28) -> str:
    if not values:
        return ""
    pts = _points(values, width, height, 3)
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    mid = 3 + 0.5 * (height - 6)
    x, y = pts[-1]
    return (f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="score from {values[0]:.2f} to {values[-1]:.2f}">'
            f'<line x1="3" y1="{mid:.1f}" x2="{width - 3}" y2="{mid:.1f}" stroke="#d0d7de" stroke-dasharray="2,2"/>'
            f'<polyline fill="none" stroke="#0969da" stroke-width="1.5" points="{line}"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="#0969da"/></svg>')


def svg_chart(src: dict, width: int = 360, height: int = 160) -> str:
    """The score over time as a step line (it holds between resolutions and moves at each),
    from the grade's prior, with 0 / 0.5 / 1 gridlines and the first and last dates; each
    point's tooltip names the claim and verdict that moved it (up to ``common.POINTS`` points)."""
    hist = src["history"]
    values = series(src)
    times = [datetime.fromisoformat(x["at"]).timestamp() for x in hist]
    left, pad, bottom = 30, 8, 18
    plot_h = height - bottom
    # x of each resolution (by date; by order when they share one date), y of each score
    lead = 16  # room for the prior before the first resolution
    pts = _points(values[1:], width - left - lead, plot_h, pad, times)
    pts = [(x + left + lead, y) for x, y in pts]
    y_of = lambda v: pad + (1 - v) * (plot_h - 2 * pad)  # noqa: E731
    out = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{h(src["name"])}: score over time">']
    for v in (0.0, 0.5, 1.0):
        dash = ' stroke-dasharray="3,3"' if v == 0.5 else ""
        out.append(f'<line x1="{left}" y1="{y_of(v):.1f}" x2="{width - pad}" y2="{y_of(v):.1f}" stroke="#d0d7de"{dash}/>')
        out.append(f'<text x="{left - 4}" y="{y_of(v) + 4:.1f}" font-size="10" text-anchor="end" fill="#57606a">{v:g}</text>')
    start = (left + pad, y_of(values[0]))
    line = [start]
    for x, y in pts:
        line += [(x, line[-1][1]), (x, y)]
    out.append('<polyline fill="none" stroke="#0969da" stroke-width="1.6" points="'
               + " ".join(f"{x:.1f},{y:.1f}" for x, y in line) + '"/>')
    tip = f"prior from grade {src['grade'] or 'none'}: {values[0]:.2f}"
    out.append(f'<circle cx="{start[0]:.1f}" cy="{start[1]:.1f}" r="2.4" fill="#8c959f"><title>{h(tip)}</title></circle>')
    if len(hist) <= common.POINTS:  # beyond, the line alone (its points would outweigh the page)
        for st, (x, y) in zip(hist, pts, strict=False):
            tip = f"{st['at'][:10]} {st['claim']} {st['verdict']}: {st['score']:.2f}"
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.4" fill="#0969da"><title>{h(tip)}</title></circle>')
    if hist:
        out.append(f'<text x="{left + pad}" y="{height - 4}" font-size="10" fill="#57606a">{h(hist[0]["at"][:10])}</text>')
        if hist[-1]["at"][:10] != hist[0]["at"][:10]:
            out.append(f'<text x="{width - pad}" y="{height - 4}" font-size="10" text-anchor="end" fill="#57606a">'
                       f'{h(hist[-1]["at"][:10])}</text>')
    out.append("</svg>")
    return "".join(out)


def _explain_html(item: dict, kind: str) -> str:
    meta = provenance(item, h, " · ", f"{h(item['source_name'])} [{h(item['source'])}]")
    lines = []
    for c in item["contradicted_by"]:
        note = f" <span class=\"muted\">({h(c['note'])})</span>" if c["note"] else ""
        lines.append(f"<li>contradicted by <b>[{h(c['claim'])}]</b> {h(c['text'])}{note}</li>")
    lines += [f"<li>{h(x)}</li>" for x in item["explanation"]]
    why = f'<ul class="why">{"".join(lines)}</ul>' if lines else ""
    return (f'<div class="claim {kind}"><div><b>[{h(item["id"])}]</b> {h(item["text"])}</div>'
            f'<div class="meta">{meta}</div>{why}</div>')


# the big report's search box: filters the table of every source as the reader types
# (report.html#q=WORDS opens it filtered)
SEARCH_JS = ("const q=document.getElementById('q'),n=document.getElementById('shown'),"
             "rows=[...document.querySelectorAll('#all tbody tr')],keys=rows.map(r=>r.textContent.toLowerCase()),"
             "f=()=>{const t=q.value.trim().toLowerCase();let k=0;"
             "rows.forEach((r,i)=>{const m=!t||keys[i].includes(t);r.hidden=!m;if(m)k++;});"
             "n.textContent=k+' of '+rows.length;};q.addEventListener('input',f);"
             "if(location.hash.startsWith('#q=')){q.value=decodeURIComponent(location.hash.slice(3));f();}")
HEAD = ("Source", "Type", "Grade", "Claims", "Resolved", *VERDICTS, "Score", "90%", "Letter")


def _html_row(src: dict, trend: bool) -> str:
    v = src["verdicts"]
    name = h(src["name"]) if src["name"] == src["id"] else f"{h(src['name'])} <span class=\"muted\">{h(src['id'])}</span>"
    cells = [name, h(src["type"]), h(src["grade"] or "-"),
             str(src["claims"]), str(src["resolved"]), *(str(v[k]) for k in VERDICTS), f"{src['score']:.2f}",
             f"{src['low']:.2f}–{src['high']:.2f}", f"<span class=\"letter {h(src['letter'])}\">{h(src['letter'])}</span>"]
    if trend:
        cells.append(svg_spark(series(src)))
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _html_table(sources: list[dict], trend: bool, table_id: str = "") -> str:
    head = "".join(f"<th>{h(k)}</th>" for k in HEAD + (("Trend",) if trend else ()))
    ident = f' id="{table_id}"' if table_id else ""
    return (f'<table class="sources"{ident}><thead><tr>{head}</tr></thead><tbody>\n'
            + "\n".join(_html_row(src, trend) for src in sources) + "\n</tbody></table>")


def _claims_html(items: list[dict], kind: str, none: str) -> str:
    if not items:
        return f'<p class="muted">{none}</p>'
    out = "".join(_explain_html(x, kind) for x in items[:common.CLAIMS_SHOWN])
    if len(items) > common.CLAIMS_SHOWN:
        out += f'<p class="muted">{len(items) - common.CLAIMS_SHOWN:,} more not shown (see the top of the report).</p>'
    return out


def render(data: dict) -> str:
    s = data["summary"]
    by_id = {src["id"]: src for src in data["sources"]}
    big = data.get("big", False)
    shown_charts = charted(data["sources"])
    charts = "".join(
        f'<div class="chart"><h3>{h(src["name"])} <span class="muted">{src["prior"]:.2f} → '
        f'{src["history"][-1]["score"]:.2f}, {counted(len(src["history"]), "resolution")}</span></h3>{svg_chart(src)}</div>'
        for src in shown_charts)
    if not data["corroboration_computed"]:
        corroborated = '<p class="muted">Not computed (the corroboration service is not available in this installation).</p>'
    else:
        corroborated = _claims_html(data["corroborated"], "ok", "None: no claim has at least two independent origins "
                                                                "without a standing contradiction.")
    contested = _claims_html(data["contested"], "contested", "None: no claim has a confirmed contradiction.")
    over_time = ""
    if shown_charts:
        over_time = (f'<h2>Score over time</h2><p class="muted">The {len(shown_charts)} sources with the most resolved '
                     f'claims; the dashed line is 0.5; each resolution is marked (its tooltip names it) on charts '
                     f'of up to {common.POINTS}.</p><div class="charts">{charts}</div>')
    left = ""
    if data.get("left_out"):
        left = ('<div class="left"><b>Left out of this report</b><ul>'
                + "".join(f"<li>{h(line)}</li>" for line in data["left_out"]) + "</ul></div>")
    script = csp = every = ""
    if big:
        records = "".join(f'<h3>{title}</h3><p class="muted">{h(common.EXTREME_NOTE[title])}</p>'
                          f'{_html_table([by_id[k] for k in keys], trend=True)}'
                          for title, keys in (("Strongest records", data["strongest"]), ("Weakest records", data["weakest"])))
        n = len(data["sources"])
        every = (f'<h2>Every source</h2><p><input id="q" type="search" placeholder="search names, ids, letters…" '
                 f'aria-label="search the sources"> <span id="shown" class="muted">{n:,} of {n:,}</span></p>'
                 + _html_table(data["sources"], trend=False, table_id="all"))
        script = f"<script>{SEARCH_JS}</script>"
        digest = base64.b64encode(hashlib.sha256(SEARCH_JS.encode()).digest()).decode()
        csp = f"script-src 'sha256-{digest}'; "
    else:
        records = _html_table(data["sources"], trend=True)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; {csp}style-src 'unsafe-inline'">
<title>verifier report</title><style>{CSS}</style></head>
<body>
<h1>verifier report</h1>
<p class="meta">Generated {h(data['generated'])}: {s['sources']} sources, {s['claims']} claims ({data['resolved']} resolved), {s['links']} links.</p>
{left}
<h2>Sources' track records</h2>
<p class="muted">Reliability is the mean of a Beta posterior (prior from the analyst's grade, updated by each
resolved claim), with its 90% interval and Admiralty letter. The trend is the score after each resolution, from the prior.</p>
{records}
{over_time}
<h2>Independently corroborated claims</h2>
{corroborated}
<h2>Contested claims</h2>
{contested}
{every}
{script}
</body></html>
"""
