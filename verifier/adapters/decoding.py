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
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from attrs import frozen

from verifier.domain.checks import (
    MAX_TEXT,
    check_dependency,
    check_key,
    check_link_ends,
    check_parent,
    check_relays,
    check_text,
    parse_date,
    text_list,
    verdict_time,
)
from verifier.domain.errors import DomainError, ImportFileError
from verifier.domain.values import Value
from verifier.domain.vocabulary import Grade, LinkOrigin, LinkState, Relation, SourceKind, Verdict

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
    return check_key(v, f)


def _opt_key(v, f):
    return None if v is None or v == "" else _key(v, f)


def _clean_text(v) -> bool:
    return type(v) is str and 0 < len(v) <= MAX_TEXT and not v[0].isspace() and not v[-1].isspace() and "\x00" not in v


def _text(v, f):
    return v if _clean_text(v) else check_text(v, f)


def _opt_text(v, f):
    return v if _clean_text(v) else check_text(v, f, required=False)


def _list(v, f):
    if type(v) is list and all(_clean_text(x) for x in v):
        return v
    return list(text_list(v, f))


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
            raise DomainError(f, f"not a date (YYYY-MM-DD): {v!r}") from None
    d = parse_date(v, f)
    return d


def _datetime(v, f):
    try:
        return verdict_time(v, f)
    except OverflowError:  # "0001-01-01T00:00+01:00" is before year 1 in UTC
        raise DomainError(f, f"out of range: {v!r}") from None


def _score(v, f):
    if v is None or v == "":
        return None
    if isinstance(v, str):
        try:
            v = float(v)
        except ValueError:
            raise DomainError(f, f"not a number: {v!r}") from None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 100:
        raise DomainError(f, "must be a number from 0 to 100")
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
        "type": (_enum(SourceKind), False), "affiliation": (_opt_text, False),
        "parent": (_opt_key, False), "grade": (_enum(Grade), False), "notes": (_opt_text, False),
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
        "from": (_key, True), "to": (_key, True), "relation": (_enum(Relation), True),
        "note": (_opt_text, False), "origin": (_enum(LinkOrigin), False),
        "state": (_enum(LinkState), False), "score": (_score, False), "analyst": (_opt_text, False),
    },
    "resolution": {
        "claim": (_key, True), "verdict": (_enum(Verdict), True), "at": (_datetime, False),
        "rationale": (_opt_text, False), "evidence": (_opt_text, False), "analyst": (_opt_text, False),
    },
    "dependency": {
        "source": (_key, True), "on": (_key, True), "note": (_opt_text, False),
    },
}
KINDS = tuple(FIELDS)


REQUIRED = {kind: tuple(name for name, (_parse, required) in spec.items() if required) for kind, spec in FIELDS.items()}


def validate(kind: Any, raw: dict, file: str, line: int) -> Record:
    """One record of the import format, its fields parsed and the domain's rules checked
    (:mod:`verifier.domain.model`); every problem an :class:`ImportFileError` naming the field."""
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
        for name in REQUIRED[kind]:
            if data.get(name) in (None, ""):
                raise DomainError(name, "is required")
        _RULES[kind](data)
    except DomainError as exc:
        raise ImportFileError(file, line, exc.field, exc.problem) from None
    return Record(line, kind, data)


def _claim_rules(data: dict) -> None:
    if "value" in data or "qualifier" in data or "unit" in data:
        data["value"] = Value.parse(data.get("value"), data.pop("qualifier", None), data.pop("unit", None))
    else:
        data["value"] = None
    check_relays(data["source"], data.get("via") or ())


_RULES: dict[str, Callable[[dict], None]] = {
    "source": lambda d: check_parent(d["id"], d.get("parent")),
    "document": lambda d: None,
    "claim": _claim_rules,
    "link": lambda d: check_link_ends(d["from"], d["to"]),
    "resolution": lambda d: None,
    "dependency": lambda d: check_dependency(d["source"], d["on"]),
}


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


# --------------------------------------------------------------------------- reader options


def name_value_pairs(text: str, option: str) -> list[tuple[str, str]]:
    """``a=b,c=d`` -> [("a", "b"), ("c", "d")]; a part that is not ``name=value`` is an error
    naming ``option``."""
    out = []
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise DomainError(option, f"expected name=value, got {part.strip()!r}")
        out.append((name.strip(), value.strip()))
    return out


def verdict_label(text: str) -> str:
    """A file's verdict label as ``--verdict-map`` spells it: "Pants on Fire" -> ``pants-on-fire``."""
    return re.sub(r"[\s_\-]+", "-", text.strip().lower()).strip("-")


def parse_verdict_map(text: str | None) -> dict[str, str]:
    """``pants-fire=false,barely-true=mostly-false`` -> {label (:func:`verdict_label`): verdict}."""
    if not text:
        return {}
    return {verdict_label(label): Verdict.parse(verdict, "--verdict-map").value
            for label, verdict in name_value_pairs(text, "--verdict-map")}


# --------------------------------------------------------------------------- duplicate keys

_KEY_END = re.compile(rb'"[ \t]*:')


def _count_keys(obj: Any) -> int:
    if isinstance(obj, dict):
        return len(obj) + sum(_count_keys(v) for v in obj.values())
    if isinstance(obj, list):
        return sum(_count_keys(v) for v in obj)
    return 0


def repeated_key(raw: bytes | str, parsed: Any) -> str | None:
    """The first key an object of this JSON text gives twice, or None. JSON parsers keep the
    last of two ("id": "x7", ... "id": "x7b" reads as x7b) and orjson cannot say; a cheap
    bound decides first: every key ends in '"' then ':', so when the parsed objects hold as
    many keys as the text has such ends, no key was repeated. Only otherwise (a '":' inside a
    string, or a real repeat) is the text parsed again, with the stdlib's object_pairs_hook."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if len(_KEY_END.findall(data)) <= _count_keys(parsed):
        return None
    return first_repeated_key(data.decode("utf-8", errors="replace"))


def first_repeated_key(text: str) -> str | None:
    """The first key repeated within one object of the JSON ``text`` (the exact, slower check)."""
    import json

    found: list[str] = []

    def pairs(items):
        seen = set()
        for k, _ in items:
            if k in seen and not found:
                found.append(k)
            seen.add(k)
        return dict(items)

    try:
        json.loads(text, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return None
    return found[0] if found else None
