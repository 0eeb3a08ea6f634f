"""Any claim table (CSV or TSV) imported through a column mapping.

``verifier import FILE --format csv --map text=statement,source=speaker,verdict=label``

* ``--map FIELD=COLUMN,...`` names, for each field of the import format, the column that
  holds it. Claim fields: ``id, text, source, via, document, published, event_date,
  location, tags, subject, value, qualifier, unit``; resolution fields: ``verdict, at,
  rationale, evidence, analyst``. ``text`` is required. A column is named by its header,
  by its ``--columns`` name, or by its position (``text=3``, counting from 1).
* ``--no-header`` says the first row is data; ``--columns a,b,c`` names the columns then.
  Without ``--map`` the column names themselves must be field names.
* A row whose mapped ``verdict`` cell is not empty also yields a resolution of its claim
  (``at``/``rationale``/``evidence``/``analyst`` from their columns when mapped; without
  ``at`` the verdict is dated at import time, and re-importing adds nothing).
* ``--verdict-map label=verdict,...`` translates the table's labels (compared ignoring case,
  spaces, ``_`` and ``-``); labels not in it must be verifier verdicts (true, mostly-true,
  mixed, mostly-false, false, unverifiable; ``half-true`` is read as mixed). Any other label
  is an error: ``FILE:LINE: verdict: unknown value 'x' ...``.
* The claim id is the mapped ``id`` column; without one, a stable id is made from the file
  name and a hash of the row (``liar-3f9c...``), so re-importing the same file adds nothing.
* The ``source`` cell is the source's id (a source named by a claim is created with that id as
  its name); an empty or missing one is the source ``unknown``; one that is not a valid id
  becomes a lower-case slug (runs of other characters as ``-``).
* ``via`` and ``tags`` cells are split on ``;`` and ``,``.
* ``affiliation`` and ``type`` describe the claim's source (LIAR: ``affiliation=party``): the
  first row naming a source in a file gives them; a source already stored keeps its other
  fields (name, grade, parent, notes), and a changed affiliation or type is an audited edit.
* ``--quoting auto|minimal|none``: ``none`` reads quote characters as text (LIAR's TSV needs
  it: statements start with ``"`` and never close it); ``minimal`` is standard CSV quoting;
  ``auto`` (the default) picks ``none`` when every line has the same number of cells and
  some cell opens a quote it does not close on its line, else ``minimal``.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from verifier.adapters.decoding import (
    FIELDS,
    ImportFileError,
    LineTracker,
    Record,
    csv_value,
    decoded_lines,
    name_value_pairs,
    parse_verdict_map,
    validate,
    verdict_label,
)
from verifier.domain.checks import source_key
from verifier.domain.errors import DomainError

CLAIM_FIELDS = tuple(f for f in FIELDS["claim"])
RESOLUTION_FIELDS = ("verdict", "at", "rationale", "evidence", "analyst")
SOURCE_FIELDS = ("affiliation", "type")  # of the claim's source
MAPPABLE = CLAIM_FIELDS + RESOLUTION_FIELDS + SOURCE_FIELDS
LIST_FIELDS = ("via", "tags")
QUOTING = {"minimal": csv.QUOTE_MINIMAL, "none": csv.QUOTE_NONE}


def parse_mapping(text: str | None) -> dict[str, str] | None:
    """``text=statement,source=speaker`` -> {field: column}; unknown fields are refused."""
    if text is None:
        return None
    mapping: dict[str, str] = {}
    for field, column in name_value_pairs(text, "--map"):
        if field not in MAPPABLE:
            raise DomainError("--map", f"unknown field {field!r} (one of: {', '.join(MAPPABLE)})")
        if field in mapping:
            raise DomainError("--map", f"field {field!r} is mapped twice")
        mapping[field] = column
    if "text" not in mapping:
        raise DomainError("--map", "map the claim text (text=COLUMN)")
    return mapping


def options(mapping: str | None, no_header: bool = False, columns: str | None = None,
            verdict_map: str | None = None, quoting: str | None = None) -> dict[str, Any]:
    """The command line's options as keyword arguments of :func:`read_mapped`
    (``read_file(path, "csv", **options)`` dispatches on ``mapping``)."""
    cols = None
    if columns:
        cols = [c.strip() for c in columns.split(",")]
        if any(not c for c in cols):
            raise DomainError("--columns", "a column name is empty")
        if len(set(cols)) != len(cols):
            raise DomainError("--columns", "a column is named twice")
    if quoting is not None and quoting not in ("auto", *QUOTING):
        raise DomainError("--quoting", f"unknown value {quoting!r} (auto, minimal or none)")
    return {
        "mapping": parse_mapping(mapping) if mapping else {},
        "header": not no_header,
        "columns": cols,
        "verdict_map": parse_verdict_map(verdict_map),
        "quoting": quoting or "auto",
    }


def detect_quoting(path: Path, delimiter: str) -> str:
    """'none' when every line has the same number of cells and some cell opens a quote it
    does not close (the file has no quoting convention), else 'minimal'."""
    widths: set[int] = set()
    unclosed = False
    for _lineno, text in decoded_lines(path):
        if not text.strip():
            continue
        cells = text.split(delimiter)
        widths.add(len(cells))
        if len(widths) > 1:
            return "minimal"
        if not unclosed and '"' in text:
            for cell in cells:
                if cell.startswith('"') and not _closed(cell):
                    unclosed = True
                    break
    return "none" if unclosed else "minimal"


def _closed(cell: str) -> bool:
    if len(cell) < 2 or not cell.endswith('"'):
        return False
    inner = cell[1:-1]
    return inner.replace('""', "").count('"') == 0


def read_mapped(path: str | Path, *, mapping: dict[str, str] | None = None, header: bool = True,
                columns: list[str] | None = None, verdict_map: dict[str, str] | None = None,
                delimiter: str = ",", quoting: str = "auto", on_error=None) -> Iterator[Record]:
    """Claims (and resolutions, for rows with a verdict) from a table through a mapping.
    ``on_error``: a bad row is handed to it and skipped (see ``importers.read_file``)."""
    path = Path(path)
    name = str(path)
    verdict_map = verdict_map or {}
    if quoting == "auto":
        quoting = detect_quoting(path, delimiter)
    lines = LineTracker(decoded_lines(path))
    if quoting == "none":
        reader = csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE, strict=False)
    else:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)

    def next_row():
        try:
            return next(reader)
        except csv.Error as exc:
            raise ImportFileError(name, lines.line, None, f"bad CSV ({exc}); try --quoting none") from None

    names: list[str] | None = list(columns) if columns else None
    if header:
        try:
            first = next_row()
        except StopIteration:
            return
        head = [h.strip() for h in first]
        if names is None:
            names = head
        if len(set(names)) != len(names):
            raise ImportFileError(name, 1, None, "the header names a column twice")
    index, field_of = _resolve(name, mapping, names)
    width = len(names) if names is not None else None
    stem = re.sub(r"\s+", "-", path.stem) or "row"
    seen_ids: dict[str, int] = {}
    while True:
        start = lines.line + 1
        try:
            row = next_row()
        except StopIteration:
            return
        line = start
        if not any(cell.strip() for cell in row):
            continue
        try:
            yield from list(_row_records(name, line, stem, row, index, field_of, width, quoting, verdict_map, seen_ids))
        except ImportFileError as exc:
            if on_error is None:
                raise
            on_error(exc)


def _row_records(name, line, stem, row, index, field_of, width, quoting, verdict_map, seen_ids) -> Iterator[Record]:
    """One row's records (a claim, and its resolution), or ImportFileError."""
    if width is not None and len(row) != width:
        raise ImportFileError(name, line, None, f"{len(row)} cells, expected {width}"
                              + ("" if quoting == "none" else "; try --quoting none"))
    if "\x00" in "".join(row):
        raise ImportFileError(name, line, None, "contains a NUL byte")
    cells: dict[str, str] = {}
    for field, pos in index.items():
        if pos >= len(row):
            raise ImportFileError(name, line, field, f"no column {field_of[field]!r} in this row ({len(row)} cells)")
        value = row[pos].strip()
        if value != "":
            cells[field] = value
    yield from _records(name, line, stem, row, cells, verdict_map, seen_ids)


