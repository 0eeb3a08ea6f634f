"""The command line's one error handler: every failure is one line on stderr and an exit code.

The project's own errors (a bad import file, a value the domain refuses, something not found,
a store that is missing or of another schema, a report that cannot be read) say what went
wrong in their message; database refusals are named for what they mean (a read-only role);
click's usage errors lose their usage block; anything else is a bug, still one line.
"""

from __future__ import annotations

import os
import sys

import click

from verifier import bootstrap
from verifier.adapters.importers import ImportFileError
from verifier.adapters.nlp import ModelError
from verifier.domain.display import HOSTILE
from verifier.domain.errors import DomainError, NotFound
from verifier.domain.extraction.documents import DocumentError

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130

#: Errors whose message is already the line a user should read.
SAID = (ImportFileError, DomainError, NotFound, bootstrap.SchemaError, DocumentError, ModelError)


def safe(text) -> str:
    """Text from users, made harmless for a terminal: control and bidi characters are
    shown as escapes, never interpreted."""
    if text is None:
        return ""
    return HOSTILE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def fail(message: str, code: int = EXIT_ERROR):
    click.echo(f"verifier: {safe(message)}", err=True)
    sys.exit(code)


def explain(exc: BaseException) -> tuple[str, int] | None:
    """The line and exit code for an error a command let through; None: let it pass
    (click's own exits and aborts, SystemExit)."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit)):
        return None
    if isinstance(exc, SAID):
        return str(exc), EXIT_ERROR
    if isinstance(exc, DBAPIError):
        return _database(exc), EXIT_ERROR
    if isinstance(exc, ImportError):  # a missing extra names itself and how to install it
        return str(exc), EXIT_ERROR
    if isinstance(exc, OSError):
        return f"{exc.filename or ''}: {exc.strerror or exc}".strip(": "), EXIT_ERROR
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted; nothing from the interrupted step was kept", EXIT_INTERRUPTED
    if isinstance(exc, Exception) and not os.environ.get("VERIFIER_DEBUG"):
        # a bug: still one line, nothing half-written (the unit of work rolled back)
        return f"internal error: {type(exc).__name__}: {exc} (set VERIFIER_DEBUG=1 for details)", EXIT_ERROR
    return None


def _database(exc) -> str:
    text = str(exc.orig) if getattr(exc, "orig", None) is not None else str(exc)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    lowered = first.lower()
    if "permission denied" in lowered or "read-only" in lowered or "readonly" in lowered:
        return f"permission denied: this database role may only read ({first})"
    if "append-only" in first:
        return "the audit log is append-only"
    return f"database error: {first}"


def _one_line(exc: click.ClickException) -> str:
    """click's message on one line; a usage error says where to read more."""
    text = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        where = f"{ctx.command_path.partition(' ')[2]}: " if ctx.parent is not None else ""
        text = f"{where}{text} (see `{ctx.command_path} --help`)"
    return text


class Handled(click.Group):
    """The root group: runs a command, then says on stderr whether it created the store (or
    removes the store a failed command created), and turns every error into one line."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # `verifier` alone: the help, as click gives it
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            fail(_one_line(exc), exc.exit_code)
        except click.Abort:
            fail("aborted")
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx):
        try:
            out = super().invoke(ctx)
        except BrokenPipeError:
            # the reader went away (e.g. `| head`): not an error worth a message
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            self._after(ctx, failed=False)
            sys.exit(0)
        except BaseException as exc:
            said = explain(exc)
            code = getattr(exc, "code", getattr(exc, "exit_code", EXIT_ERROR)) if said is None else said[1]
            self._after(ctx, failed=code not in (0, None))
            if said is None:
                raise
            fail(*said)
        self._after(ctx, failed=False)
        return out

    @staticmethod
    def _after(ctx, *, failed: bool) -> None:
        store = getattr(ctx.obj, "settle", None)
        if store is not None:
            store(failed=failed)
