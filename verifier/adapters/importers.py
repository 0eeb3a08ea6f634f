"""Reading import files: JSON Lines and CSV into validated records, and ``read_file``,
which picks the reader for a file (JSON Lines, CSV, mapped CSV in ``tabular``, ClaimReview
in ``interop``).

Every problem is reported as ``FILE:LINE: field: problem``. Nothing here touches the
database; the import service applies the records inside one unit of work. The records,
their validation, the error type and the line decoder live in ``decoding``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from verifier.adapters import interop, tabular
from verifier.adapters.decoding import (
    MAX_LINE,
    ImportFileError,
    LineTracker,
    OnError,
    Record,
    csv_value,
    decoded_lines,
    raw_lines,
    validate,
)

__all__ = ["ImportFileError", "Record", "read_file", "read_jsonl", "read_csv", "write_rejects", "count_lines",
           "records_to_jsonl"]


# --------------------------------------------------------------------------- readers

def _no_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _json_loads():
    """orjson when installed (3x faster, and strict: no NaN/Infinity), else the stdlib."""
    try:
        import orjson

        return orjson.loads
    except ImportError:  # pragma: no cover - orjson is a dependency
        return json.JSONDecoder(parse_constant=_no_constant).decode


def read_jsonl(path: Path, on_error: OnError | None = None) -> Iterator[Record]:
    """The file's records. A bad line raises ImportFileError, or with ``on_error`` is
    handed to it and skipped."""
    name = str(path)
    loads = _json_loads()
    fast = loads is not json.loads and getattr(loads, "__module__", "") == "orjson"
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(raw_lines(fh), start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                rec = _jsonl_record(raw, lineno, name, loads, fast)
            except ImportFileError as exc:
                if on_error is None:
                    raise
                on_error(exc)
                continue
            if rec is not None:
                yield rec


def _jsonl_record(raw: bytes, lineno: int, name: str, loads, fast: bool) -> Record | None:
    """One line's record (None for a blank line)."""
    if len(raw) > MAX_LINE * 4:
        raise ImportFileError(name, lineno, None, f"line longer than {MAX_LINE} characters")
    obj = None
    if fast and raw.isascii():
        # orjson reads bytes directly; anything it refuses is looked at closely below
        try:
            obj = loads(raw)
        except ValueError:
            obj = None
    if obj is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFileError(name, lineno, None, f"not valid UTF-8 (byte {exc.start + 1})") from None
        text = text.rstrip("\r\n")
        if not text.strip():
            return None
        if len(text) > MAX_LINE:
            raise ImportFileError(name, lineno, None, f"line longer than {MAX_LINE} characters")
        try:
            obj = loads(text)
        except (ValueError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            msg = msg.split(": line ")[0]
            raise ImportFileError(name, lineno, None, f"not valid JSON ({msg})") from None
    if not isinstance(obj, dict):
        raise ImportFileError(name, lineno, None, f"expected a JSON object, got {type(obj).__name__}")
    if "kind" not in obj:
        raise ImportFileError(name, lineno, "kind", "is required")
    return validate(obj["kind"], obj, name, lineno)


def read_csv(path: Path, *, delimiter: str = ",", default_kind: str = "claim",
             on_error: OnError | None = None) -> Iterator[Record]:
    """CSV with a header of the import format's field names; ``via``, ``aliases`` and
    ``tags`` separated by ';'. Rows without a ``kind`` column are claims."""
    name = str(path)
    lines = decoded_lines(path)
    # csv needs the text with newlines back; track physical line numbers per record
    buffer = LineTracker(lines)
    reader = csv.reader(buffer, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise ImportFileError(name, buffer.line, None, f"bad CSV ({exc})") from None
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        raise ImportFileError(name, 1, None, "the header names a column twice")
    while True:
        start = buffer.line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if buffer.line != start and "end of data" in str(exc):  # a quote opened and never closed
                raise ImportFileError(name, start, None, f"bad CSV (a quoted cell is never closed, {exc})") from None
            raise ImportFileError(name, buffer.line, None, f"bad CSV ({exc})") from None
        if not any(cell.strip() for cell in row):
            continue
        try:
            yield _csv_record(row, header, name, start, default_kind)
        except ImportFileError as exc:
            if on_error is None:
                raise
            on_error(exc)


def _csv_record(row: list[str], header: list[str], name: str, start: int, default_kind: str) -> Record:
    if len(row) != len(header):
        raise ImportFileError(name, start, None, f"{len(row)} cells, the header has {len(header)}")
    obj = {h: c for h, c in zip(header, row, strict=False) if c != ""}
    kind = obj.pop("kind", default_kind)
    if "\x00" in "".join(row):
        raise ImportFileError(name, start, None, "contains a NUL byte")
    if "value" in obj:
        obj["value"] = csv_value(obj["value"])
    return validate(kind, obj, name, start)


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
        fmt = "claimreview" if interop.looks_like_json_ld(path) else "jsonl"
    fmt = fmt or ("csv" if suffix in (".csv", ".tsv") else "claimreview" if suffix == ".jsonld" else "jsonl")
    if fmt == "csv":
        if suffix == ".tsv" and "delimiter" not in options:
            options["delimiter"] = "\t"
        if "mapping" in options:  # --map / --columns / --verdict-map: a claim table
            return tabular.read_mapped(path, on_error=on_error, **options)
        return read_csv(path, on_error=on_error, **options)
    if fmt == "claimreview":
        return interop.read_claimreview(path, verdict_map=options.get("verdict_map"))
    if fmt in ("jsonl", "json"):
        return read_jsonl(path, on_error)
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
