"""Sources: the listing with track records, and one source (add, edit, depends, show)."""

from __future__ import annotations

import functools

import click

from verifier import views
from verifier.cli.common import COUNT, Col, Ctx, output, print_history, read_one, reading, safe, show_command, table

SOURCE_COLUMNS = (Col("id", cut=True), Col("name", cut=True), Col("claims", right=True), Col("res", right=True),
                  Col("score", right=True), Col("90% interval"), Col("letter"))


def _say_sources(rows, topic, **_) -> None:
    if not rows:
        click.echo("no sources")
        return
    if topic:
        click.echo(f"records on {safe(topic)} (claims tagged so, or with that subject)")
    table(SOURCE_COLUMNS, [(r.id, r.name, r.claims, r.resolved, f"{r.score:.2f}",
                            f"{r.low:.2f}-{r.high:.2f}", r.letter) for r in rows])


@click.command("sources")
@click.option("--search", default=None, help="Only sources whose name or id contains this.")
@click.option("--sort", "order", type=click.Choice(["score", "low", "name", "claims"]), default="score", show_default=True,
              help="low: by the lower end of the 90% interval (a short record does not top the list).")
@click.option("--topic", default=None, help="The record on this tag or subject only.")
@click.option("--limit", type=COUNT, default=None)
@output(_say_sources, nl=True)
@click.pass_obj
def sources_(obj: Ctx, search, order, topic, limit):
    """List sources with their track records."""
    with reading(obj) as session:
        return views.sources(session, search=search, order=order, limit=limit, topic=topic)


@click.group("source")
def source_group():
    """Add, show or edit one source; declare dependencies."""


@source_group.command("add")
@click.argument("key")
@click.option("--name", required=True)
@click.option("--type", "kind", default=None, help="outlet, monitor, social, official, think-tank, individual, unknown")
@click.option("--alias", "aliases", multiple=True)
@click.option("--affiliation", default=None)
@click.option("--parent", default=None, help="The network or owner it belongs to (a source id).")
@click.option("--grade", default=None, help="Admiralty reliability grade A-F (G: deliberately deceptive).")
@click.option("--notes", default=None)
@output(lambda snap, key, **_: click.echo(f"added source {safe(key)}"))
@click.pass_obj
def source_add(obj: Ctx, key, name, kind, aliases, affiliation, parent, grade, notes):
    """Add a source."""
    from verifier.services import commands

    return commands.add_source(obj.store.uow(), key, name, kind=kind, aliases=aliases, affiliation=affiliation,
                               parent=parent, grade=grade, notes=notes)


@source_group.command("edit")
@click.argument("key")
@click.option("--name", default=None)
@click.option("--type", "kind", default=None)
@click.option("--affiliation", default=None)
@click.option("--parent", default=None)
@click.option("--grade", default=None)
@click.option("--notes", default=None)
@click.option("--alias", "add_aliases", multiple=True,
              help="Another name it goes by, in any script (repeat): «المرصد السوري لحقوق الإنسان».")
@click.option("--drop-alias", "drop_aliases", multiple=True, help="Forget an alias (repeat).")
@click.pass_obj
def source_edit(obj: Ctx, key, **changes):
    """Edit a source (audited)."""
    from verifier.services import commands

    changes = {k: v for k, v in changes.items() if v not in (None, ())}
    commands.edit_source(obj.store.uow(), key, **changes)
    click.echo(f"edited source {safe(key)}")


@source_group.command("depends")
@click.argument("source")
@click.argument("on")
@click.option("--note", default=None)
@click.option("--remove", is_flag=True, help="Withdraw the declaration.")
@click.pass_obj
def source_depends(obj: Ctx, source, on, note, remove):
    """Declare that SOURCE depends on ON (their reports count as one origin)."""
    from verifier.services import commands

    commands.depend(obj.store.uow(), source, on, note, remove=remove)
    click.echo(f"{'withdrew' if remove else 'declared'}: {safe(source)} depends on {safe(on)}")


def _say_source(d, **_) -> None:
    rel = d.reliability
    click.echo(f"{safe(d.name)}  [{safe(d.id)}]  {d.type}" + (f", {safe(d.affiliation)}" if d.affiliation else ""))
    if d.parent:
        click.echo(f"  part of: {safe(d.parent)}")
    click.echo(f"  grade {d.grade or '-'}; reliability {rel.score:.2f} (90% {rel.low:.2f}-{rel.high:.2f}), "
               f"letter {rel.letter}, from {rel.counted} resolved claims" + (f" on {safe(d.topic)}" if d.topic else "")
               + (f" as of {d.as_of}" if d.as_of else ""))
    if rel.borrows_from:
        click.echo(f"  prior learned from its group ({safe(rel.borrows_from)}): Beta({rel.prior[0]:.2f}, {rel.prior[1]:.2f})")
    if d.half_life_days:
        click.echo(f"  resolutions weighed down with a half-life of {d.half_life_days:g} days")
    if d.topics and not d.topic:
        click.echo("  topics: " + ", ".join(f"{safe(t.topic)} ({t.resolved})" for t in d.topics[:10]))
    click.echo(f"  claims: {d.claims}, relayed others' claims: {d.relayed}")
    for dep in d.depends_on:
        click.echo(f"  depends on: {safe(dep.source)}")
    if d.score_history:
        click.echo("  score after each resolution:")
        for s in d.score_history:
            click.echo(f"    {s.at[:10]}  {safe(s.claim)} {s.verdict}  {s.before:.2f} -> {s.after:.2f} ({s.delta:+.2f})")
    if d.moved_most:
        click.echo("  moved it most: " + ", ".join(f"{safe(m.claim)} ({m.verdict}, {m.delta:+.2f})" for m in d.moved_most))
    print_history(d.history)


@show_command(source_group, _say_source,
              click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None,
                           help="The record as it stood on this date."),
              click.option("--topic", default=None, help="The record on this tag or subject only."))
def source_show(obj: Ctx, key, as_of, topic):
    """One source: track record, score after each resolution, what moved it, history."""
    return read_one(obj, "source", functools.partial(views.source_detail, as_of=as_of.date() if as_of else None, topic=topic),
                    key)


COMMANDS = (sources_, source_group)
