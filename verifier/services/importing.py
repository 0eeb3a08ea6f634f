"""Importing a file: all of it inside one unit of work, or none of it.

The records are validated first (``adapters.importers``), then planned against what the
database holds (new, unchanged, changed), then written with Core executemany.
Re-importing the same file changes nothing.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from verifier.adapters.importers import FORMATS, ImportFileError, Record, read_file
from verifier.services.import_plan import Plan

Progress = Callable[[int], None]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def import_file(uow, path: str | Path, *, fmt: str | None = None, progress: Progress | None = None,
                detect: bool = True, detect_progress: Callable[[int], Progress | None] | None = None,
                update: bool = False, rejects: list[ImportFileError] | None = None, shown_as: str | None = None,
                **options) -> dict[str, int]:
    """Validate and import one file atomically; returns the counts of what was added/changed.
    ``progress(n)`` hears of the records read; ``detect_progress(new_claims)`` may give a
    second ``progress`` for the near-duplicate detection that follows.

    A record whose id is stored with other content rejects the file, unless ``update``:
    then each such change is an audited edit, and what was computed from the old content
    is computed again (``services.revision``).

    ``shown_as``: the name the audit log and errors give the file (the demo's fixtures are
    named, not the folder of the installed package they lie in); default its path.

    ``rejects``: bad lines do not reject the file; each is skipped and its error appended
    here, and the good lines are imported (still atomically). A line refused only once the
    file is weighed against the store (a link to a refused claim, a conflict) undoes the
    attempt, and the file is imported again without it."""
    path = Path(path)
    records = read_file(path, fmt, **options)
    if path.exists() and not path.is_file():
        # a pipe would be consumed by the checksum below and import nothing; a device never ends
        raise ImportFileError(str(path), None, None, "not a regular file (a pipe or a device): save it to a file first")
    sha = file_sha256(path) if path.exists() else ""
    name = shown_as or str(path)
    if rejects is None:
        return import_records(uow, records, name, sha, progress=progress, detect=detect,
                              detect_progress=detect_progress, update=update)
    set_aside: dict[int, ImportFileError] = {}  # refused after reading, by line
    while True:
        refused: list[ImportFileError] = []
        records = (r for r in read_file(path, fmt, on_error=refused.append, **options) if r.line not in set_aside)
        try:
            counts = import_records(uow, records, name, sha, progress=progress, detect=detect,
                                    detect_progress=detect_progress, update=update)
        except ImportFileError as exc:
            if exc.line is None or exc.line in set_aside or len(set_aside) >= MAX_SET_ASIDE:
                raise
            uow.rollback()
            set_aside[exc.line] = exc
            continue
        rejects.extend(sorted([*refused, *set_aside.values()], key=lambda e: e.line or 0))
        return counts


MAX_SET_ASIDE = 1000  # lines refused only after reading (each costs one more pass over the file)


def import_records(uow, records: Iterable[Record], file: str, sha256: str = "", *,
                   progress: Progress | None = None, detect: bool = True,
                   detect_progress: Callable[[int], Progress | None] | None = None,
                   update: bool = False) -> dict[str, int]:
    with _no_cycle_collection():
        plan = Plan(file, update)
        for rec in records:
            plan.add(rec)
            if progress:
                progress(1)
        return plan.write(uow, sha256, detect=detect, detect_progress=detect_progress)


@contextmanager
def _no_cycle_collection():
    """Pause Python's cycle collector. A big file makes millions of small dicts and lists
    that live until the import ends; the collector would walk them all again and again
    (200k claims: 40% of the time spent reading). They hold no cycles, so reference
    counting alone frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["FORMATS", "import_file", "import_records"]
