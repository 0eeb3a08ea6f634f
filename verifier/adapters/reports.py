"""Reading a report file for `verifier ingest`: the file part.

The file must exist and be a regular file; it is read whole but bounded (MAX_BYTES), and its
SHA-256 is taken from the same bytes. Decoding, format detection and HTML or Markdown to text
are ``read_document``'s (domain.extraction.documents): one reader, one error type
(``DocumentError``, one line naming the file), nothing written when it is raised. A PDF (its
first bytes ``%PDF-``) is read for its text layer with pypdf, page after page; a scanned PDF
with no text, an encrypted one or a broken one is refused in one line.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from attrs import frozen

from verifier.domain.extraction import DocumentError, read_document

MAX_BYTES = 5_000_000  # a long report is ~100 kB; a bigger file is a mistake, not a report


@frozen
class Report:
    path: str
    text: str  # what the extractor read and the analyst sees: proposals' offsets point into it
    digest: str  # SHA-256 of the file's bytes
    format: str  # text, markdown, html, pdf
    title: str | None  # the HTML <title>, the first Markdown heading or plain text's first line


def read_report(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Report:
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise DocumentError(name, "no such file")
    if not path.is_file():
        raise DocumentError(name, "not a regular file (a directory, a pipe or a device)")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise DocumentError(name, f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise DocumentError(name, f"larger than {max_bytes:,} bytes: not read (is it a report?)")
    if raw.startswith(b"%PDF-"):
        text, title = pdf_text(raw, name)
        doc = read_document(text, name, "text")
        return Report(name, doc.text, hashlib.sha256(raw).hexdigest(), "pdf", title or doc.title)
    doc = read_document(raw, name)
    return Report(name, doc.text, hashlib.sha256(raw).hexdigest(), doc.format, doc.title)


def pdf_text(raw: bytes, name: str) -> tuple[str, str | None]:
    """The text layer of a PDF, pages apart by a blank line, and its title if it names one."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise DocumentError(name, "an encrypted PDF: not read (save it without a password first)")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(name, f"not a readable PDF ({type(exc).__name__})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise DocumentError(name, "a PDF with no text layer (a scan?): not read")
    return text, title if isinstance(title, str) and title.strip() else None
