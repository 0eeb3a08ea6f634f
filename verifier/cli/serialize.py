"""JSON out of the command line, through one cattrs converter.

attrs rows, dates and datetimes, enums, tuples and sets, and plain dicts and lists all
become JSON the same way, whichever command prints them.
"""

from __future__ import annotations

import enum
import json
from pathlib import PurePath
from typing import Any

from cattrs.preconf.json import make_converter

_converter = make_converter()
_converter.register_unstructure_hook(enum.Enum, lambda e: e.value)
_converter.register_unstructure_hook(PurePath, str)


def plain(data: Any) -> Any:
    """``data`` as JSON-ready Python: dicts, lists, strings, numbers, booleans and None."""
    return _converter.unstructure(data)


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """One JSON document; non-ASCII text stays as it is (the terminal shows it)."""
    separators = None if indent else (",", ":")
    return json.dumps(plain(data), ensure_ascii=False, indent=indent, separators=separators, default=str)


def lines(data: Any) -> list[str]:
    """Newline-delimited JSON: one compact object a line for each item of a listing
    (a single object is one line)."""
    items = data if isinstance(data, list | tuple) else [data]
    return [dumps(item, indent=None) for item in items]
