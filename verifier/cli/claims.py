"""Claims: the listing, one claim (add, edit, show), links, notes, verdicts, corroboration."""

from __future__ import annotations

import click

from verifier import views
from verifier.cli.common import (
    COUNT,
    UNCHANGED_SINCE,
    Ctx,
    current,
    output,
    print_history,
    read_one,
    reading,
    safe,
    say_each,
    show_command,
)
from verifier.domain.display import shorten
from verifier.domain.vocabulary import VERDICTS

RELATIONS = click.Choice(["duplicates", "corroborates", "contradicts"])


def _chain(via) -> str:
    return (" via " + " <- ".join(safe(v) for v in via)) if via else ""


@say_each("no claims")
def _say_claims(r, **_) -> None:
    flags = []
    if r.contradicted:
        flags.append("contradicted")
    if r.suggested_duplicates:
        flags.append(f"{r.suggested_duplicates} possible duplicate(s)")
    if r.assignee:
        flags.append(f"assigned to {safe(r.assignee)}")
    click.echo(f"[{safe(r.id)}] {r.status} {safe(r.source)}{_chain(r.via)}"
               + (f"  ({', '.join(flags)})" if flags else ""))
    click.echo(f"    {shorten(safe(r.text), 200)}")


@click.command("claims")
@click.option("--unresolved", is_flag=True, help="Only claims without a verdict (the triage queue order).")
@click.option("--source", default=None, help="Only this source's claims.")
@click.option("--search", default=None, help="Only claims whose text contains this.")
@click.option("--assigned-to", default=None, metavar="me|NAME|nobody", help="Only claims assigned to them.")
@click.option("--limit", type=COUNT, default=None)
@click.option("--offset", type=COUNT, default=0)
@output(_say_claims, nl=True)
@click.pass_obj
def claims_(obj: Ctx, unresolved, source, search, assigned_to, limit, offset):
    """List claims, most in need of attention first."""
    who = obj.analyst if assigned_to == "me" else assigned_to
    with reading(obj) as session:
        return views.claims(session, unresolved=unresolved, source=source, search=search, limit=limit, offset=offset,
                            assigned_to=who)


@click.group("claim")
def claim_group():
    """Add, show or edit one claim."""


def _say_added(snap, **_) -> None:
    suggested = f" ({snap['suggested']} possible duplicate(s) to review)" if snap["suggested"] else ""
    click.echo(f"added claim {safe(snap['id'])}{suggested}")


@claim_group.command("add")
@click.argument("text")
@click.option("--source", required=True, help="Who asserts it (a source id or name; a new name creates the source).")
@click.option("--via", "via", multiple=True, help="Relay chain, nearest first (repeat).")
@click.option("--id", "key", default=None)
@click.option("--document", default=None)
@click.option("--published", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--event-date", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--location", default=None)
@click.option("--tag", "tags", multiple=True)
@click.option("--subject", default=None)
@click.option("--value", default=None)
@click.option("--qualifier", default=None, help="exact, about, more than, less than, between")
@click.option("--unit", default=None)
@click.option("--no-detect", is_flag=True)
@output(_say_added)
@click.pass_obj
def claim_add(obj: Ctx, text, source, via, key, document, published, event_date, location, tags, subject, value,
              qualifier, unit, no_detect):
    """Add a claim."""
    from verifier.services import commands

    return commands.add_claim(obj.store.uow(), text, source, key=key, via=via, document=document,
                              published=published.date() if published else None,
                              event_date=event_date.date() if event_date else None, location=location, tags=tags,
                              subject=subject, value=_cli_value(value), qualifier=qualifier, unit=unit,
                              detect=not no_detect)


def _cli_value(value):
    if value is None:
        return None
    if ".." in value:
        lo, _, hi = value.partition("..")
        try:
            return [float(lo), float(hi)]
        except ValueError:
            pass
    return value


@claim_group.command("edit")
@click.argument("key")
@click.option("--text", default=None)
@click.option("--location", default=None)
@click.option("--subject", default=None)
@click.pass_obj
def claim_edit(obj: Ctx, key, text, location, subject):
    """Edit a claim (audited)."""
    from verifier.services import commands

    commands.edit_claim(obj.store.uow(), key, text=text, location=location, subject=subject)
    click.echo(f"edited claim {safe(key)}")


def _say_claim(d, key, **_) -> None:
    click.echo(f"[{safe(d.id)}] {safe(d.text)}")
    click.echo(f"  source: {safe(d.source_name)} [{safe(d.source)}]{_chain(d.via)}")
    for f in ("published", "event_date", "location", "subject", "language"):
        if getattr(d, f):
            click.echo(f"  {f.replace('_', ' ')}: {safe(getattr(d, f))}")
    if d.figure is not None:
        click.echo(f"  value: {d.figure.qualifier} {safe(d.figure.value)} {safe(d.figure.unit or '')}".rstrip())
    click.echo(f"  status: {d.status}")
    for ln in d.links:
        score = f" {ln.score:.0f}" if ln.score is not None else ""
        click.echo(f"  {ln.relation} {safe(ln.other)} [{ln.origin}, {ln.state}{score}]: "
                   f"{shorten(safe(ln.other_text), 100)}")
        if ln.review:
            click.echo(f"    REVIEW: {safe(ln.review)}")
    for r in d.resolutions:
        click.echo(f"  resolved {r.verdict} at {r.at[:10]} by {safe(r.analyst)}: {safe(r.rationale or '')}")
    if any(ln.relation == "duplicates" and ln.state == "confirmed" for ln in d.links):
        from verifier.services import corroboration

        with reading(current()) as session:
            _say_likely_copies(corroboration.check(session, key))
    print_history(d.history)
    click.echo(f"  as of event {d.as_of} (resolve/link --if-unchanged-since {d.as_of}: refused if changed since)")


