"""Long lists of ids cut to fit one SQL ``IN (...)`` list, and rows read that way."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

IN_LIST = 500  # ids per IN (...) list: well under SQLite's variable limit, small plans on PostgreSQL


def chunks(items: Sequence, size: int = IN_LIST) -> Iterator[Sequence]:
    """``items`` in consecutive slices of at most ``size``."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def rows_by(session, query, column, ids: Sequence, size: int = IN_LIST) -> list[Any]:
    """The rows of ``query`` whose ``column`` is one of ``ids``, one ``IN (...)`` per slice."""
    rows: list[Any] = []
    for chunk in chunks(ids, size):
        rows += session.execute(query.where(column.in_(chunk))).all()
    return rows
