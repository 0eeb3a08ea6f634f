"""Score-over-time graphics: a one-cell-high sparkline for table rows and a small plot."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

BLOCKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▁▂▃▄▅▆▇█"


def level_style(value: float) -> str:
    if value >= 0.7:
        return "green"
    if value >= 0.45:
        return "yellow"
    return "red"


def sparkline(values: list[float] | None, width: int = 12) -> Text:
    """Scores in [0, 1] as block characters, the most recent ``width`` of them."""
    if values is None:
        return Text("…", style="dim")
    if not values:
        return Text("·", style="dim")
    shown = values[-width:]
    out = Text(no_wrap=True)
    for v in shown:
        v = min(max(v, 0.0), 1.0)
        out.append(BLOCKS[min(int(v * len(BLOCKS)), len(BLOCKS) - 1)], style=level_style(v))
    return out


class ScorePlot(Widget):
    """The reliability score after each resolution, as a bar chart with a 0–1 axis."""

    DEFAULT_CSS = """
    ScorePlot { height: 9; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.points: list[tuple[str, float]] = []

    def set_points(self, points: list[tuple[str, float]]) -> None:
        self.points = points
        self.refresh()

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        rows = max(height - 1, 2)
        axis = 5
        plot_w = max(width - axis - 1, 4)
        out = Text(no_wrap=True, overflow="crop")
        if not self.points:
            out.append("no resolved claims yet: the score is the prior from the analyst grade", style="dim")
            return out
        n = len(self.points)
        cols = min(n, plot_w)
        # each column shows one step (the latest step when several share a column)
        per = max(1, plot_w // cols)
        values = [self.points[min(n - 1, int((c + 1) * n / cols) - 1)][1] for c in range(cols)]
        for r in range(rows - 1, -1, -1):
            label = {rows - 1: "1.0 ", 0: "0.0 "}.get(r, "0.5 " if r == rows // 2 else "    ")
            out.append(f"{label:>{axis - 1}}│", style="dim")
            for v in values:
                filled = v * rows * 8 - r * 8
                ch = EIGHTHS[int(min(max(filled, 0), 8))]
                out.append(ch * per, style=level_style(v))
            out.append("\n")
        first, last = self.points[0][0] or "", self.points[-1][0] or ""
        span = cols * per
        foot = first[:10]
        if n > 1:
            foot = foot + " " * max(1, span - len(foot) - len(last[:10])) + last[:10]
        out.append(" " * axis + foot, style="dim")
        return out
