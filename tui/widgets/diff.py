"""Two claims side by side with their differences marked.

Words that differ are reversed; numbers (in yellow) and negations (in magenta) always stand
out, and stand out more when they are what differs: that is where a near-duplicate turns
into a contradiction.
"""

from __future__ import annotations

import difflib
import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from tui.text import plain

TOKEN = re.compile(r"\w+(?:[.,'’]\w+)*|\s+|[^\w\s]")
NEGATION = re.compile(
    r"^(not|no|never|none|nobody|nothing|neither|nor|without|cannot|denied|denies|deny|"
    r"false|refuted?|rejects?|rejected|\w+n[’']t)$",
    re.IGNORECASE,
)
NUMBER = re.compile(r"\d")

SAME_NUMBER, SAME_NEGATION = "bold yellow", "bold magenta"
DIFF_NUMBER, DIFF_NEGATION, DIFF_WORD = "bold black on yellow", "bold white on magenta", "reverse"


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _kind(token: str) -> str | None:
    if NUMBER.search(token):
        return "number"
    if NEGATION.match(token):
        return "negation"
    return None


def _style(token: str, differs: bool) -> str:
    kind = _kind(token)
    if kind == "number":
        return DIFF_NUMBER if differs else SAME_NUMBER
    if kind == "negation":
        return DIFF_NEGATION if differs else SAME_NEGATION
    return DIFF_WORD if differs else ""


def mark_differences(a: str, b: str) -> tuple[Text, Text]:
    """Both texts (hostile characters escaped) with differing words styled."""
    ta, tb = _tokens(plain(a)), _tokens(plain(b))
    # compare words only, case-insensitively; whitespace is carried along
    ia = [i for i, t in enumerate(ta) if not t.isspace()]
    ib = [i for i, t in enumerate(tb) if not t.isspace()]
    wa = [ta[i].lower().replace(",", "") for i in ia]
    wb = [tb[i].lower().replace(",", "") for i in ib]
    diff_a, diff_b = set(), set()
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op != "equal":
            diff_a.update(ia[a1:a2])
            diff_b.update(ib[b1:b2])

    def build(tokens: list[str], differing: set[int]) -> Text:
        out = Text()
        for i, t in enumerate(tokens):
            out.append(t, style=_style(t, i in differing) if not t.isspace() else "")
        return out

    return build(ta, diff_a), build(tb, diff_b)


def legend() -> Text:
    out = Text("differs ", style="dim")
    out.append("word", style=DIFF_WORD)
    out.append("  ")
    out.append("12", style=DIFF_NUMBER)
    out.append(" number  ")
    out.append("not", style=DIFF_NEGATION)
    out.append(" negation")
    return out


class SideBySide(Horizontal):
    """Two claim texts, each in its own scrolling panel, differences marked."""

    DEFAULT_CSS = """
    SideBySide { height: auto; max-height: 60%; }
    SideBySide > VerticalScroll { width: 1fr; height: auto; max-height: 100%; border: round $primary; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="left"):
            yield Static(id="left-text")
        with VerticalScroll(id="right"):
            yield Static(id="right-text")

    def show(self, a_title: Text, a_meta: Text, a: str, b_title: Text, b_meta: Text, b: str) -> None:
        """Each side: its id as the panel title, a line about where it comes from, the text."""
        left, right = mark_differences(a, b)
        self.query_one("#left", VerticalScroll).border_title = a_title
        self.query_one("#right", VerticalScroll).border_title = b_title
        for wid, meta, body in (("#left-text", a_meta, left), ("#right-text", b_meta, right)):
            shown = meta.copy()
            if shown:
                shown.stylize("dim")
                shown.append("\n")
            shown.append_text(body)
            self.query_one(wid, Static).update(shown)
