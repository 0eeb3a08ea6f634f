"""``verifier document add|show``: the documents claims were read in (so that
``claim add --document KEY`` has something to name)."""

from __future__ import annotations

import click

from verifier import views
from verifier.cli.common import Ctx, output, read_one, safe, show_command
from verifier.domain.display import shorten


@click.group("document")
def document_group():
    """Add or show a document (where claims were read)."""


@document_group.command("add")
@click.argument("key")
@click.option("--title", default=None)
@click.option("--url", default=None)
@click.option("--publisher", default=None, help="The source that published it (a source id).")
@click.option("--published", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--retrieved", type=click.DateTime(["%Y-%m-%d"]), default=None)
@output(lambda snap, key, **_: click.echo(f"added document {safe(key)}"))
@click.pass_obj
def document_add(obj: Ctx, key, title, url, publisher, published, retrieved):
    """Add a document; `claim add --document KEY` then names it."""
    from verifier.services import commands

    return commands.add_document(obj.store.uow(), key, title=title, url=url, publisher=publisher,
                                 published=published.date() if published else None,
                                 retrieved=retrieved.date() if retrieved else None)


def _say_document(d, **_) -> None:
    click.echo(f"[{safe(d.id)}] {safe(d.title or '(no title)')}")
    for f in ("url", "publisher", "published", "retrieved"):
        if getattr(d, f):
            click.echo(f"  {f}: {safe(getattr(d, f))}")
    click.echo(f"  claims: {d.claim_count}")
    for c in d.claims:
        click.echo(f"    [{safe(c.id)}] {shorten(safe(c.text), 150)}")


@show_command(document_group, _say_document)
def document_show(obj: Ctx, key):
    """One document: title, url, publisher, dates, and the claims read in it."""
    return read_one(obj, "document", views.document_detail, key)


COMMANDS = (document_group,)
