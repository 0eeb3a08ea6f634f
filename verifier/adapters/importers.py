"""Reading import files: ``read_file`` picks the reader for a file (JSON Lines in ``jsonl``,
CSV in ``csvfile``, mapped CSV in ``tabular``, ClaimReview in ``claimreview``); no reader
imports another.

Every problem is reported as ``FILE:LINE: field: problem``. Nothing here touches the
database; the import service applies the records inside one unit of work. The records,
their validation, the error type and the line decoder live in ``decoding``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

from verifier.adapters import claimreview, csvfile, jsonl, tabular
from verifier.adapters.decoding import (
    ImportFileError,
    OnError,
    Record,
    raw_lines,
)

__all__ = ["ImportFileError", "Record", "read_file", "write_rejects", "count_lines", "records_to_jsonl"]


def read_file(path: str | Path, fmt: str | None = None, on_error: OnError | None = None, **options) -> Iterator[Record]:
    """The records of a file in any format. ``on_error``: bad lines are handed to it and
    skipped instead of rejecting the file (JSON Lines and CSV; not ClaimReview)."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(str(path), None, None, "no such file")
    if path.is_dir():
        raise ImportFileError(str(path), None, None, "is a directory")
    suffix = path.suffix.lower()
    if fmt is None and suffix == ".json":  # JSON Lines, or ClaimReview JSON-LD: look at the start
        fmt = "claimreview" if claimreview.looks_like_json_ld(path) else "jsonl"
    fmt = fmt or ("csv" if suffix in (".csv", ".tsv") else "claimreview" if suffix == ".jsonld" else "jsonl")
    if fmt == "csv":
        if suffix == ".tsv" and "delimiter" not in options:
            options["delimiter"] = "\t"
        if "mapping" in options:  # --map / --columns / --verdict-map: a claim table
            return tabular.read_mapped(path, on_error=on_error, **options)
        return csvfile.read_csv(path, on_error=on_error, **options)
    if fmt == "claimreview":
        return claimreview.read_claimreview(path, verdict_map=options.get("verdict_map"))
    if fmt in ("jsonl", "json"):
        return jsonl.read_jsonl(path, on_error)
    raise ImportFileError(str(path), None, "format", f"unknown format {fmt!r} (jsonl, csv or claimreview)")


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
