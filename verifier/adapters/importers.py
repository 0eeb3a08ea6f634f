"""Reading import files: JSON Lines and CSV into validated records.

Every problem is reported as ``FILE:LINE: field: problem``. Nothing here touches the
database; the import service applies the records inside one unit of work.

Validation is done field by field with the domain's own checks (not cattrs): the checks
must be strict (a number is not silently a string, a string is not a list of characters)
and fast (hundreds of thousands of lines per second), and each error must name its field.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from attrs import frozen

from verifier.domain import model


class ImportFileError(ValueError):
    """A bad line; the whole file is rejected. ``show_field``: the message names the field
    itself (``claim c1 already exists with different text``), so it is not put in front."""

    def __init__(self, file: str, line: int | None, field: str | None, problem: str, *, show_field: bool = True):
        self.file, self.line, self.field, self.problem, self.show_field = file, line, field, problem, show_field
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {field}: {problem}" if field and show_field else f"{where}: {problem}")


OnError = Callable[[ImportFileError], None]  # hears of a refused line; the reader goes on past it


@frozen
class Record:
    line: int
    kind: str
    data: dict  # validated, normalised field values
    partial: bool = False  # a source described by a few columns: a stored one keeps its other fields


MAX_LINE = 1_000_000  # characters; a longer line is refused, not parsed


# --------------------------------------------------------------------------- field parsers

# Each parser first accepts the common, already clean value inline (import speed: a
# million lines), and hands anything else to the domain's check, which says what is wrong.

def _key(v, f):
    if type(v) is str and v.isascii() and v.isprintable() and 0 < len(v) <= 200 and v[0] != " " and v[-1] != " ":
        return v
    return model.check_key(v, f)


def _opt_key(v, f):
    return None if v is None or v == "" else _key(v, f)


def _clean_text(v) -> bool:
    return type(v) is str and 0 < len(v) <= model.MAX_TEXT and not v[0].isspace() and not v[-1].isspace() and "\x00" not in v


def _text(v, f):
    return v if _clean_text(v) else model.check_text(v, f)


def _opt_text(v, f):
    return v if _clean_text(v) else model.check_text(v, f, required=False)


def _list(v, f):
    if type(v) is list and all(_clean_text(x) for x in v):
        return v
    return list(model.text_list(v, f))


def _date(v, f):
    if type(v) is str and len(v) == 10:
        try:
            return date.fromisoformat(v)  # the common case, YYYY-MM-DD
        except ValueError:
            pass  # said properly below
    if isinstance(v, str) and len(v.strip()) > 10:
        # a date and time is fine (the date as written is kept); "2020-05-18xyz" is not a date
        try:
            datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
        except ValueError:
            raise model.DomainError(f, f"not a date (YYYY-MM-DD): {v!r}") from None
    d = model.parse_date(v, f)
    return d


def _datetime(v, f):
    try:
        return model.parse_datetime(v, f)
    except OverflowError:  # "0001-01-01T00:00+01:00" is before year 1 in UTC
        raise model.DomainError(f, f"out of range: {v!r}") from None


def _score(v, f):
    if v is None or v == "":
        return None
    if isinstance(v, str):
        try:
            v = float(v)
        except ValueError:
            raise model.DomainError(f, f"not a number: {v!r}") from None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 100:
        raise model.DomainError(f, "must be a number from 0 to 100")
    return float(v)


def _raw(v, f):
    return v


def _enum(cls):
    def parse(v, f):
        return None if v is None or v == "" else cls.parse(v, f).value
    return parse


FIELDS: dict[str, dict[str, tuple[Callable[[Any, str], Any], bool]]] = {
    "source": {
        "id": (_key, True), "name": (_text, True), "aliases": (_list, False),
        "type": (_enum(model.SourceKind), False), "affiliation": (_opt_text, False),
        "parent": (_opt_key, False), "grade": (_enum(model.Grade), False), "notes": (_opt_text, False),
    },
    "document": {
        "id": (_key, True), "title": (_opt_text, False), "url": (_opt_text, False),
        "publisher": (_opt_key, False), "published": (_date, False), "retrieved": (_date, False),
    },
    "claim": {
        "id": (_key, True), "text": (_text, True), "source": (_key, True), "via": (_list, False),
        "document": (_opt_key, False), "published": (_date, False), "event_date": (_date, False),
        "location": (_opt_text, False), "tags": (_list, False), "subject": (_opt_text, False),
        "value": (_raw, False), "qualifier": (_raw, False), "unit": (_raw, False),
    },
    "link": {
        "from": (_key, True), "to": (_key, True), "relation": (_enum(model.Relation), True),
        "note": (_opt_text, False), "origin": (_enum(model.LinkOrigin), False),
        "state": (_enum(model.LinkState), False), "score": (_score, False), "analyst": (_opt_text, False),
    },
    "resolution": {
        "claim": (_key, True), "verdict": (_enum(model.Verdict), True), "at": (_datetime, False),
        "rationale": (_opt_text, False), "evidence": (_opt_text, False), "analyst": (_opt_text, False),
    },
    "dependency": {
        "source": (_key, True), "on": (_key, True), "note": (_opt_text, False),
    },
}
KINDS = tuple(FIELDS)


REQUIRED = {kind: tuple(name for name, (_parse, required) in spec.items() if required) for kind, spec in FIELDS.items()}


def validate(kind: Any, raw: dict, file: str, line: int) -> Record:
    if not isinstance(kind, str) or kind not in FIELDS:
        raise ImportFileError(file, line, "kind", f"unknown kind {kind!r} (one of: {', '.join(KINDS)})")
    spec = FIELDS[kind]
    data: dict[str, Any] = {}
    try:
        for name, value in raw.items():
            if name == "kind":
                continue
            entry = spec.get(name)
            if entry is None:
                raise ImportFileError(file, line, name, f"unknown field for a {kind}")
            data[name] = entry[0](value, name)
    except model.DomainError as exc:
        raise ImportFileError(file, line, exc.field, exc.problem) from None
    for name in REQUIRED[kind]:
        if data.get(name) in (None, ""):
            raise ImportFileError(file, line, name, "is required")
    if kind == "claim":
        if "value" in data or "qualifier" in data or "unit" in data:
            try:
                data["value"] = model.Value.parse(data.get("value"), data.pop("qualifier", None), data.pop("unit", None))
            except model.DomainError as exc:
                raise ImportFileError(file, line, exc.field, exc.problem) from None
        else:
            data["value"] = None
        via = data.get("via")
        if via:
            if data["source"] in via:
                raise ImportFileError(file, line, "via", f"the claim's own source {data['source']!r} cannot relay it")
            if len(set(via)) != len(via):
                raise ImportFileError(file, line, "via", "a relay chain names the same source twice")
    if kind == "link" and data["from"] == data["to"]:
        raise ImportFileError(file, line, "to", f"a claim cannot be linked to itself ({data['from']!r})")
    if kind == "dependency" and data["source"] == data["on"]:
        raise ImportFileError(file, line, "on", "a source cannot depend on itself")
    if kind == "source" and data.get("parent") == data["id"]:
        raise ImportFileError(file, line, "parent", "a source cannot be its own parent")
    return Record(line, kind, data)


# --------------------------------------------------------------------------- readers

def _decoded_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Lines of a UTF-8 file (a BOM is allowed, CRLF too); invalid UTF-8 names its line."""
    name = str(path)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(_raw_lines(fh), start=1):
            if len(raw) > MAX_LINE * 4:
                raise ImportFileError(name, lineno, None, f"line longer than {MAX_LINE} characters")
            try:
                text = decoder.decode(raw)
            except UnicodeDecodeError as exc:
                raise ImportFileError(name, lineno, None, f"not valid UTF-8 (byte {exc.start + 1})") from None
            if lineno == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield lineno, text.rstrip("\r\n")


