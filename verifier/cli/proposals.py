"""Reports in, proposals reviewed: ``ingest`` and ``proposals``."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path

import click

from verifier import bootstrap
from verifier.bootstrap import NoDatabase
from verifier.cli.common import Ctx, output, safe, wants_json
from verifier.domain.display import shorten
from verifier.domain.errors import DomainError
from verifier.domain.values import Value


@click.command("ingest")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--publisher", default=None, metavar="SOURCE",
              help="Who published the report: a source id or name (a new name creates the source).")
@click.option("--published", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Publication date (resolves 'on 10 May').")
@click.option("--title", default=None, help="Document title (default: the HTML title, the first heading or the file name).")
@click.option("--url", default=None)
@click.option("--dry-run", is_flag=True, help="Print the proposals; write nothing.")
@click.option("--backend", type=click.Choice(["rules", "spacy"]), default="rules", show_default=True,
              help="rules: no model; spacy: dependency-based attribution (the nlp extra).")
@output()
@click.pass_obj
def ingest_command(obj: Ctx, files, publisher, published, title, url, dry_run, backend):
    """Read reports (plain text, Markdown, HTML) into proposed claims awaiting review:
    who asserts what, through whom, with figures and dates. Each file atomically; a file
    ingested before changes nothing."""
    from verifier.services import ingest

    results = []
    with _preview_store(obj) if dry_run else nullcontext(obj.store) as store:
        for path in files:
            out = ingest.ingest(store.uow(readonly=dry_run), path, publisher=publisher, published=published,
                                title=title, url=url, backend=backend, dry_run=dry_run)
            results.append(out)
            if not wants_json():
                _say(out, dry_run)
    if backend == "spacy":  # which model ran (its meta.json was checked at load); stdout stays the JSON
        from verifier.adapters.nlp import model_info

        info = model_info()
        click.echo(f"extracted with spaCy {info['spacy']} and the model {info['model']} {info['version']} "
                   f"(package {info['package']}, {info['license']} licence)", err=True)
    if dry_run:
        return (results[0]["proposals"] if len(results) == 1
                else [{"file": r["file"], "proposals": r["proposals"]} for r in results])
    brief = [{"file": r["file"], "document": r["document"], "unchanged": r["unchanged"],
              "proposals": len(r["proposals"]), "ids": r.get("ids", [])} for r in results]
    return brief[0] if len(brief) == 1 else brief


@contextmanager
def _preview_store(obj: Ctx):
    """The store a dry run reads: the database if there is one; else an empty store in a
    folder of its own, removed afterwards (a preview never creates the user's database)."""
    try:
        yield obj.open(write=False)
        return
    except NoDatabase:
        pass
    with tempfile.TemporaryDirectory(prefix="verifier-preview-") as folder:
        store = bootstrap.connect(Path(folder) / "preview.db", obj.analyst)
        try:
            yield store
        finally:
            store.dispose()


def _say(out: dict, dry_run: bool) -> None:
    if out["unchanged"] and not dry_run:
        click.echo(f"{safe(out['file'])}: already ingested as document {safe(out['document'])}; nothing changed")
        return
    found = out["proposals"]
    attributed = sum(1 for p in found if p["cue"])
    if dry_run:
        for p in found:
            click.echo(_line(p))
        before = f"; already ingested as document {safe(out['document'])}: ingesting it changes nothing" \
            if out["unchanged"] else ""
        click.echo(f"{safe(out['file'])}: {len(found)} proposal(s), {attributed} attributed (dry run: nothing written{before})")
        return
    click.echo(f"{safe(out['file'])}: document {safe(out['document'])}, {len(found)} proposal(s) "
               f"({attributed} attributed) await review: verifier proposals --document {safe(out['document'])}")


def _line(p: dict) -> str:
    chain = (" via " + " <- ".join(safe(v) for v in p["via"])) if p["via"] else ""
    value = Value.parse(p["value"], p["qualifier"], p["unit"])
    figure = f"  [{safe(value.describe())}]" if value else ""
    who = safe(p["source"]) if p["source"] else "(no source)"
    ident = f"{p['id']} " if "id" in p else ""
    denial = " [denial]" if p.get("denial") else ""
    return (f"{ident}{who}{chain}{' (' + safe(p['cue']) + ')' if p['cue'] else ''}{denial}: "
            f"{shorten(safe(p['text']), 140)}{figure}")


def _say_proposals(rows, state, **_) -> None:
    if not rows:
        click.echo(f"no {state} proposals" if state != "all" else "no proposals")
    for r in rows:
        flag = "" if r["state"] == "proposed" else f" [{r['state']}{' as ' + r['claim'] if r['claim'] else ''}]"
        new = " (new source)" if r["new_source"] else ""
        click.echo(_line(r) + new + flag)


@click.group("proposals", invoke_without_command=True)
@click.option("--document", default=None, help="Only this document's proposals.")
@click.option("--state", type=click.Choice(["proposed", "accepted", "rejected", "all"]), default="proposed",
              show_default=True)
@output(_say_proposals, nl=True)
@click.pass_context
def proposals_group(ctx, document, state):
    """Claims read from reports, awaiting review: they count in nothing until accepted."""
    if ctx.invoked_subcommand:
        return None
    from verifier.services import ingest

    return ingest.listing(ctx.obj.store.uow(readonly=True), document=document, state=None if state == "all" else state)


def _ids(values) -> list[int]:
    out = []
    for v in values:
        try:
            out.append(int(v))
        except ValueError:
            raise DomainError("proposal", f"not a proposal number: {v!r}") from None
    return out


def _say_accepted(out, **_) -> None:
    for r in out:
        click.echo(f"proposal {r['proposal']} accepted as claim {safe(r['claim'])} ({safe(r['source'])})")
    if out and out[0]["suggested"]:
        click.echo(f"{out[0]['suggested']} near-duplicate suggestion(s): verifier duplicates")


@proposals_group.command("accept")
@click.argument("ids", nargs=-1, required=True)
@output(_say_accepted)
@click.pass_obj
def proposals_accept(obj: Ctx, ids):
    """Accept proposals: each becomes a claim (near-duplicates and derived links as usual)."""
    from verifier.services import ingest

    return ingest.accept(obj.store.uow(), _ids(ids))


@proposals_group.command("reject")
@click.argument("ids", nargs=-1, required=True)
@click.pass_obj
def proposals_reject(obj: Ctx, ids):
    """Reject proposals (`proposals accept` or `proposals undo` takes it back)."""
    from verifier.services import ingest

    for r in ingest.reject(obj.store.uow(), _ids(ids)):
        click.echo(f"proposal {r['proposal']} rejected")


@proposals_group.command("undo")
@click.argument("pid")
@click.pass_obj
def proposals_undo(obj: Ctx, pid):
    """Undo the decision on a proposal: an acceptance removes the claim it made (unless
    something depends on it); a rejection is reopened."""
    from verifier.services import ingest

    out = ingest.undo(obj.store.uow(), _ids([pid])[0])
    removed = f"; claim {safe(out['removed_claim'])} removed" if out.get("removed_claim") else ""
    click.echo(f"proposal {out['proposal']} awaits review again{removed}")


@proposals_group.command("edit")
@click.argument("pid")
@click.option("--text", default=None)
@click.option("--source", default=None, help="A source id or name (a new name is a new source, created on acceptance).")
@click.option("--via", "via", multiple=True, help="Relays, nearest first (repeat); replaces those the sentence named (the publisher stays last).")
@click.option("--location", default=None)
@click.option("--value", default=None, help="The figure: a number, LOW-HIGH with --qualifier between, or text; '' clears it.")
@click.option("--qualifier", default=None, help="exact, about, more than, less than, between")
@click.option("--unit", default=None)
@click.option("--event-date", default=None, metavar="YYYY-MM-DD", help="When it happened ('' clears it).")
@output(lambda out, **_: click.echo(_line(out)))
@click.pass_obj
def proposals_edit(obj: Ctx, pid, text, source, via, location, value, qualifier, unit, event_date):
    """Correct a proposal before accepting it (a new text is read again for its figure)."""
    from verifier.services import ingest

    return ingest.edit(obj.store.uow(), _ids([pid])[0], text=text, source=source, via=list(via) if via else None,
                       location=location, value=value, qualifier=qualifier, unit=unit, event_date=event_date)


@proposals_group.command("split")
@click.argument("pid")
@click.option("--at", type=int, default=None, help="Character of the text to cut at (default: the boundary nearest the middle).")
@click.pass_obj
def proposals_split(obj: Ctx, pid, at):
    """Cut a proposal in two."""
    from verifier.services import ingest

    for p in ingest.split(obj.store.uow(), _ids([pid])[0], at):
        click.echo(_line(p))


@proposals_group.command("merge")
@click.argument("a")
@click.argument("b")
@click.pass_obj
def proposals_merge(obj: Ctx, a, b):
    """Merge proposal B into A (one claim over both; B is rejected)."""
    from verifier.services import ingest

    a_id, b_id = _ids([a, b])
    click.echo(_line(ingest.merge(obj.store.uow(), a_id, b_id)))


COMMANDS = (ingest_command, proposals_group)
