"""The command-line reference, docs/cli-reference.md, written from each command's ``--help``.

The page is generated so that it cannot drift from the code: ``tests/unit/test_cli_reference.py``
fails when the committed page differs from what this script writes.

    python docs/cli_reference.py --write    # regenerate docs/cli-reference.md
    python docs/cli_reference.py            # check: exit 1 and say so when the page is stale

The help is laid out at a fixed width (``WIDTH``) whatever the terminal, so the page is the same
on every machine. Commands are listed depth first, in the order ``verifier --help`` lists them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import click

PAGE = Path(__file__).resolve().parent / "cli-reference.md"
# click lays help out at min(terminal, 80) - 2 columns: fixing 78 here gives what `verifier CMD --help`
# prints on any terminal 80 columns or wider, whatever the terminal this script runs in
WIDTH = 78
REGENERATE = "python docs/cli_reference.py --write"

HEADER = f"""\
# Command-line reference

Every command's `--help`, as `verifier` prints it. This page is generated from the code by
`docs/cli_reference.py`: run `{REGENERATE}` after changing a command or an
option (a test fails while this page is stale).

Options common to every command (`--db`, `--analyst`) go before the command's name:
`verifier --db demo.db claims --unresolved`.
"""


def walk(command: click.Command, ctx: click.Context) -> Iterator[tuple[str, click.Context]]:
    """Each command under ``command`` (itself first) with a context of its own, depth first."""
    yield ctx.command_path, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            yield from walk(sub, click.Context(sub, info_name=name, parent=ctx, **sub.context_settings))


def render() -> str:
    """The reference page as markdown: one section per command, its help in a text block."""
    from verifier.cli import cli

    root = click.Context(cli, info_name="verifier", terminal_width=WIDTH, max_content_width=WIDTH + 2, **cli.context_settings)
    parts = [HEADER]
    for path, ctx in walk(cli, root):
        level = "#" * min(path.count(" ") + 2, 4)
        help_text = ctx.command.get_help(ctx).rstrip()
        parts.append(f"{level} `{path}`\n\n```text\n{help_text}\n```\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {PAGE.name} (default: check it)")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        PAGE.write_text(text, encoding="utf-8")
        print(f"wrote {PAGE}")
        return 0
    if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
        print(f"{PAGE} is stale: run `{REGENERATE}`", file=sys.stderr)
        return 1
    print(f"{PAGE.name} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
