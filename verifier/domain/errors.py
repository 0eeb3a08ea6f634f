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



class DomainError(ValueError):
    """A value a user supplied is not acceptable; the message names the field."""

    def __init__(self, field_name: str, problem: str):
        self.field = field_name
        self.problem = problem
        super().__init__(f"{field_name}: {problem}")



class NotFound(LookupError):
    """A referenced source, claim or link does not exist."""

    def __init__(self, kind: str, key: str):
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with id {key!r}")
