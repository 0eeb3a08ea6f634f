"""The command line: ``verifier``. click handles the options (groups, env-var defaults) better
than argparse would.

Each module of this package is one group of commands and imports only ``common`` (the context
object, the store, the output decorator, tables); this module builds the root group and
registers them. Every read command takes ``--json`` (the big listings ``--nl`` too) and then
prints JSON on stdout and nothing else. Errors print one line on stderr and exit non-zero
(``errors.Handled``); nothing half-done is kept.
"""

from __future__ import annotations

import click

from verifier.cli import admin, claims, documents, duplicates, imports, proposals, sources, team
from verifier.cli.common import Ctx
from verifier.cli.errors import Handled

GROUPS = (imports, sources, claims, duplicates, proposals, documents, team, admin)


@click.group(cls=Handled, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="VERIFIER_DB", default=None, metavar="PATH_OR_URL",
              help="SQLite file or postgresql+psycopg:// URL (env VERIFIER_DB; default: a file in your data directory).")
@click.option("--analyst", envvar="VERIFIER_ANALYST", default=None, help="Who is acting (env VERIFIER_ANALYST; default: login name).")
@click.version_option(package_name="verifier")
@click.pass_context
def cli(ctx, db, analyst):
    """verifier: track claims, their sources and relay chains, corroboration and track records."""
    ctx.obj = Ctx(db, analyst)


for _group in GROUPS:
    for _command in _group.COMMANDS:
        cli.add_command(_command)


def main(argv=None) -> None:
    cli.main(args=argv, prog_name="verifier")


__all__ = ["cli", "main"]