@show_command(claim_group, _say_claim)
def claim_show(obj: Ctx, key):
    """One claim: text, source and relay chain, links, resolutions, history."""
    return read_one(obj, "claim", views.claim_detail, key)


def _say_likely_copies(out: dict) -> None:
    for c in out.get("likely_copies", ()):
        label = "likely copy (translation)" if c["state"] == "translation" else "copied text"
        click.echo(f"  {label} (counted once; to confirm or overrule): {safe(c['reason'])}")
        click.echo(f"    verifier copies confirm {safe(c['later'])} {safe(c['earlier'])}   |   "
                   f"verifier copies overrule {safe(c['later'])} {safe(c['earlier'])}")


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--relation", required=True, type=RELATIONS)
@click.option("--note", default=None)
@UNCHANGED_SINCE
@output(lambda snap, a, b, relation, **_: click.echo(f"{safe(a)} {relation} {safe(b)}"))
@click.pass_obj
def link(obj: Ctx, a, b, relation, note, unchanged_since):
    """Link claim A to claim B (duplicates, corroborates, contradicts)."""
    from verifier.services import commands

    return commands.link(obj.store.uow(unchanged_since=unchanged_since), a, b, relation, note)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--relation", required=True, type=RELATIONS)
@click.pass_obj
def unlink(obj: Ctx, a, b, relation):
    """Remove a link you made between A and B (the audit log keeps it)."""
    from verifier.services import commands

    commands.unlink(obj.store.uow(), a, b, relation)
    click.echo(f"removed: {safe(a)} {relation} {safe(b)}")


@click.command()
@click.argument("claim")
@click.argument("text")
@click.pass_obj
def note(obj: Ctx, claim, text):
    """Add a note to CLAIM (shown in its history)."""
    from verifier.services import commands

    commands.note(obj.store.uow(), claim, text)
    click.echo(f"note added to {safe(claim)}")


@click.command()
@click.argument("claim")
@click.option("--verdict", required=True, type=click.Choice(VERDICTS))
@click.option("--rationale", default=None)
@click.option("--evidence", default=None, metavar="URL")
@click.option("--at", default=None, help="When the verdict was reached (default: now).")
@UNCHANGED_SINCE
@output(lambda snap, claim, verdict, **_: click.echo(f"{safe(claim)}: {verdict}"))
@click.pass_obj
def resolve(obj: Ctx, claim, verdict, rationale, evidence, at, unchanged_since):
    """Record a verdict on a claim.

    Two analysts resolving one claim at once are both recorded, the later one current; a
    script that read the claim first (`claim show --json`: as_of) can pass
    --if-unchanged-since SEQ to be refused instead when someone resolved it meanwhile."""
    from verifier.services import commands

    return commands.resolve(obj.store.uow(unchanged_since=unchanged_since), claim, verdict, rationale=rationale,
                            evidence=evidence, at=at)


@click.command()
@click.argument("claim")
@UNCHANGED_SINCE
@click.pass_obj
def unresolve(obj: Ctx, claim, unchanged_since):
    """Undo the latest verdict on a claim (the audit log keeps both)."""
    from verifier.services import commands

    snap = commands.unresolve(obj.store.uow(unchanged_since=unchanged_since), claim)
    click.echo(f"{safe(claim)}: withdrew verdict {snap['verdict']}")


def _say_check(out, claim, **_) -> None:
    verdict = "INDEPENDENTLY CORROBORATED" if out["independently_corroborated"] else "not independently corroborated"
    click.echo(f"{safe(claim)}: {verdict}")
    click.echo(f"  belief {out['belief']:.2f} ({out['words']}), credibility {out['credibility']}")
    if out.get("basis"):
        click.echo(f"  {out['basis']}")
    click.echo("  origins: " + "; ".join("[" + ", ".join(safe(c) for c in o) + "]" for o in out["origins"]))
    if out["contradicting"]:
        click.echo("  contradicted by: " + ", ".join(safe(c) for c in out["contradicting"]))
    if out["possibly_contradicting"]:
        click.echo("  possibly contradicted by (suggested, not confirmed): "
                   + ", ".join(safe(c) for c in out["possibly_contradicting"]))
    for line in out["explanation"]:
        click.echo(f"  - {safe(line)}")
    _say_likely_copies(out)


@click.command()
@click.argument("claim")
@output(_say_check)
@click.pass_obj
def check(obj: Ctx, claim):
    """Is CLAIM independently corroborated? With the reports counted once, and why."""
    from verifier.services import corroboration

    with reading(obj) as session:
        return corroboration.check(session, claim)


COMMANDS = (claims_, claim_group, link, unlink, note, resolve, unresolve, check)
