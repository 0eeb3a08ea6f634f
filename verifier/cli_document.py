"""``verifier document add|show``: the documents claims were read in (so that
``claim add --document KEY`` has something to name)."""

from __future__ import annotations

import click

from verifier import views
from verifier.cli import Ctx, Verifier, emit_json, reading, safe
from verifier.domain.display import shorten
from verifier.domain.model import NotFound


@click.group("document", cls=Verifier)
def document_group():
    """Add or show a document (where claims were read)."""


@document_group.command("add")
@click.argument("key")
@click.option("--title", default=None)
@click.option("--url", default=None)
@click.option("--publisher", default=None, help="The source that published it (a source id).")
@click.option("--published", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--retrieved", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def document_add(obj: Ctx, key, title, url, publisher, published, retrieved, as_json):
    """Add a document; `claim add --document KEY` then names it."""
    from verifier.services import commands

    snap = commands.add_document(obj.store.uow(), key, title=title, url=url, publisher=publisher,
                                 published=published.date() if published else None,
                                 retrieved=retrieved.date() if retrieved else None)
    emit_json(snap) if as_json else click.echo(f"added document {safe(key)}")


@document_group.command("show")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def document_show(obj: Ctx, key, as_json):
    """One document: title, url, publisher, dates, and the claims read in it."""
    with reading(obj) as session:
        d = views.document_detail(session, key)
    if d is None:
        raise NotFound("document", key)
    if as_json:
        emit_json(d)
        return
    click.echo(f"[{safe(d['id'])}] {safe(d['title'] or '(no title)')}")
    for f in ("url", "publisher", "published", "retrieved"):
        if d[f]:
            click.echo(f"  {f}: {safe(d[f])}")
    click.echo(f"  claims: {d['claim_count']}")
    for c in d["claims"]:
        click.echo(f"    [{safe(c['id'])}] {shorten(safe(c['text']), 150)}")
