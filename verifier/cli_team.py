"""Commands for a team on one server: ``user``, ``assign``, ``watch``, ``inbox``, ``serve``.

Registered on the main group by ``verifier.cli`` (``register(cli)``).
"""

from __future__ import annotations

import os
import shlex
import sys

import click

from verifier.domain.display import shorten

# verifier.cli imports this module to register its commands; the helpers shared with it
# (emit_json, safe) are imported when a command runs, so either can be imported first.
# Errors reach the top group (verifier.cli.Verifier), which turns them into one line.


def emit_json(data) -> None:
    from verifier.cli import emit_json as emit

    emit(data)


def safe(text) -> str:
    from verifier.cli import safe as make_safe

    return make_safe(text)


def _password(confirm: bool = True) -> str:
    """From VERIFIER_PASSWORD, else a line of standard input when it is not a terminal
    (scripts), else a hidden prompt (typed twice)."""
    env = os.environ.get("VERIFIER_PASSWORD")
    if env is not None:
        return env
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise click.UsageError("no password on standard input (or set VERIFIER_PASSWORD)")
        return line.rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=confirm)


# --------------------------------------------------------------------------- users

@click.group("user")
def user_group():
    """Users who sign in to `verifier serve` (analyst: reads and changes; reader: reads)."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["analyst", "reader"]), default="analyst", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def user_add(obj, name, role, as_json):
    """Add a user; the password comes from a prompt, standard input or VERIFIER_PASSWORD."""
    from verifier.services import team

    out = team.add_user(obj.store.uow(), name, _password(), role)
    emit_json(out) if as_json else click.echo(f"added {out['role']} {safe(out['name'])}")


@user_group.command("passwd")
@click.argument("name")
@click.pass_obj
def user_passwd(obj, name):
    """Set a user's password (and lift any sign-in backoff)."""
    from verifier.services import team

    team.set_password(obj.store.uow(), name, _password())
    click.echo(f"password of {safe(name)} changed")


@user_group.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Enable the user again.")
@click.pass_obj
def user_disable(obj, name, enable):
    """Stop a user from signing in (the audit log keeps their work)."""
    from verifier.services import team

    team.set_disabled(obj.store.uow(), name, not enable)
    click.echo(f"{safe(name)} {'enabled' if enable else 'disabled'}")


@user_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def user_list(obj, as_json):
    """The users, their roles and sign-in state (never a password or its hash)."""
    from verifier.services import team

    with obj.store.uow(readonly=True) as uow:
        rows = team.users(uow)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no users (add one with `verifier user add NAME`)")
    for r in rows:
        state = "disabled" if r["disabled"] else (f"{r['failures']} failed sign-in(s)" if r["failures"] else "")
        click.echo(f"{safe(r['name']):<24} {r['role']:<8} last sign-in {(r['last_sign_in'] or 'never')[:19]}  {state}")


# --------------------------------------------------------------------------- assignment

