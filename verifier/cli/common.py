"""What every command group of the command line shares: the context object and how the store
is opened, the one output decorator (``--json``, ``--nl``), tables, progress bars and
private output files. Group modules import this module and nothing else of the CLI."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import attrs
import click

from verifier import bootstrap
from verifier.cli import serialize
from verifier.cli.errors import EXIT_ERROR, safe
from verifier.domain.errors import NotFound

__all__ = ["EXIT_ERROR", "COUNT", "Ctx", "Col", "Bars", "current", "output", "group_listing", "show", "wants_json", "reading", "read_one", "safe",
           "show_command", "say_each", "table", "one_line", "private_file", "write_private", "check_folder", "print_history"]

COUNT = click.IntRange(min=0)  # --limit, --offset: a negative count is a mistake, not "all"

# resolve, link, the duplicates and copies decisions: refuse what changed after the SEQ a script read
UNCHANGED_SINCE = click.option(
    "--if-unchanged-since", "unchanged_since", type=COUNT, default=None, metavar="SEQ",
    help="Refuse (exit 1, nothing written) if anyone changed this claim's verdicts or this link after audit "
         "event SEQ (`claim show` prints it: as of event SEQ). Without it the latest write wins.")


def _say_waiting() -> None:
    click.echo("verifier: waiting for another writer to finish (a SQLite file takes one writer at a time)...", err=True)


class Ctx:
    """The context object: which store, who is acting, and the store once opened."""

    def __init__(self, db: str | None, analyst: str | None):
        self.db = db
        self.analyst = analyst or bootstrap.default_analyst()
        self._store = None

    @property
    def store(self) -> bootstrap.Store:
        """The store, for a command that writes: a missing database is created (in an
        existing folder only), and the user is told so on stderr."""
        return self.open(write=True)

    def open(self, *, write: bool) -> bootstrap.Store:
        """The store; a read never creates a database (a typo must not make an empty one)."""
        if self._store is None:
            self._store = bootstrap.connect(self.db, self.analyst, create=write, on_wait=_say_waiting)
        return self._store

    def settle(self, *, failed: bool) -> None:
        """After a command: say on stderr that it created the database; or, when it failed,
        remove a database it created and left empty (a failed first import leaves no file)."""
        store = self._store
        if store is None or not store.created:
            return
        if failed:
            self._store = None
            store.remove_if_empty()
        else:
            store.created = False
            click.echo(f"verifier: created a new database at {safe(store.where())}", err=True)


def current() -> Ctx:
    return click.get_current_context().find_object(Ctx)


@contextmanager
def reading(ctx: Ctx):
    with ctx.open(write=False).uow(readonly=True) as uow:
        yield uow.session


def read_one(ctx: Ctx, what: str, find: Callable[[Any, str], Any], key: str) -> Any:
    """What ``find(session, key)`` reads (a claim, a source, a document); when there is
    none, the one line saying so (``NotFound``: no {what} KEY)."""
    with reading(ctx) as session:
        found = find(session, key)
    if found is None:
        raise NotFound(what, key)
    return found


def show_command(group: click.Group, render: Callable[..., None], *options: Callable[[Any], Any]):
    """``GROUP show KEY [OPTIONS]``: one thing (a claim, a source, a document) by its key. The
    decorated ``fn(obj, key, **options)`` returns what it read (``read_one``), said by
    ``render`` or printed as JSON; ``options``: click options, listed in that order before --json."""

    def decorate(fn):
        command = output(render)(click.pass_obj(fn))
        for option in reversed(options):
            command = option(command)
        return group.command("show")(click.argument("key")(command))

    return decorate


# --------------------------------------------------------------------------- output

_MODE = "verifier.output"


def output(render: Callable[..., None] | None = None, *, nl: bool = False, help: str | None = None):
    """The one way a command says things. The command returns its data (or None when it has
    said everything itself); ``--json`` prints the data as one JSON document, ``--nl`` (on
    listings) one JSON object a line, and otherwise ``render(data, **params)`` writes it for
    a person (``params``: the command's own options and arguments)."""

    def decorate(fn):
        @functools.wraps(fn)
        def command(*args, as_json=False, as_nl=False, **params):
            mode = "nl" if as_nl else "json" if as_json else "text"
            click.get_current_context().meta[_MODE] = mode
            data = fn(*args, **params)
            if data is not None:
                show(data, render, **params)

        command = click.option("--json", "as_json", is_flag=True, help=help or "Print it as JSON.")(command)
        if nl:
            command = click.option("--nl", "as_nl", is_flag=True, help="Print newline-delimited JSON: one object a line.")(command)
        return command

    return decorate


def say_each(empty: str):
    """A listing's ``render`` made of one that says a row: each row in turn, or the one line
    ``empty`` (formatted with the command's params: "no {state} pairs") when there is none."""

    def decorate(say_row: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(say_row)
        def render(rows, **params) -> None:
            if not rows:
                click.echo(empty.format(**params))
            for row in rows:
                say_row(row, **params)

        return render

    return decorate


def group_listing(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A command group's own listing (``verifier duplicates``, ``verifier audit``): ``fn(obj,
    **params)``'s data when the group is called without a subcommand, and nothing (the
    subcommand speaks) when it is."""

    @functools.wraps(fn)
    @click.pass_context
    def listing(ctx, *args, **params):
        if ctx.invoked_subcommand:
            return None
        return fn(ctx.obj, *args, **params)

    return listing


def wants_json() -> bool:
    """Did the user ask for JSON (``--json`` or ``--nl``)? A command that speaks as it goes
    (one line per file imported) stays quiet then."""
    return click.get_current_context().meta.get(_MODE, "text") != "text"


def show(data: Any, render: Callable[..., None] | None = None, **params) -> None:
    """Print ``data`` as the current command's output mode asks."""
    mode = click.get_current_context().meta.get(_MODE, "text")
    if mode == "json":
        click.echo(serialize.dumps(data))
    elif mode == "nl":
        for line in serialize.lines(data):
            click.echo(line)
    elif render is not None:
        render(data, **params)


# --------------------------------------------------------------------------- tables

@attrs.frozen
class Col:
    """A table column. ``cut``: user text, cut (ending in "…") to fit the terminal; the other
    columns (counts, scores, dates) are never cut."""

    header: str
    right: bool = False
    cut: bool = False


def width() -> int:
    """The terminal's width when writing to one (or $COLUMNS), else 80."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return 80


def one_line(value: Any) -> str:
    """A cell's text: user text made safe, on one line."""
    return " ".join(safe(value).split()) if isinstance(value, str) else safe(value)


def table(columns: Sequence[Col], rows: Sequence[Sequence[Any]], *, total: int | None = None) -> None:
    """Rows drawn as a rich table fitting ``total`` columns (the terminal's width): user text
    is data (never markup), cut columns end their cuts with "…", counts are never cut."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cells = [[one_line(v) for v in row] for row in rows]
    natural = [max([cell_len(c.header)] + [cell_len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    widths = _fit(natural, [c.cut for c in columns], total or width())
    grid = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, header_style="", highlight=False)
    for col, w in zip(columns, widths, strict=True):
        grid.add_column(col.header, width=w, no_wrap=True, overflow="ellipsis", justify="right" if col.right else "left")
    for row in cells:
        grid.add_row(*(Text(c) for c in row))
    buffer = StringIO()
    Console(file=buffer, width=sum(widths) + 2 * len(widths), color_system=None, markup=False, emoji=False,
            highlight=False).print(grid)
    for line in buffer.getvalue().splitlines():
        click.echo(line.rstrip())


def _fit(natural: list[int], cut: list[bool], total: int) -> list[int]:
    """Column widths within ``total`` (two spaces between columns): the widest cut column
    gives way first, never below 8 characters; the other columns keep their width."""
    widths = list(natural)
    while sum(widths) + 2 * (len(widths) - 1) > total:
        cuttable = [i for i, c in enumerate(cut) if c and widths[i] > 8]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def print_history(history) -> None:
    """A claim's or a source's audit history, oldest first."""
    if not history:
        return
    click.echo("  history:")
    for ev in history:
        what = ev.action
        if ev.action == "import":
            what = f"imported from {(ev.after or {}).get('file')}"
        elif ev.action == "note":
            what = f"note: {(ev.after or {}).get('note')}"
        elif ev.action == "withdraw-note":
            what = f"withdrew note: {(ev.before or {}).get('note')}"
        elif ev.action == "edit" and ev.entity == "claim":
            from verifier.domain.model import changed_fields

            what = f"edit ({', '.join(changed_fields(ev.before or {}, ev.after or {}))})"
        click.echo(f"    #{ev.seq} {ev.at[:19]} {safe(ev.analyst)}: {safe(what)}")


# --------------------------------------------------------------------------- long work and files

class Bars:
    """Progress bars on stderr for long work, one per stage (none for short work)."""

    def __init__(self):
        self._progress = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.stop()

    def bar(self, label: str, total: int, *, at_least: int = 1):
        """An ``advance(n)`` for a new bar of ``total`` steps, or None below ``at_least``."""
        if total < at_least:
            return None
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self._progress.start()
        progress, task = self._progress, self._progress.add_task(label, total=total)
        step, pending = min(2000, max(1, total // 100)), [0]

        def advance(n: int = 1):
            pending[0] += n
            if pending[0] >= step:
                progress.advance(task, pending[0])
                pending[0] = 0

        return advance


def check_folder(path: Path) -> None:
    """An output file's folder must exist: one line naming it, not a temporary file's name."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise click.ClickException(f"no folder {folder} to write {path.name} in")


@contextmanager
def private_file(path: Path):
    """A file readable by its owner only, written whole or not at all."""
    check_folder(path)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
        os.replace(tmp, path)
        os.chmod(path, 0o600)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private(path: Path | None, text: str) -> None:
    if path is None:
        click.echo(text)
        return
    with private_file(path) as fh:
        fh.write(text)
