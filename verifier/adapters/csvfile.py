"""The CSV reader of the import format: a header of the format's field names, ``via``,
``aliases`` and ``tags`` separated by ';'. (A CSV of other columns is read by ``tabular``.)"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from verifier.adapters.decoding import ImportFileError, LineTracker, OnError, Record, csv_value, decoded_lines, validate


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