def _raw_lines(fh) -> Iterator[bytes]:
    """The file's lines, but never more than MAX_LINE * 4 + 1 bytes at a time: a huge line
    (or a stream without newlines, such as /dev/zero) is refused, not read into memory whole."""
    return iter(lambda: fh.readline(MAX_LINE * 4 + 1), b"")


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
        for lineno, raw in enumerate(_raw_lines(fh), start=1):
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
    lines = _decoded_lines(path)
    # csv needs the text with newlines back; track physical line numbers per record
    buffer = _LineTracker(lines)
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
        obj["value"] = _csv_value(obj["value"])
    return validate(kind, obj, name, start)


def _csv_value(text: str):
    stripped = text.strip()
    if ".." in stripped:  # "10..20" is a range in CSV
        lo, _, hi = stripped.partition("..")
        try:
            return [float(lo), float(hi)]
        except ValueError:
            return text
    return text


class _LineTracker:
    """Feeds decoded lines to csv.reader and remembers the physical line number."""

    def __init__(self, lines: Iterator[tuple[int, str]]):
        self._lines = lines
        self.line = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        self.line, text = next(self._lines)
        return text + "\n"


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
        from verifier.adapters import interop

        fmt = "claimreview" if interop.looks_like_json_ld(path) else "jsonl"
    fmt = fmt or ("csv" if suffix in (".csv", ".tsv") else "claimreview" if suffix == ".jsonld" else "jsonl")
    if fmt == "csv":
        if suffix == ".tsv" and "delimiter" not in options:
            options["delimiter"] = "\t"
        if "mapping" in options:  # --map / --columns / --verdict-map: a claim table
            from verifier.adapters import tabular

            return tabular.read_mapped(path, on_error=on_error, **options)
        return read_csv(path, on_error=on_error, **options)
    if fmt == "claimreview":
        from verifier.adapters import interop

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
            for lineno, raw in enumerate(_raw_lines(src), start=1):
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
