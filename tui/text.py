"""User text is data, never markup.

Everything a claim, a source or an analyst wrote is shown through ``safe()``: a
``rich.text.Text`` built from the plain string (so ``[bold]`` or ``[@click=app.quit]`` are
just characters), with terminal control sequences and bidirectional overrides replaced by
visible escapes (``\\x1b``, ``<U+202E>``) so they can neither restyle the terminal nor
reorder what the analyst reads.
"""

from __future__ import annotations

from rich.text import Text

from verifier.views import display_pieces

ESCAPE_STYLE = "bold reverse red"

def _visible(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def name_and_id(name: object, key: object, style: str = "bold") -> Text:
    """A source's (or a claim's) name, its id after it in brackets: ``Name  (id)``."""
    out = Text()
    out.append_text(safe(name, style=style))
    out.append("  (")
    out.append_text(safe(key))
    out.append(")")
    return out


def safe(value: object, style: str = "", *, single_line: bool = True, limit: int | None = None) -> Text:
    """A Text showing ``value`` literally, hostile characters as visible escapes.

    single_line: newlines and tabs become spaces (table cells, one-line summaries).
    limit: cut to this many characters with an ellipsis.
    """
    if value is None:
        return Text("—", style="dim")
    raw = str(value)
    if single_line:
        raw = raw.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    else:
        raw = raw.replace("\r\n", "\n").replace("\t", "    ")
    text = Text(style=style)
    for piece, hostile in display_pieces(raw):
        if hostile:
            text.append(_visible(piece), style=ESCAPE_STYLE)
        else:
            text.append(piece)
    if limit is not None and len(text) > limit:
        text.truncate(max(limit, 1), overflow="ellipsis")
    return text


def plain(value: object) -> str:
    """The same escaping as ``safe()`` as a plain one-line string (notifications, titles)."""
    return safe(value).plain


def join(*parts: Text | str, sep: str = "") -> Text:
    """Concatenate Texts and *literal* strings (never parsed as markup)."""
    out = Text()
    for i, part in enumerate(parts):
        if i and sep:
            out.append(sep)
        out.append(part if isinstance(part, Text) else Text(str(part)))
    return out


def pct(value: float | None) -> str:
    return "  —" if value is None else f"{value:.2f}"


def trimmed(text: Text) -> Text:
    """The Text without trailing whitespace (Text.rstrip works in place and returns None)."""
    text.rstrip()
    return text


def fields(rows: list[tuple[str, Text | str]], label_width: int = 12):
    """Label/value pairs as a two-column grid: wrapped values keep their indentation."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", width=label_width, no_wrap=True)
    grid.add_column(ratio=1)
    for label, value in rows:
        grid.add_row(Text(label), value if isinstance(value, Text) else Text(str(value)))
    return grid


def bullets(lines: list[Text]):
    """A bulleted list whose wrapped lines hang under their text."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column(ratio=1)
    for line in lines:
        grid.add_row(Text("•"), line)
    return grid
