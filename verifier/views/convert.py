"""Rows as JSON, through the one cattrs converter of verifier.

attrs rows, dates and datetimes, enums, tuples and sets, and plain dicts and lists all become
JSON the same way, whichever command, report or screen asks. The read side's rows print with
the keys the command line has always printed (``views.rows`` says how).
"""

from __future__ import annotations

import enum
import json
from pathlib import PurePath
from typing import Any

from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter

from verifier.views import rows

_converter = make_converter()
_converter.register_unstructure_hook(enum.Enum, lambda e: e.value)
_converter.register_unstructure_hook(PurePath, str)


def _register(cls: type, *, omit_none: tuple[str, ...] = (), **overrides) -> None:
    """``cls`` unstructured field by field (with ``overrides``), in its fields' order: a
    ``figure`` spread into its own keys where it stands (none when the claim has no value),
    the ``omit_none`` fields left out when None."""
    fields = make_dict_unstructure_fn(cls, _converter, **overrides)

    def unstructure(obj) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in fields(obj).items():
            if key == "figure":
                out.update(value or {})
            elif value is not None or key not in omit_none:
                out[key] = value
        return out

    _converter.register_unstructure_hook(cls, unstructure)


# the parts first: a row's hook takes its parts' hooks as they stand when it is made
_register(rows.Link, from_=override(rename="from"))
_register(rows.ClaimRow)
_register(rows.ClaimDetail, omit_none=("document",))
_register(rows.SourceRow, omit_none=("topic",))


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