@click.command("assign")
@click.argument("claims", nargs=-1, required=True)
@click.option("--to", "to", required=True, metavar="ANALYST", help="A user, `me`, or `nobody` to unassign.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def assign(obj, claims, to, as_json):
    """Assign CLAIMs to an analyst (audited on each claim)."""
    from verifier.services import team

    out = team.assign(obj.store.uow(), list(claims), to)
    if as_json:
        emit_json(out)
    else:
        who = safe(out["assignee"]) if out["assignee"] else "nobody"
        click.echo(f"{len(out['claims'])} claim(s) assigned to {who} ({out['changed']} changed)")


# --------------------------------------------------------------------------- watches

@click.group("watch")
def watch_group():
    """Your watches: new claims that match one land in your inbox."""


@watch_group.command("add")
@click.option("--text", default=None, help="A claim text: matched as a near-duplicate (or possible contradiction).")
@click.option("--source", default=None, help="A source (id or name): claims it asserts or relays.")
@click.option("--subject", default=None, help="A structured claim subject.")
@click.option("--tag", default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def watch_add(obj, text, source, subject, tag, as_json):
    """Watch for new claims (give exactly one of --text, --source, --subject, --tag)."""
    from verifier.services import team

    given = [(k, v) for k, v in (("text", text), ("source", source), ("subject", subject), ("tag", tag)) if v is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --text, --source, --subject, --tag")
    out = team.add_watch(obj.store.uow(), *given[0])
    emit_json(out) if as_json else click.echo(f"watch {out['id']}: {out['kind']} {safe(out['value'])}")


@watch_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def watch_list(obj, as_json):
    """Your watches."""
    from verifier.services import team

    with obj.store.uow(readonly=True) as uow:
        rows = team.watches(uow)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no watches")
    for w in rows:
        click.echo(f"{w['id']:>5}  {w['kind']:<8} {safe(w['value'])}")


@watch_group.command("remove")
@click.argument("watch_id", type=int)
@click.pass_obj
def watch_remove(obj, watch_id):
    """Remove one of your watches."""
    from verifier.services import team

    out = team.remove_watch(obj.store.uow(), watch_id)
    click.echo(f"removed watch {out['id']}: {out['kind']} {safe(out['value'])}")


# --------------------------------------------------------------------------- inbox

@click.group("inbox", invoke_without_command=True)
@click.option("--unread", is_flag=True, help="Only what you have not read.")
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def inbox_group(ctx, unread, limit, as_json):
    """New claims that matched your watches, newest first."""
    if ctx.invoked_subcommand:
        return
    from verifier.services import team

    with ctx.obj.store.uow(readonly=True) as uow:
        rows = team.inbox(uow, unread=unread, limit=limit)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("inbox empty")
    for r in rows:
        mark = " " if r["read"] else "*"
        click.echo(f"{mark}{r['id']:>5}  [{safe(r['claim'])}] {safe(r['source'])}: {shorten(safe(r['text']), 100)}")
        click.echo(f"        {safe(r['why'])}")


@inbox_group.command("read")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.pass_obj
def inbox_read(obj, ids):
    """Mark inbox entries read."""
    from verifier.services import team

    out = team.mark_read(obj.store.uow(), list(ids))
    click.echo(f"{out['read']} marked read")


# --------------------------------------------------------------------------- serve

@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (localhost unless told).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--public-url", default=None, metavar="URL",
              help="The address browsers use when a reverse proxy (TLS) is in front, e.g. https://verifier.example.org")
@click.option("--reader-role", envvar="VERIFIER_READER_ROLE", default=None, metavar="ROLE",
              help="PostgreSQL: the read-only role (`verifier grant-readonly ROLE`) readers' sessions run under.")
@click.pass_obj
def serve(obj, host, port, public_url, reader_role):
    """Serve the triage app to browsers; everyone signs in first (`verifier user add`)."""
    from verifier.services import team

    store = obj.store  # opened (and migrated) before anyone connects
    with store.uow(readonly=True) as uow:
        if not team.users(uow):
            raise click.ClickException("no users yet: add one first with `verifier user add NAME`")
    try:
        from textual_serve.server import Server
    except ImportError:
        click.echo("verifier: serving needs textual-serve: pip install 'verifier[serve]'", err=True)
        sys.exit(1)
    # each browser gets its own app process; what it may know comes from the environment:
    # the store, never an analyst name or a password (the user signs in)
    os.environ["VERIFIER_DB"] = store.url
    for name in ("VERIFIER_ANALYST", "VERIFIER_PASSWORD"):
        os.environ.pop(name, None)
    if reader_role:
        os.environ["VERIFIER_READER_ROLE"] = reader_role
    command = shlex.join([sys.executable, "-m", "tui", "--sign-in"])
    Server(command, host=host, port=port, title="verifier", public_url=public_url).serve()


def register(cli: click.Group) -> None:
    for command in (user_group, assign, watch_group, inbox_group, serve):
        cli.add_command(command)
