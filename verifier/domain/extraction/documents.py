"""Reading a report into plain text: plain text, Markdown and HTML.

Every reader returns a ``Document`` whose ``text`` is what the extractor reads: offsets in
proposals point into it. HTML is turned into text with the standard library's ``html.parser``
(block elements become line breaks, ``script``/``style`` are dropped, entities decoded);
Markdown loses its markup (headings, emphasis, links keep their text, images their alt text).
Hostile input (UTF-16, binary, invalid UTF-8) raises ``DocumentError`` with one clear line;
reading the file itself (its size, its kind, its digest) is ``verifier.adapters.reports``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import PurePath

from attrs import frozen

from verifier.domain.errors import ImportFileError

FORMATS = ("text", "markdown", "html")
_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".htm": "html", ".html": "html", ".xhtml": "html"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class DocumentError(ImportFileError):
    """A report that cannot be read (nothing is written): one line naming the file and what is wrong."""

    def __init__(self, file: str, problem: str):
        super().__init__(file, None, None, problem)


@frozen
class Document:
    text: str
    format: str
    title: str | None = None


def guess_format(name: str | None, data: bytes | str = b"") -> str:
    """The format from the file name, else from the first bytes (an HTML tag)."""
    if name and (fmt := _SUFFIXES.get(PurePath(name).suffix.lower())):
        return fmt
    head = data[:512].lstrip().lower() if data else b""
    head = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    return "html" if head.startswith(("<!doctype html", "<html", "<?xml")) else "text"


def decode(data: bytes, name: str = "<input>") -> str:
    """UTF-8 text (a BOM is dropped); UTF-16, binary data and invalid UTF-8 are refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(name, "UTF-16 text: save it as UTF-8 first")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DocumentError(name, f"binary data (a NUL byte at byte {nul + 1}): not a text report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DocumentError(name, f"not valid UTF-8 (line {line}, byte {exc.start + 1})") from None
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise DocumentError(name, f"binary data ({controls} control characters): not a text report")
    return text


def read_document(data: bytes | str, name: str | None = None, fmt: str | None = None) -> Document:
    """Read a report (bytes from a file, or text) in the given or guessed format."""
    label = name or "<input>"
    text = decode(data, label) if isinstance(data, bytes) else data
    fmt = fmt or guess_format(name, text)
    if fmt not in FORMATS:
        raise DocumentError(label, f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "html":
        return html_to_text(text)
    if fmt == "markdown":
        return markdown_to_text(text)
    return Document(text, "text", _first_line(text))


def _first_line(text: str) -> str | None:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:300]
    return None


# --------------------------------------------------------------------------- HTML

_BLOCK = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SKIP = frozenset("script style template noscript head svg".split())


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] | None = None
        self.title_text: str | None = None
        self.pre = 0

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.title = []
        elif tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self._newline()
            if tag == "pre":
                self.pre += 1
            elif tag == "li":
                self.parts.append("- ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self.skip:
                self.parts.append(alt)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skip -= 1

    def handle_endtag(self, tag):
        if tag == "title" and self.title is not None:
            self.title_text = " ".join("".join(self.title).split()) or None
            self.title = None
        elif tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._newline()

    def handle_data(self, data):
        if self.title is not None:
            self.title.append(data)
        elif not self.skip:
            if not self.pre:
                data = re.sub(r"\s+", " ", data)
                if self.parts and self.parts[-1].endswith(("\n", " ")):
                    data = data.lstrip()
            if data:
                self.parts.append(data)


def html_to_text(markup: str) -> Document:
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = [line.rstrip() for line in "".join(parser.parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return Document(text, "html", parser.title_text or _first_line(text))


# --------------------------------------------------------------------------- Markdown

_MD_RULES = [
    (re.compile(r"^ {0,3}(?:```|~~~).*$", re.M), ""),               # code fences
    (re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1"),     # ATX headings
    (re.compile(r"^ {0,3}(?:[-*_]\s*){3,}$", re.M), ""),             # horizontal rules
    (re.compile(r"^ {0,3}>\s?", re.M), ""),                          # block quotes
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),                  # images: alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                   # links: their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),                  # reference links
    (re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$", re.M), ""),          # link definitions
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),           # strong
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),  # emphasis
    (re.compile(r"`([^`]+)`"), r"\1"),                               # inline code
    (re.compile(r"<[^>\n]+>"), ""),                                  # inline HTML tags
]


def markdown_to_text(markup: str) -> Document:
    title = None
    if m := re.search(r"^ {0,3}#\s+(.+?)\s*#*\s*$", markup, re.M):
        title = m.group(1)
    text = markup
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return Document(text, "markdown", title or _first_line(text))
