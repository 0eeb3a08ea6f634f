"""What the report's two renderers share: its sizes, the verdict columns, the score series of a
source and the sources charted."""

from __future__ import annotations

from verifier import views

VERDICTS = views.VERDICTS
CHARTS = 24  # large score-over-time charts, for the sources with the most resolved claims
BIG = 200  # more sources than this: the extremes in detail, every source in a compact searchable table
EXTREMES = 25  # strongest and weakest records shown in detail in a big report
CLAIMS_SHOWN = 200  # corroborated / contested claims explained in full, each section
POINTS = 100  # a chart marks each resolution (with its tooltip) up to this many
SPARK = "▁▂▃▄▅▆▇█"


EXTREME_NOTE = {
    "Strongest records": "The highest lower ends of the 90% interval: reliable, and known to be.",
    "Weakest records": "The lowest upper ends of the 90% interval: unreliable, and known to be.",
}


def series(s: dict) -> list[float]:
    if not s["history"]:
        return []
    return [s["prior"], *(h["score"] for h in s["history"])]


def charted(sources: list[dict]) -> list[dict]:
    withh = [s for s in sources if s["history"]]
    withh.sort(key=lambda s: (-len(s["history"]), s["name"].lower()))
    return withh[:CHARTS]


def provenance(item: dict, esc, sep: str, source: str) -> str:
    """An explained claim's line besides its text: ``source`` (as the format names it), the relays
    it came through, its status and belief. ``esc`` escapes user text, ``sep`` separates the parts."""
    line = f"source: {source}"
    if item["via"]:
        line += " via " + " ← ".join(esc(v) for v in item["via"])
    line += f"{sep}status: {esc(item['status'])}"
    if item["belief"] is not None:
        line += f"{sep}probability true {item['belief']:.2f} ({esc(item['words'])})"
    return line


def counted(k: int, word: str) -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"


def sparkline(values: list[float], width: int = 24) -> str:
    """Scores in [0, 1] as block characters (absolute scale: a high flat line reads high)."""
    if not values:
        return ""
    if len(values) > width:
        step = (len(values) - 1) / (width - 1)
        values = [values[round(i * step)] for i in range(width)]
    top = len(SPARK) - 1
    return "".join(SPARK[max(0, min(top, int(round(v * top))))] for v in values)
