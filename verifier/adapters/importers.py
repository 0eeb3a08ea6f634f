"""Reading import files: ``read_file`` picks the reader for a file (JSON Lines in ``jsonl``,
CSV in ``csvfile``, mapped CSV in ``tabular``, ClaimReview in ``claimreview``); no reader
imports another. Each format registers here once (``@reader``): ``FORMATS`` is the one list
the suffix rules, the error text and the CLI's ``--format`` choice read.

Every problem is reported as ``FILE:LINE: field: problem``. Nothing here touches the
database; the import service applies the records inside one unit of work. The records,
their validation, the error type and the line decoder live in ``decoding``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from attrs import frozen

from verifier.adapters import claimreview, csvfile, jsonl, tabular
from verifier.adapters.decoding import (
    ImportFileError,
    OnError,
    Record,
    raw_lines,
)

__all__ = ["FORMATS", "ImportFileError", "Record", "read_file", "format_of", "reader", "write_rejects", "count_lines", "records_to_jsonl"]


@frozen
class Format:
    """One import format: its name (``--format``), the suffixes that choose it, and its reader."""

    name: str
    read: Callable[[Path, OnError | None, dict], Iterator[Record]]
    suffixes: tuple[str, ...] = ()
    sniff: Callable[[Path], bool] | None = None  # claims a ``.json`` file by its first bytes


#: Every import format, by name, in the order they registered: the one list ``read_file``,
#: its error text and the CLI's ``--format`` choice read. The first is the fallback.
FORMATS: dict[str, Format] = {}
ALIASES = {"json": "jsonl"}


def reader(name: str, *suffixes: str, sniff: Callable[[Path], bool] | None = None):
    """Register the decorated function as the reader of format ``name``."""
    def register(read):
        FORMATS[name] = Format(name, read, suffixes, sniff)
        return read
    return register


@reader("jsonl", ".jsonl", ".json")
def _read_jsonl(path: Path, on_error: OnError | None, options: dict) -> Iterator[Record]:
    return jsonl.read_jsonl(path, on_error)


@reader("csv", ".csv", ".tsv")
def _read_csv(path: Path, on_error: OnError | None, options: dict) -> Iterator[Record]:
    if path.suffix.lower() == ".tsv" and "delimiter" not in options:
        options["delimiter"] = "\t"
    if "mapping" in options:  # --map / --columns / --verdict-map: a claim table
        return tabular.read_mapped(path, on_error=on_error, **options)
    return csvfile.read_csv(path, on_error=on_error, **options)


@reader("claimreview", ".jsonld", sniff=claimreview.looks_like_json_ld)
def _read_claimreview(path: Path, on_error: OnError | None, options: dict) -> Iterator[Record]:
    return claimreview.read_claimreview(path, verdict_map=options.get("verdict_map"))


def format_of(path: Path) -> str:
    """The format a file's suffix (and, for ``.json``, its first bytes) names; the first registered by default."""
    suffix = path.suffix.lower()
    if suffix == ".json":  # JSON Lines, or ClaimReview JSON-LD: look at the start
        for f in FORMATS.values():
            if f.sniff is not None and f.sniff(path):
                return f.name
    return next((f.name for f in FORMATS.values() if suffix in f.suffixes), next(iter(FORMATS)))


def read_file(path: str | Path, fmt: str | None = None, on_error: OnError | None = None, **options) -> Iterator[Record]:
    """The records of a file in any format. ``on_error``: bad lines are handed to it and
    skipped instead of rejecting the file (JSON Lines and CSV; not ClaimReview)."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(str(path), None, None, "no such file")
    if path.is_dir():
        raise ImportFileError(str(path), None, None, "is a directory")
    fmt = ALIASES.get(fmt, fmt) if fmt else format_of(path)
    if fmt not in FORMATS:
        names = list(FORMATS)
        raise ImportFileError(str(path), None, "format",
                              f"unknown format {fmt!r} ({', '.join(names[:-1])} or {names[-1]})")
    return FORMATS[fmt].read(path, on_error, options)


def write_rejects(fh, errors: list[ImportFileError]) -> int:
    """The refused lines as JSON Lines: file, line, field, reason, and the line as it was
    (undecodable bytes replaced). Returns how many."""
    wanted: dict[str, set[int]] = {}
    for e in errors:
        if e.line is not None:
            wanted.setdefault(e.file, set()).add(e.line)
    texts: dict[tuple[str, int], str] = {}
    for file, numbers in wanted.items():
        with open(file, "rb") as src:
            for lineno, raw in enumerate(raw_lines(src), start=1):
                if lineno in numbers:
                    texts[(file, lineno)] = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                if lineno >= max(numbers):
                    break
    for e in errors:
        fh.write(json.dumps({"file": e.file, "line": e.line, "field": e.field, "reason": e.problem,
                             "text": texts.get((e.file, e.line))}) + "\n")  # ASCII: a C1 control never splits a line
    return len(errors)


def count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


def records_to_jsonl(records: list[dict]) -> str:
    out = io.StringIO()
    for r in records:
        out.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
    return out.getvalue()
