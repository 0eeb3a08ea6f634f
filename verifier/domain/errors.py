"""The one error type of every reader: a file that cannot be imported or ingested, named with
its line and field when they are known (``FILE:LINE: field: problem``), so the command line can
print it as one line. Nothing is written when it is raised."""

from __future__ import annotations


class ImportFileError(ValueError):
    """A bad line; the whole file is rejected. ``show_field``: the message names the field
    itself (``claim c1 already exists with different text``), so it is not put in front."""

    def __init__(self, file: str, line: int | None, field: str | None, problem: str, *, show_field: bool = True):
        self.file, self.line, self.field, self.problem, self.show_field = file, line, field, problem, show_field
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {field}: {problem}" if field and show_field else f"{where}: {problem}")
