"""Commands for a team on one server: ``user``, ``assign``, ``watch``, ``inbox``, ``serve``."""

from __future__ import annotations

import os
import sys

import click

from verifier.cli.common import COUNT, Col, group_listing, output, safe, say_each, table
from verifier.domain.display import shorten


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


def _read(obj, service: str, **params):
    """What the team service ``service`` reads (users, watches, the inbox), in a read-only
    unit of work."""
    from verifier.services import team

    with obj.store.uow(readonly=True) as uow:
        return getattr(team, service)(uow, **params)


# --------------------------------------------------------------------------- users

@click.group("user")
def user_group():
    """Users who sign in to `verifier serve` (analyst: reads and changes; reader: reads)."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["analyst", "reader"]), default="analyst", show_default=True)
@output(lambda out, **_: click.echo(f"added {out['role']} {safe(out['name'])}"))
@click.pass_obj
def user_add(obj, name, role):
    """Add a user; the password comes from a prompt, standard input or VERIFIER_PASSWORD."""
    from verifier.services import team

    return team.add_user(obj.store.uow(), name, _password(), role)


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


def _say_users(rows, **_) -> None:
    if not rows:
        click.echo("no users (add one with `verifier user add NAME`)")
        return
    table((Col("name", cut=True), Col("role"), Col("last sign-in"), Col("state")),
          [(r["name"], r["role"], (r["last_sign_in"] or "never")[:19],
            "disabled" if r["disabled"] else (f"{r['failures']} failed sign-in(s)" if r["failures"] else ""))
           for r in rows])


@user_group.command("list")
@output(_say_users)
@click.pass_obj
def user_list(obj):
    """The users, their roles and sign-in state (never a password or its hash)."""
    return _read(obj, "users")


# --------------------------------------------------------------------------- assignment

def _say_assigned(out, **_) -> None:
    who = safe(out["assignee"]) if out["assignee"] else "nobody"
    click.echo(f"{len(out['claims'])} claim(s) assigned to {who} ({out['changed']} changed)")


@click.command("assign")
@click.argument("claims", nargs=-1, required=True)
@click.option("--to", "to", required=True, metavar="ANALYST", help="A user, `me`, or `nobody` to unassign.")
@output(_say_assigned)
@click.pass_obj
def assign(obj, claims, to):
    """Assign CLAIMs to an analyst (audited on each claim)."""
    from verifier.services import team

    return team.assign(obj.store.uow(), list(claims), to)


# --------------------------------------------------------------------------- watches

@click.group("watch")
def watch_group():
    """Your watches: new claims that match one land in your inbox."""


@watch_group.command("add")
@click.option("--text", default=None, help="A claim text: matched as a near-duplicate (or possible contradiction).")
@click.option("--source", default=None, help="A source (id or name): claims it asserts or relays.")
@click.option("--subject", default=None, help="A structured claim subject.")
@click.option("--tag", default=None)
@output(lambda out, **_: click.echo(f"watch {out['id']}: {out['kind']} {safe(out['value'])}"))
@click.pass_obj
def watch_add(obj, text, source, subject, tag):
    """Watch for new claims (give exactly one of --text, --source, --subject, --tag)."""
    from verifier.services import team

    given = [(k, v) for k, v in (("text", text), ("source", source), ("subject", subject), ("tag", tag)) if v is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --text, --source, --subject, --tag")
    return team.add_watch(obj.store.uow(), *given[0])


def _say_watches(rows, **_) -> None:
    if not rows:
        click.echo("no watches")
        return
    table((Col("id", right=True), Col("kind"), Col("watching", cut=True)), [(w["id"], w["kind"], w["value"]) for w in rows])


@watch_group.command("list")
@output(_say_watches)
@click.pass_obj
def watch_list(obj):
    """Your watches."""
    return _read(obj, "watches")


@watch_group.command("remove")
@click.argument("watch_id", type=int)
@click.pass_obj
def watch_remove(obj, watch_id):
    """Remove one of your watches."""
    from verifier.services import team

    out = team.remove_watch(obj.store.uow(), watch_id)
    click.echo(f"removed watch {out['id']}: {out['kind']} {safe(out['value'])}")


# --------------------------------------------------------------------------- inbox

@say_each("inbox empty")
def _say_inbox(r, **_) -> None:
    mark = " " if r["read"] else "*"
    click.echo(f"{mark}{r['id']}  [{safe(r['claim'])}] {safe(r['source'])}: {shorten(safe(r['text']), 100)}")
    click.echo(f"        {safe(r['why'])}")


@click.group("inbox", invoke_without_command=True)
@click.option("--unread", is_flag=True, help="Only what you have not read.")
@click.option("--limit", type=COUNT, default=None)
@output(_say_inbox, nl=True)
@group_listing
def inbox_group(obj, unread, limit):
    """New claims that matched your watches, newest first."""
    return _read(obj, "inbox", unread=unread, limit=limit)


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
              help="The address browsers use when a reverse proxy (TLS) is in front, e.g. https://verifier.example.org "
                   "(links, redirects and the Origin check use it; https makes the cookies Secure).")
@click.option("--max-sessions", default=20, show_default=True, type=click.IntRange(1, 10_000),
              help="App processes at most, in all (each takes ~100 MB); the idlest is closed for a new one.")
@click.option("--max-per-user", default=3, show_default=True, type=click.IntRange(1, 100),
              help="App processes (browser tabs) at most per user; their idlest is closed for a new one.")
@click.option("--idle-minutes", default=30.0, show_default=True, type=click.FloatRange(0.1, 24 * 60),
              help="An app nobody typed into for this long ends (the page offers to open it again).")
@click.option("--session-hours", default=12.0, show_default=True, type=click.FloatRange(0.01, 24 * 30),
              help="A sign-in lasts this long.")
@click.option("--reader-role", envvar="VERIFIER_READER_ROLE", default=None, metavar="ROLE",
              help="PostgreSQL: the read-only role (`verifier grant-readonly ROLE`) readers' sessions run under.")
@click.pass_obj
def serve(obj, host, port, public_url, max_sessions, max_per_user, idle_minutes, session_hours, reader_role):
    """Serve the triage app to browsers; everyone signs in first (`verifier user add`)."""
    from verifier.services import team

    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise click.BadParameter("give an http:// or https:// URL", param_hint="--public-url")
    store = obj.store  # opened (and migrated) before anyone connects
    with store.uow(readonly=True) as uow:
        if not team.users(uow):
            raise click.ClickException("no users yet: add one first with `verifier user add NAME`")
    try:
        from verifier.web.server import serve as run
    except ImportError:
        raise click.ClickException("serving needs textual-serve: pip install 'verifier[serve]'") from None
    run(store, host=host, port=port, public_url=public_url, max_sessions=max_sessions, max_per_user=max_per_user,
        idle_minutes=idle_minutes, session_hours=session_hours, reader_role=reader_role)


COMMANDS = (user_group, assign, watch_group, inbox_group, serve)
