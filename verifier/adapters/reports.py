"""Reading a report file for `verifier ingest`: plain text, Markdown or HTML, as text.

The file is read whole (bounded by MAX_BYTES), its SHA-256 taken from the same bytes, and
refused with one clear ``ReportFileError`` when it is not a regular file, too big, binary,
or not valid UTF-8. HTML is reduced to its text (scripts and styles dropped, blocks on
their own lines, entities decoded); Markdown and plain text are kept as written, so the
proposals' offsets point into what the analyst sees.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from attrs import frozen

MAX_BYTES = 5_000_000  # a long report is ~100 kB; a bigger file is a mistake, not a report
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class ReportFileError(ValueError):
    """A report that cannot be read; nothing is written."""

    def __init__(self, file: str, problem: str):
        self.file, self.problem = file, problem
        super().__init__(f"{file}: {problem}")


@frozen
class Report:
    path: str
    text: str
    digest: str  # SHA-256 of the file's bytes
    format: str  # text, markdown, html
    title: str | None  # the HTML <title>, the first Markdown heading or plain text's first line


def read_report(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Report:
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise ReportFileError(name, "no such file")
    if not path.is_file():
        raise ReportFileError(name, "not a regular file (a directory, a pipe or a device)")
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ReportFileError(name, f"larger than {max_bytes // 1_000_000} MB: not read (is it a report?)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportFileError(name, "UTF-16 text: save it as UTF-8 first")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ReportFileError(name, f"binary data (a NUL byte at byte {nul + 1}): not a text report")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ReportFileError(name, f"not valid UTF-8 (line {line}, byte {exc.start + 1})") from None
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise ReportFileError(name, f"binary data ({controls} control characters): not a text report")
    digest = hashlib.sha256(raw).hexdigest()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if path.suffix.lower() in _HTML_SUFFIXES or _looks_like_html(text):
        body, title = html_to_text(text)
        return Report(name, body, digest, "html", title)
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    # the first heading of Markdown, the first line of plain text (a headline, when short)
    heading = re.search(r"^#{1,3}\s+(.+)$" if fmt == "markdown" else r"\A\s*(\S.{0,200})$", text, re.M)
    return Report(name, text, digest, fmt, heading.group(1).strip() if heading else None)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


_BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
                     "section", "article", "blockquote", "header", "footer", "pre", "hr", "title"})
_SKIP = frozenset({"script", "style", "noscript", "template", "head"})


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag in _SKIP:
            self.skipping += 1
        if tag in _BLOCKS:
            self.parts.append("\n\n" if tag != "br" and tag != "li" else "\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP and self.skipping:
            self.skipping -= 1
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.parts.append(re.sub(r"[ \t\n]+", " ", data))


def html_to_text(html: str) -> tuple[str, str | None]:
    """The readable text of an HTML page (paragraphs separated by a blank line) and its title."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    title = " ".join("".join(parser.title).split()) or None
    return text, title
