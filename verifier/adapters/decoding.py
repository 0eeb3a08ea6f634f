"""One record format for every import file: the records (``Record``), their fields and the
domain checks that validate them (``validate``), the one error type (``ImportFileError``,
``FILE:LINE: field: problem``) and the one line decoder (``decoded_lines``: UTF-8, a BOM
allowed, no line longer than ``MAX_LINE``). Every reader (JSON Lines, CSV, mapped CSV,
ClaimReview) builds on this module; none imports another.

Validation is done field by field with the domain's own checks (not cattrs): the checks
must be strict (a number is not silently a string, a string is not a list of characters)
and fast (hundreds of thousands of lines per second), and each error must name its field.
"""

from __future__ import annotations

import codecs
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
    try:  # the domain's own rules, written once in ``domain.model``
        if kind == "claim":
            model.check_via(data["source"], list(data.get("via") or ()))
        elif kind == "link":
            model.check_link_ends(data["from"], data["to"])
        elif kind == "dependency":
            model.check_dependency(data["source"], data["on"])
    except model.DomainError as exc:
        raise ImportFileError(file, line, exc.field, exc.problem) from None
    if kind == "source" and data.get("parent") == data["id"]:
        raise ImportFileError(file, line, "parent", "a source cannot be its own parent")
    return Record(line, kind, data)


# --------------------------------------------------------------------------- readers

def decoded_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Lines of a UTF-8 file (a BOM is allowed, CRLF too); invalid UTF-8 names its line."""
    name = str(path)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(raw_lines(fh), start=1):
            if len(raw) > MAX_LINE * 4:
                raise ImportFileError(name, lineno, None, f"line longer than {MAX_LINE} characters")
            try:
                text = decoder.decode(raw)
            except UnicodeDecodeError as exc:
                raise ImportFileError(name, lineno, None, f"not valid UTF-8 (byte {exc.start + 1})") from None
            if lineno == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield lineno, text.rstrip("\r\n")


def raw_lines(fh) -> Iterator[bytes]:
    """The file's lines, but never more than MAX_LINE * 4 + 1 bytes at a time: a huge line
    (or a stream without newlines, such as /dev/zero) is refused, not read into memory whole."""
    return iter(lambda: fh.readline(MAX_LINE * 4 + 1), b"")


def csv_value(text: str):
    stripped = text.strip()
    if ".." in stripped:  # "10..20" is a range in CSV
        lo, _, hi = stripped.partition("..")
        try:
            return [float(lo), float(hi)]
        except ValueError:
            return text
    return text


class LineTracker:
    """Feeds decoded lines to csv.reader and remembers the physical line number."""

    def __init__(self, lines: Iterator[tuple[int, str]]):
        self._lines = lines
        self.line = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        self.line, text = next(self._lines)
        return text + "\n"
