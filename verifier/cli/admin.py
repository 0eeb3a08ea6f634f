"""The store itself: ``init``, ``upgrade``, ``settings``, ``score``, ``audit``, ``report``,
``grant-readonly``; and the ways into the terminal UI, ``demo`` and ``tui``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from verifier import bootstrap, views
from verifier.cli.common import (
    COUNT,
    EXIT_ERROR,
    Col,
    Ctx,
    group_listing,
    output,
    reading,
    safe,
    show,
    table,
    wants_json,
    write_private,
)
from verifier.domain.display import shorten
from verifier.domain.errors import DomainError


@click.command()
@click.pass_obj
def init(obj: Ctx):
    """Create the database (or bring an empty one to the current schema)."""
    store = bootstrap.connect(obj.db, obj.analyst, ensure=False)
    before = store.current_revision()
    store.ensure_schema()
    click.echo(f"database ready at {safe(store.where())} (schema {store.current_revision()}"
               f"{'' if before else ', created'})")


@click.command()
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def upgrade(obj: Ctx, revision):
    """Run the database migrations up to REVISION."""
    store = bootstrap.connect(obj.db, obj.analyst, ensure=False, create=False)
    before = store.current_revision()
    store.refuse_newer_schema(before)
    target = revision if revision in ("head", "base") else store.knows_revision(revision)
    if target is None:
        raise DomainError("--revision", f"no migration {revision!r} (the newest is {store.head_revision()})")
    if before is not None and target != before and (target == "base" or target in store.revisions_up_to(before)):
        raise DomainError("--revision", f"{revision} is older than the database's schema ({before}): upgrade only "
                                        "goes forward (going back would drop data); restore a backup instead")
    store.upgrade(revision)
    click.echo(f"schema {before or 'empty'} -> {store.current_revision()}")


# --------------------------------------------------------------------------- settings, scoring

def _say_settings(out, **_) -> None:
    for k, v in out.items():
        click.echo(f"{k} = {'off' if v is None else v}")


@click.group("settings", invoke_without_command=True)
@output(_say_settings)
@click.pass_context
def settings_group(ctx):
    """Show or change settings (match.t1, match.t2: the near-duplicate thresholds;
    reliability.half_life_days: old resolutions weigh half as much after this many days, or off)."""
    if ctx.invoked_subcommand:
        return None
    from verifier.services import commands

    with reading(ctx.obj) as session:
        return commands.settings(session)


@settings_group.command("set")
@click.argument("name", type=click.Choice(["match.t1", "match.t2", "reliability.half_life_days"]))
@click.argument("value")
@click.pass_obj
def settings_set(obj: Ctx, name, value):
    """Change one setting (audited)."""
    from verifier.services import commands

    out = commands.set_setting(obj.store.uow(), name, value)
    hint = " (run `verifier dedupe` to rescan)" if name.startswith("match.") else ""
    click.echo(f"{name} = {out['value']}{hint}")


@click.command()
@output(lambda out, **_: click.echo(f"scored {out['claims']} claims: {out['changed']} changed, "
                                    f"{out['copiers']} copying source pair(s) found"))
@click.pass_obj
def score(obj: Ctx):
    """Recompute belief and credibility for every claim (copy-aware truth discovery)."""
    from verifier.services import commands

    return commands.score(obj.store.uow())


# --------------------------------------------------------------------------- audit

AUDIT_COLUMNS = (Col("seq", right=True), Col("at"), Col("analyst", cut=True), Col("action"), Col("entity"),
                 Col("key", cut=True))


def _say_events(rows, **_) -> None:
    if rows:
        table(AUDIT_COLUMNS, [(f"#{ev.seq}", ev.at[:19], ev.analyst, ev.action, ev.entity, ev.key or "")
                              for ev in rows])


@click.group("audit", invoke_without_command=True)
@click.option("--limit", type=COUNT, default=50, show_default=True)
@click.option("--entity", default=None)
@click.option("--key", default=None)
@click.option("--analyst", "who", default=None)
@output(_say_events, nl=True)
@group_listing
def audit(obj: Ctx, limit, entity, key, who):
    """The audit log, the history of every change: who changed what, when (latest last)."""
    with reading(obj) as session:
        return views.audit_events(session, limit=limit, entity=entity, key=key, analyst=who)


KEY_OPTION = click.option(
    "--key", "key_file", default=None, metavar="FILE", envvar="VERIFIER_CHECKPOINT_KEY", show_envvar=True,
    help="The checkpoint key (default: checkpoint.key in verifier's config folder, made on first use, 0600).")


def _checkpoint_key(key_file, *, create: bool) -> bytes:
    from verifier.adapters import checkpoint_key

    try:
        return checkpoint_key.load(checkpoint_key.key_path(key_file), create=create)
    except checkpoint_key.CheckpointKeyError as exc:
        click.echo(f"verifier: {safe(str(exc))}", err=True)
        sys.exit(EXIT_ERROR)


@audit.command("checkpoint")
@KEY_OPTION
@output()
@click.pass_obj
def audit_checkpoint(obj: Ctx, key_file):
    """Print a signed checkpoint of the audit log (its newest event and head hash).

    Keep the line outside the database (a note, a ticket, another machine); `verifier audit
    verify --against LINE` then names a log that lost events since, or was rewritten. The
    key that signs it stays on this machine, apart from the database."""
    from verifier.domain.audit import GENESIS, checkpoint

    key = _checkpoint_key(key_file, create=True)
    with reading(obj) as session:
        head = views.audit_head(session)
    seq, digest = head if head else (0, GENESIS)
    out = {"seq": seq, "head": digest, "checkpoint": checkpoint(key, seq, digest)}
    show(out, lambda out: click.echo(out["checkpoint"]))


def _against(value: str, key_file) -> tuple[int, str]:
    """A checkpoint given as the line itself or as a file holding it, checked against the key."""
    from verifier.domain.audit import read_checkpoint

    text = value
    if not value.startswith("vcp1:") and Path(value).is_file():
        text = Path(value).read_text(encoding="utf-8", errors="replace").strip()
    try:
        return read_checkpoint(_checkpoint_key(key_file, create=False), text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--against") from None


@audit.command("verify")
@click.option("--head", "anchor", default=None, metavar="SEQ:HASH",
              help="A head printed by an earlier verify and kept elsewhere: also catches newest events cut off.")
@click.option("--against", "against", default=None, metavar="CHECKPOINT",
              help="A line printed by `verifier audit checkpoint` (or a file holding it): also catches events "
                   "removed since, or the log rewritten.")
@KEY_OPTION
@output()
@click.pass_obj
def audit_verify(obj: Ctx, anchor, against, key_file):
    """Check the audit log's hash chain; name the first event edited, removed or reordered.

    Prints the chain's head (SEQ:HASH); keep it outside the database and pass it back with
    --head, or keep a signed `verifier audit checkpoint` and pass it with --against, to
    detect the newest events being removed as well."""
    from verifier.domain.audit import check_anchor, verify_chain

    anchors = []
    if anchor:
        seq, _, digest = anchor.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise click.BadParameter("expected SEQ:HASH as printed by `verifier audit verify`", param_hint="--head")
        anchors.append((int(seq), digest))
    if against:
        anchors.append(_against(against, key_file))
    with reading(obj) as session:
        events = list(views.all_events(session))
    broken = verify_chain(events)
    for seq, digest in anchors:
        broken = broken or check_anchor(events, seq, digest)
    out = {"intact": broken is None, "events": len(events), "head": f"{events[-1].seq}:{events[-1].hash}" if events else None,
           "first_bad": None if broken is None else {"seq": broken.seq, "problem": broken.problem}}

    def say(out) -> None:
        if broken is None:
            click.echo(f"audit log intact: {out['events']} events; head {out['head']}")
        else:
            click.echo(f"verifier: audit log broken at {broken}", err=True)

    show(out, say)
    if broken is not None:
        sys.exit(EXIT_ERROR)


# --------------------------------------------------------------------------- backup and restore

def _say_copy(out, **_) -> None:
    total = sum(out["rows"].values())
    click.echo(f"{safe(out['target'])}: {total} rows in {sum(1 for n in out['rows'].values() if n)} tables; "
               f"audit head {out['head'] or '(empty log)'}")


def _copy(src, dst, force):
    from verifier import backup as backups

    try:
        return backups.copy_store(src, dst, force=force)
    except backups.Refused as exc:
        click.echo(f"verifier: {safe(str(exc))}", err=True)
        sys.exit(EXIT_ERROR)


FORCE = click.option("--force", is_flag=True, help="Replace what the target holds (refused otherwise).")


@click.command()
@click.argument("dest")
@FORCE
@output(_say_copy)
@click.pass_obj
def backup(obj: Ctx, dest, force):
    """Copy this store whole to DEST (a SQLite file or a postgresql:// URL): every table,
    users with their password hashes, the audit log with its chain. Safe while others write;
    a file target appears only when complete, a server target fills in one transaction."""
    return _copy(obj.db, dest, force)


@click.command()
@click.argument("src")
@FORCE
@output(_say_copy)
@click.pass_obj
def restore(obj: Ctx, src, force):
    """Copy the store at SRC (a backup file or a postgresql:// URL) whole into this one (--db),
    which must be empty unless --force."""
    return _copy(src, obj.db, force)


# --------------------------------------------------------------------------- reports and roles

@click.command()
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("-o", "--output", "path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File (written readable by you only; default: stdout).")
@output(help="Print the report's content as JSON instead.")
@click.pass_obj
def report(obj: Ctx, fmt, path):
    """Track-record report: sources' records and scores over time, corroborated and contested claims."""
    from verifier.services import report as report_service

    with reading(obj) as session:
        if wants_json():
            return report_service.build(session)
        text = report_service.render(session, fmt)
    write_private(path, text)
    if path is not None:
        click.echo(f"report written to {safe(path)}", err=True)
    return None


@click.command("grant-readonly")
@click.argument("role")
@output(lambda out, role, **_: click.echo(f"{safe(role)} may read the {out['tables']} tables of schema "
                                          f"{safe(out['schema'])} and change nothing"))
@click.pass_obj
def grant_readonly(obj: Ctx, role):
    """PostgreSQL: let an existing ROLE read everything in this store and change nothing."""
    from verifier.services import privileges

    return privileges.grant_readonly(obj.store, role)


# --------------------------------------------------------------------------- demo / tui

@click.command()
@click.option("--no-tui", is_flag=True, help="Print a summary instead of opening the terminal UI.")
@click.pass_obj
def demo(obj: Ctx, no_tui):
    """Build the demo database (a file of its own; default demo.db in your data directory)
    from the bundled fixtures, then open the TUI on it. It never replaces a database that
    holds anything but an untouched previous demo."""
    from verifier import demo as demo_service

    path = demo_service.build(obj.db, obj.analyst)
    obj.db = str(path)
    if no_tui or not sys.stdout.isatty():
        _print_summary(obj)
        return
    click.echo(f"demo database: {safe(path)}", err=True)
    run_tui(obj, title=f"demo: {path}")


def _print_summary(obj: Ctx) -> None:
    with reading(obj) as session:
        summ = views.summary(session)
        srcs = views.sources(session)
        queue = views.claims(session, unresolved=True)
    click.echo(f"demo database: {safe(obj.db)}")
    click.echo(f"{summ.sources} sources, {summ.claims} claims ({summ.unresolved} unresolved), "
               f"{summ.links} links, {summ.events} audit events\n")
    click.echo("Sources (reliability: Beta posterior mean, 90% interval, Admiralty letter)")
    for s in srcs:
        aff = f" ({safe(s.affiliation)})" if s.affiliation else ""
        click.echo(f"  {s.letter} {s.score:.2f} [{s.low:.2f}-{s.high:.2f}]  {safe(s.name)}{aff}: "
                   f"{s.claims} claim(s), {s.resolved} resolved")
    click.echo("\nUnresolved claims (contradicted first, then most reported, then newest)")
    for c in queue:
        chain = (" via " + " <- ".join(safe(v) for v in c.via)) if c.via else ""
        flag = " [contradicted]" if c.contradicted else ""
        click.echo(f"  [{safe(c.id)}] {safe(c.source)}{chain}{flag}: {shorten(safe(c.text), 120)}")
    click.echo("\nTry: verifier --db " + safe(obj.db) + " claims --unresolved   |   ... check c1   |   ... tui")


def run_tui(obj: Ctx, title: str | None = None, *, served: bool = False) -> None:
    """The one door from the command line to the TUI: a lazy import, here only."""
    from tui.app import run

    # an existing database only (a typo must not open an empty one), handed to the app as is
    store = obj.open(write=False)
    if not served:
        run(store, sub_title=title)
        return
    from verifier.services import team
    from verifier.views import routes

    # started by `verifier serve` for a signed-in browser: act as the user of that session
    who = team.session_user(store, os.environ.get("VERIFIER_SESSION"), hashed=True)
    if who is None:
        raise click.ClickException("this browser's session has ended: sign in again")
    route = routes.of(os.environ.get("VERIFIER_SCREEN"), os.environ.get("VERIFIER_KEY") or None) or routes.HOME
    try:
        mine = store.open_as(who, reader_role=os.environ.get("VERIFIER_READER_ROLE"))
    finally:
        store.dispose()  # it only looked the session up
    run(mine, route=route)


@click.command()
@click.option("--served", is_flag=True, hidden=True,
              help="Run for a browser signed in to `verifier serve` (VERIFIER_SESSION, VERIFIER_SCREEN, VERIFIER_KEY).")
@click.pass_obj
def tui(obj: Ctx, served):
    """Open the triage terminal UI."""
    run_tui(obj, served=served)


COMMANDS = (init, upgrade, settings_group, score, audit, report, grant_readonly, demo, tui, backup, restore)
