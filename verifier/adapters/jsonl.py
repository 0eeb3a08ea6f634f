"""The JSON Lines reader: one object of the import format per line (see DESIGN.md, "Import
format"), each validated into a record; every problem reported as ``FILE:LINE: field: problem``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from verifier.adapters.decoding import MAX_LINE, ImportFileError, OnError, Record, raw_lines, repeated_key, validate


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
    if (twice := repeated_key(raw, obj)) is not None:
        raise ImportFileError(name, lineno, twice, "given twice in one object (which one is meant?)")
    if "kind" not in obj:
        raise ImportFileError(name, lineno, "kind", "is required")
    return validate(obj["kind"], obj, name, lineno)
