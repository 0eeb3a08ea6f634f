"""Near-duplicates and copies: ``similar``, the ``duplicates`` review queue, ``dedupe``, ``copies``."""

from __future__ import annotations

from pathlib import Path

import click

from verifier import views
from verifier.cli.common import COUNT, UNCHANGED_SINCE, Bars, Col, Ctx, group_listing, output, reading, safe, say_each, table
from verifier.domain.display import shorten_pair

MATCH_COLUMNS = (Col("score", right=True), Col("id", cut=True), Col("text", cut=True))


def _say_similar(out, text, from_file, **_) -> None:
    for block in (out if from_file else [{"query": text, "matches": out}]):
        if from_file:
            click.echo(f"> {safe(block['query'])}")
        if not block["matches"]:
            click.echo("  no match")
            continue
        table(MATCH_COLUMNS, [(f"{m.score:.1f}", m.id, m.text) for m in block["matches"]])


@click.command()
@click.argument("text", required=False)
@click.option("--from", "from_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="One query per line; answers in input order.")
@click.option("--limit", type=COUNT, default=10, show_default=True)
@output(_say_similar, nl=True)
@click.pass_obj
def similar(obj: Ctx, text, from_file, limit):
    """The tracked claims most like TEXT, best first."""
    if (text is None) == (from_file is None):
        raise click.UsageError("give TEXT or --from FILE")
    with reading(obj) as session:
        if from_file is None:
            return views.similar(session, text, limit)
        queries = [q for q in from_file.read_text(encoding="utf-8").splitlines() if q.strip()]
        vectors = _query_vectors(session, queries)  # with the semantic extra: one batch for the file
        return [{"query": q, "matches": views.similar(session, q, limit, query_vector=v)}
                for q, v in zip(queries, vectors, strict=False)]  # fmt: skip


def _query_vectors(session, queries: list[str]) -> list:
    """The queries' sentence embeddings in batches when the semantic extra is installed and
    the database holds embeddings; else None for each (``similar`` then stays lexical)."""
    from verifier.adapters import embeddings

    if queries and embeddings.available() and embeddings.has_vectors(session):
        return list(embeddings.embed(queries))
    return [None] * len(queries)


@say_each("no {state} pairs")
def _say_pairs(r, **_) -> None:
    click.echo(f"{r.score:5.1f} {r.kind} {r.state} {safe(r.a)} ~ {safe(r.b)}  {safe(r.reason or '')}")
    a_text, b_text = shorten_pair(safe(r.a_text), safe(r.b_text), 110)  # the difference stays in view
    click.echo(f"      A: {a_text}")
    click.echo(f"      B: {b_text}")


@click.group("duplicates", invoke_without_command=True)
@click.option("--state", type=click.Choice(["suggested", "confirmed", "rejected", "all"]), default="suggested", show_default=True)
@click.option("--limit", type=COUNT, default=None)
@output(_say_pairs, nl=True)
@group_listing
def duplicates_group(obj: Ctx, state, limit):
    """The near-duplicate review queue."""
    with reading(obj) as session:
        return views.duplicate_queue(session, state=None if state == "all" else state, limit=limit)


def _review(state_name: str, verb: str):
    @click.argument("a")
    @click.argument("b")
    @UNCHANGED_SINCE
    @click.pass_obj
    def command(obj: Ctx, a, b, unchanged_since):
        from verifier.services import commands

        snap = commands.set_link_state(obj.store.uow(unchanged_since=unchanged_since), a, b, state_name)
        click.echo(f"{verb}: {safe(snap['from'])} {snap['relation']} {safe(snap['to'])}")

    return command


duplicates_group.command("accept", help="Confirm the suggested link between A and B.")(_review("confirmed", "accepted"))
duplicates_group.command("reject", help="Reject it: the pair is never suggested again.")(_review("rejected", "rejected"))
duplicates_group.command("undo", help="Put an accepted or rejected pair back in the queue.")(_review("suggested", "back in the queue"))


@click.command()
@output(lambda out, **_: click.echo(f"scanned {out['scanned']} claims, {out['suggested']} new suggestion(s)"))
@click.pass_obj
def dedupe(obj: Ctx):
    """Rescan every claim for near-duplicates (after a threshold change)."""
    from verifier.services import commands

    with reading(obj) as session:
        total = views.count_claims(session)
    with Bars() as bars:
        return commands.dedupe(obj.store.uow(), progress=bars.bar("scanning", total))


@say_each("no copies found")
def _say_copies(r, **_) -> None:
    mark = "  (overruled: counted as independent)" if r["overruled"] else ""
    click.echo(f"{safe(r['later'])} copies {safe(r['earlier'])}{mark}: {safe(r['reason'])}")


@click.group("copies", invoke_without_command=True)
@output(_say_copies, nl=True)
@group_listing
def copies_group(obj: Ctx):
    """The copies found: later reports repeating an earlier one near-verbatim without citing
    it (they count as one origin); `copies overrule A B` says two are not copies."""
    from verifier.services import corroboration

    with reading(obj) as session:
        return corroboration.copies(session)


def _copy_verdict(service: str, said: str):
    @click.argument("a")
    @click.argument("b")
    @click.option("--note", default=None)
    @UNCHANGED_SINCE
    @click.pass_obj
    def command(obj: Ctx, a, b, note, unchanged_since):
        from verifier.services import commands

        getattr(commands, service)(obj.store.uow(unchanged_since=unchanged_since), a, b, note)
        click.echo(f"{safe(a)} and {safe(b)}: {said}")

    return command


copies_group.command("overrule", help="Say claims A and B are NOT copies of each other (they count as independent).")(
    _copy_verdict("overrule_copy", "not copies"))
copies_group.command("confirm", help="Confirm that one of claims A and B copies the other (they count as one origin).")(
    _copy_verdict("confirm_copy", "confirmed copies"))


COMMANDS = (similar, duplicates_group, dedupe, copies_group)