def _resolve(file: str, mapping: dict[str, str] | None, names: list[str] | None) -> tuple[dict[str, int], dict[str, str]]:
    """{field: column position} for the mapping (or the identity mapping of the column names)."""
    if not mapping:
        if names is None:
            raise ImportFileError(file, None, "--map", "a file without a header needs --map or --columns")
        unknown = [n for n in names if n not in MAPPABLE]
        if unknown:
            raise ImportFileError(file, 1, "--map", f"column {unknown[0]!r} is not a field; map the columns with --map FIELD=COLUMN")
        mapping = {n: n for n in names}
        if "text" not in mapping:
            raise ImportFileError(file, 1, "--map", "no 'text' column; map one with --map text=COLUMN")
    index: dict[str, int] = {}
    for field, column in mapping.items():
        if names is not None and column in names:
            index[field] = names.index(column)
        elif column.isdigit() and int(column) >= 1 and (names is None or int(column) <= len(names)):
            index[field] = int(column) - 1
        else:
            shown = ", ".join(names) if names else "none named; use --columns or positions"
            raise ImportFileError(file, 1 if names else None, "--map",
                                  f"no column {column!r} for {field} (columns: {shown})")
    return index, dict(mapping)


def _records(file: str, line: int, stem: str, row: list[str], cells: dict[str, str],
             verdict_map: dict[str, str], seen_ids: dict[str, int]) -> Iterator[Record]:
    claim: dict[str, Any] = {f: v for f, v in cells.items() if f in CLAIM_FIELDS}
    described = {f: cells[f] for f in SOURCE_FIELDS if f in cells}
    if described:
        key = source_key(claim.get("source"))
        if ("source", key) not in seen_ids:  # the first row naming the source describes it
            seen_ids[("source", key)] = line
            rec = validate("source", {"id": key, "name": (claim.get("source") or key).strip(), **described}, file, line)
            yield Record(rec.line, rec.kind, rec.data, partial=True)
    if "id" not in claim:
        digest = hashlib.sha1("\x1f".join(row).encode("utf-8")).hexdigest()[:16]
        claim["id"] = f"{stem}-{digest}"
    # a cell names a source: the key of a source described here, else the name as written (the
    # import gives a source only named the id checks.source_key gives it, and keeps the name)
    named = (claim.get("source") or "").strip()
    claim["source"] = source_key(named) if described or not named else named
    for f in LIST_FIELDS:
        if f in claim:
            claim[f] = [x for x in re.split(r"[;,]", claim[f]) if x.strip()]
    if "via" in claim:
        claim["via"] = [v.strip() for v in claim["via"]]
    if "value" in claim:
        claim["value"] = csv_value(claim["value"])
    rec = validate("claim", claim, file, line)
    key = rec.data["id"]
    if key in seen_ids and "id" not in cells:  # the very same row twice: one claim
        return
    seen_ids.setdefault(key, line)
    yield rec
    label = cells.get("verdict")
    if label is None:
        return
    res: dict[str, Any] = {"claim": key, "verdict": verdict_map.get(verdict_label(label), label)}
    for f in ("at", "rationale", "evidence", "analyst"):
        if f in cells:
            res[f] = cells[f]
    try:
        yield validate("resolution", res, file, line)
    except ImportFileError as exc:
        if exc.field != "verdict":
            raise
        raise ImportFileError(file, line, "verdict", f"{exc.problem}; translate it with --verdict-map {label}=VERDICT") from None


__all__ = ["options", "read_mapped", "parse_mapping", "detect_quoting"]
