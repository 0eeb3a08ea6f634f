"""The command line: ``verifier``. click handles the options (groups, env-var defaults,
``--json`` everywhere) better than argparse would.

Every read command takes ``--json`` and then prints one JSON document on stdout and nothing
else. Errors print one line on stderr and exit non-zero; nothing half-done is kept.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from verifier import bootstrap, views
from verifier.adapters.importers import ImportFileError, count_lines
from verifier.domain.display import HOSTILE, shorten, shorten_pair
from verifier.domain.model import VERDICTS, DomainError, NotFound

EXIT_ERROR = 1
COUNT = click.IntRange(min=0)  # --limit, --offset: a negative count is a mistake, not "all"

def safe(text) -> str:
    """Text from users, made harmless for a terminal: control and bidi characters are
    shown as escapes, never interpreted."""
    if text is None:
        return ""
    return HOSTILE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


class Ctx:
    def __init__(self, db: str | None, analyst: str | None):
        self.db = db
        self.analyst = analyst or bootstrap.default_analyst()
        self._store = None

    @property
    def store(self) -> bootstrap.Store:
        """The store, for a command that writes: a missing database is created (in an
        existing folder only), and the user is told so on stderr."""
        return self.open(write=True)

    def open(self, *, write: bool) -> bootstrap.Store:
        """The store; a read never creates a database (a typo must not make an empty one)."""
        if self._store is None:
            self._store = bootstrap.connect(self.db, self.analyst, create=write)
        return self._store

    def announce_if_new(self) -> None:
        """After a command that succeeded: say on stderr that it created the database."""
        if self._store is not None and self._store.created:
            self._store.created = False
            click.echo(f"verifier: created a new database at {safe(self._store.where())}", err=True)

    def discard_if_new(self) -> None:
        """After a failed command: a database this command created and left empty goes
        (a failed first import leaves no empty file behind)."""
        store, self._store = self._store, None
        if store is not None and store.created:
            store.remove_if_empty()


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def reading(ctx: Ctx):
    with ctx.open(write=False).uow(readonly=True) as uow:
        yield uow.session


def _one_line(exc: click.ClickException) -> str:
    """click's message on one line; a usage error says where to read more."""
    text = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        where = f"{ctx.command_path.partition(' ')[2]}: " if ctx.parent is not None else ""
        text = f"{where}{text} (see `{ctx.command_path} --help`)"
    return text


def _fail(message: str, code: int = EXIT_ERROR):
    click.echo(f"verifier: {safe(message)}", err=True)
    sys.exit(code)


class Verifier(click.Group):
    """Turns domain and database errors into one clear line and an exit code; click's own
    errors (usage) too: one line, not click's usage block."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # `verifier` alone: the help, as click gives it
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            _fail(_one_line(exc), exc.exit_code)
        except click.Abort:
            _fail("aborted")
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx):
        try:
            out = self._invoke(ctx)
        except BaseException as exc:
            failed = not isinstance(exc, (SystemExit, click.exceptions.Exit)) or \
                getattr(exc, "code", getattr(exc, "exit_code", 1)) not in (0, None)
            obj = ctx.find_object(Ctx)
            if failed and obj is not None:
                obj.discard_if_new()
            elif obj is not None:
                obj.announce_if_new()
            raise
        obj = ctx.find_object(Ctx)
        if obj is not None:
            obj.announce_if_new()
        return out

    def _invoke(self, ctx):
        from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

        try:
            return super().invoke(ctx)
        except ImportFileError as exc:
            _fail(str(exc))
        except (DomainError, NotFound, bootstrap.SchemaError) as exc:
            _fail(str(exc))
        except (OperationalError, ProgrammingError, DBAPIError) as exc:
            text = str(exc.orig) if getattr(exc, "orig", None) is not None else str(exc)
            first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
            if "permission denied" in first.lower() or "read-only" in first.lower() or "readonly" in first.lower():
                _fail(f"permission denied: this database role may only read ({first})")
            if "append-only" in first:
                _fail("the audit log is append-only")
            _fail(f"database error: {first}")
        except BrokenPipeError:
            # the reader went away (e.g. `| head`): not an error worth a message
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as exc:
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}".strip(": "))
        except KeyboardInterrupt:
            _fail("interrupted; nothing from the interrupted step was kept", 130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug: still one line, nothing half-written (the unit of work rolled back)
            if os.environ.get("VERIFIER_DEBUG"):
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (set VERIFIER_DEBUG=1 for details)")


@click.group(cls=Verifier, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="VERIFIER_DB", default=None, metavar="PATH_OR_URL",
              help="SQLite file or postgresql+psycopg:// URL (env VERIFIER_DB; default: a file in your data directory).")
@click.option("--analyst", envvar="VERIFIER_ANALYST", default=None, help="Who is acting (env VERIFIER_ANALYST; default: login name).")
@click.version_option(package_name="verifier")
@click.pass_context
def cli(ctx, db, analyst):
    """verifier: track claims, their sources and relay chains, corroboration and track records."""
    ctx.obj = Ctx(db, analyst)


# --------------------------------------------------------------------------- schema

@cli.command()
@click.pass_obj
def init(obj: Ctx):
    """Create the database (or bring an empty one to the current schema)."""
    store = bootstrap.connect(obj.db, obj.analyst, ensure=False)
    before = store.current_revision()
    store.ensure_schema()
    click.echo(f"database ready at {safe(store.where())} (schema {store.current_revision()}"
               f"{'' if before else ', created'})")


@cli.command()
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def upgrade(obj: Ctx, revision):
    """Run the database migrations up to REVISION."""
    store = bootstrap.connect(obj.db, obj.analyst, ensure=False, create=False)
    before = store.current_revision()
    store.upgrade(revision)
    click.echo(f"schema {before or 'empty'} -> {store.current_revision()}")


# --------------------------------------------------------------------------- import / export

@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "claimreview"]), default=None,
              help="Default: by file extension (.csv/.tsv: csv, .jsonld and JSON-LD .json: claimreview, else jsonl).")
@click.option("--delimiter", default=None, help="CSV delimiter (TAB for tabs).")
@click.option("--map", "mapping", default=None, help="CSV column mapping: field=column,... (e.g. text=statement,source=speaker).")
@click.option("--no-header", is_flag=True, help="The CSV has no header row (use --columns).")
@click.option("--columns", default=None, help="Column names for a CSV without header: a,b,c.")
@click.option("--verdict-map", default=None, help="Map verdict labels: label=verdict,... (e.g. pants-fire=false).")
@click.option("--quoting", type=click.Choice(["auto", "minimal", "none"]), default=None,
              help="CSV quotes: none reads quote characters as text (LIAR's TSV); default auto.")
@click.option("--no-detect", is_flag=True, help="Skip near-duplicate detection for this import.")
@click.option("--update", is_flag=True,
              help="Records already stored with other content change them (audited; derived links, suggestions "
                   "and belief recomputed). Without it such a file is refused.")
@click.option("--reject-to", "reject_to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="REJECTS.jsonl",
              help="Import the good lines (still atomically) and write each refused line here, with its file, "
                   "line, field and reason (JSON Lines). Without it a bad line refuses the whole file.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_obj
def import_(obj: Ctx, files, fmt, delimiter, mapping, no_header, columns, verdict_map, quoting, no_detect, update,
            reject_to, as_json):
    """Import JSON Lines, CSV (optionally through a column mapping) or ClaimReview JSON-LD
    files, each atomically (all of it or none of it)."""
    from verifier.adapters.importers import write_rejects

    if reject_to is not None:
        _check_folder(reject_to)
    results, rejects = [], []
    for path in files:
        options = {}
        file_fmt = fmt
        if delimiter:
            options["delimiter"] = "\t" if delimiter.upper() in ("TAB", "\\T") else delimiter
        if mapping or no_header or columns or verdict_map or quoting:
            from verifier.adapters import tabular

            options.update(tabular.options(mapping, no_header, columns, verdict_map, quoting))
            file_fmt = file_fmt or ("claimreview" if path.suffix.lower() in (".json", ".jsonld") else "csv")
        total = count_lines(path) if path.exists() and path.is_file() else 0
        refused: list[ImportFileError] | None = [] if reject_to is not None else None
        with _Bars() as bars:
            try:
                counts = _import_one(obj, path, file_fmt, bars.bar(f"importing {path.name}", total, at_least=10_000),
                                     not no_detect, dict(options, update=update, rejects=refused),
                                     lambda n: bars.bar("near-duplicates", n, at_least=2_000))  # embedding: slow
            except ImportFileError as exc:
                if exc.line is None or reject_to is not None or not exc.show_field:
                    raise
                raise ImportFileError(exc.file, exc.line, exc.field, f"{exc.problem} (to import the other lines "
                                      "and set the bad ones aside: --reject-to REJECTS.jsonl)") from None
        if refused is not None:
            rejects += refused
            with _private_file(reject_to) as fh:  # after each file: what was kept is accounted for
                write_rejects(fh, rejects)
            counts["refused"] = len(refused)
        results.append({"file": str(path), **counts})
        if not as_json:
            added = ", ".join(f"{v} {k}" for k, v in counts.items() if v and k != "refused") or "nothing new"
            aside = f"; {len(refused)} line(s) refused, written to {safe(reject_to)}" if refused else ""
            click.echo(f"{safe(path)}: {added}{aside}")
    if as_json:
        emit_json(results if len(results) > 1 else results[0])


def _import_one(obj: Ctx, path, fmt, advance, detect, options, detect_progress=None):
    from verifier.services import importing

    uow = obj.store.uow()
    with uow:
        counts = importing.import_file(uow, path, fmt=fmt, progress=advance, detect=detect,
                                       detect_progress=detect_progress, **options)
        uow.commit()
    return counts


class _Bars:
    """Progress bars on stderr for long work, one per stage (none for short work)."""

    def __init__(self):
        self._progress = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.stop()

    def bar(self, label: str, total: int, *, at_least: int = 1):
        """An ``advance(n)`` for a new bar of ``total`` steps, or None below ``at_least``."""
        if total < at_least:
            return None
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self._progress.start()
        progress, task = self._progress, self._progress.add_task(label, total=total)
        step, pending = min(2000, max(1, total // 100)), [0]

        def advance(n: int = 1):
            pending[0] += n
            if pending[0] >= step:
                progress.advance(task, pending[0])
                pending[0] = 0

        return advance


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "claimreview", "stix"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File (default: stdout).")
@click.pass_obj
def export(obj: Ctx, fmt, output):
    """Export everything in the import format (or ClaimReview / STIX 2.1)."""
    from verifier.adapters import exporters

    with reading(obj) as session:
        if fmt != "jsonl":
            text = views.export(session, fmt)
            _write_private(output, text)
            return
        if output is None:
            exporters.write_jsonl(session, sys.stdout)
        else:
            with _private_file(output) as fh:
                n = exporters.write_jsonl(session, fh)
            click.echo(f"{n} records written to {safe(output)}", err=True)


def _check_folder(path: Path) -> None:
    """An output file's folder must exist: one line naming it, not a temporary file's name."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise click.ClickException(f"no folder {folder} to write {path.name} in")


@contextmanager
def _private_file(path: Path):
    """A file readable by its owner only, written whole or not at all."""
    _check_folder(path)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
        os.replace(tmp, path)
        os.chmod(path, 0o600)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_private(path: Path | None, text: str) -> None:
    if path is None:
        click.echo(text)
        return
    with _private_file(path) as fh:
        fh.write(text)


# --------------------------------------------------------------------------- sources

@cli.command("sources")
@click.option("--search", default=None, help="Only sources whose name or id contains this.")
@click.option("--sort", "order", type=click.Choice(["score", "low", "name", "claims"]), default="score", show_default=True,
              help="low: by the lower end of the 90% interval (a short record does not top the list).")
@click.option("--topic", default=None, help="The record on this tag or subject only.")
@click.option("--limit", type=COUNT, default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def sources_(obj: Ctx, search, order, topic, limit, as_json):
    """List sources with their track records."""
    with reading(obj) as session:
        rows = views.sources(session, search=search, order=order, limit=limit, topic=topic)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no sources")
        return
    if topic:
        click.echo(f"records on {safe(topic)} (claims tagged so, or with that subject)")
    click.echo(f"{'id':<22} {'name':<40} {'claims':>6} {'res':>4}  score  90% interval  letter")
    for r in rows:
        click.echo(f"{shorten(safe(r['id']), 22):<22} {shorten(safe(r['name']), 40):<40} {r['claims']:>6} {r['resolved']:>4}  "
                   f"{r['score']:.2f}  {r['low']:.2f}-{r['high']:.2f}    {r['letter']}")


@cli.group("source", cls=Verifier)
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
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def source_add(obj: Ctx, key, name, kind, aliases, affiliation, parent, grade, notes, as_json):
    """Add a source."""
    from verifier.services import commands

    snap = commands.add_source(obj.store.uow(), key, name, kind=kind, aliases=aliases, affiliation=affiliation,
                               parent=parent, grade=grade, notes=notes)
    emit_json(snap) if as_json else click.echo(f"added source {safe(key)}")


@source_group.command("edit")
@click.argument("key")
@click.option("--name", default=None)
@click.option("--type", "kind", default=None)
@click.option("--affiliation", default=None)
@click.option("--parent", default=None)
@click.option("--grade", default=None)
@click.option("--notes", default=None)
@click.pass_obj
def source_edit(obj: Ctx, key, **changes):
    """Edit a source (audited)."""
    from verifier.services import commands

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


@source_group.command("show")
@click.argument("key")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="The record as it stood on this date.")
@click.option("--topic", default=None, help="The record on this tag or subject only.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def source_show(obj: Ctx, key, as_of, topic, as_json):
    """One source: track record, score after each resolution, what moved it, history."""
    with reading(obj) as session:
        d = views.source_detail(session, key, as_of=as_of.date() if as_of else None, topic=topic)
    if d is None:
        raise NotFound("source", key)
    if as_json:
        emit_json(d)
        return
    rel = d["reliability"]
    click.echo(f"{safe(d['name'])}  [{safe(d['id'])}]  {d['type']}" + (f", {safe(d['affiliation'])}" if d["affiliation"] else ""))
    if d["parent"]:
        click.echo(f"  part of: {safe(d['parent'])}")
    click.echo(f"  grade {d['grade'] or '-'}; reliability {rel['score']:.2f} (90% {rel['low']:.2f}-{rel['high']:.2f}), "
               f"letter {rel['letter']}, from {rel['counted']} resolved claims" + (f" on {safe(d['topic'])}" if d["topic"] else "")
               + (f" as of {d['as_of']}" if d["as_of"] else ""))
    if rel["borrows_from"]:
        click.echo(f"  prior learned from its group ({safe(rel['borrows_from'])}): Beta({rel['prior'][0]:.2f}, {rel['prior'][1]:.2f})")
    if d["half_life_days"]:
        click.echo(f"  resolutions weighed down with a half-life of {d['half_life_days']:g} days")
    if d["topics"] and not d["topic"]:
        click.echo("  topics: " + ", ".join(f"{safe(t['topic'])} ({t['resolved']})" for t in d["topics"][:10]))
    click.echo(f"  claims: {d['claims']}, relayed others' claims: {d['relayed']}")
    for dep in d["depends_on"]:
        click.echo(f"  depends on: {safe(dep['source'])}")
    if d["score_history"]:
        click.echo("  score after each resolution:")
        for s in d["score_history"]:
            click.echo(f"    {s['at'][:10]}  {safe(s['claim']):<16} {s['verdict']:<13} {s['before']:.2f} -> {s['after']:.2f} ({s['delta']:+.2f})")
    if d["moved_most"]:
        click.echo("  moved it most: " + ", ".join(f"{safe(m['claim'])} ({m['verdict']}, {m['delta']:+.2f})" for m in d["moved_most"]))
    _print_history(d["history"])


def _print_history(history):
    if not history:
        return
    click.echo("  history:")
    for ev in history:
        what = ev["action"]
        if ev["action"] == "import":
            what = f"imported from {(ev['after'] or {}).get('file')}"
        elif ev["action"] == "note":
            what = f"note: {(ev['after'] or {}).get('note')}"
        elif ev["action"] == "withdraw-note":
            what = f"withdrew note: {(ev['before'] or {}).get('note')}"
        elif ev["action"] == "edit" and ev["entity"] == "claim":
            from verifier.domain.model import changed_fields

            what = f"edit ({', '.join(changed_fields(ev['before'] or {}, ev['after'] or {}))})"
        click.echo(f"    #{ev['seq']} {ev['at'][:19]} {safe(ev['analyst'])}: {safe(what)}")


# --------------------------------------------------------------------------- claims

@cli.command("claims")
@click.option("--unresolved", is_flag=True, help="Only claims without a verdict (the triage queue order).")
@click.option("--source", default=None, help="Only this source's claims.")
@click.option("--search", default=None, help="Only claims whose text contains this.")
@click.option("--assigned-to", default=None, metavar="me|NAME|nobody", help="Only claims assigned to them.")
@click.option("--limit", type=COUNT, default=None)
@click.option("--offset", type=COUNT, default=0)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def claims_(obj: Ctx, unresolved, source, search, assigned_to, limit, offset, as_json):
    """List claims, most in need of attention first."""
    who = obj.analyst if assigned_to == "me" else assigned_to
    with reading(obj) as session:
        rows = views.claims(session, unresolved=unresolved, source=source, search=search, limit=limit, offset=offset,
                            assigned_to=who)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no claims")
        return
    for r in rows:
        chain = (" via " + " <- ".join(safe(v) for v in r["via"])) if r["via"] else ""
        flags = []
        if r["contradicted"]:
            flags.append("contradicted")
        if r["suggested_duplicates"]:
            flags.append(f"{r['suggested_duplicates']} possible duplicate(s)")
        if r.get("assignee"):
            flags.append(f"assigned to {safe(r['assignee'])}")
        click.echo(f"[{safe(r['id'])}] {r['status']:<12} {safe(r['source'])}{chain}" + (f"  ({', '.join(flags)})" if flags else ""))
        click.echo(f"    {shorten(safe(r['text']), 200)}")


@cli.group("claim", cls=Verifier)
def claim_group():
    """Add, show or edit one claim."""


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
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def claim_add(obj: Ctx, text, source, via, key, document, published, event_date, location, tags, subject, value,
              qualifier, unit, no_detect, as_json):
    """Add a claim."""
    from verifier.services import commands

    snap = commands.add_claim(obj.store.uow(), text, source, key=key, via=via, document=document,
                              published=published.date() if published else None,
                              event_date=event_date.date() if event_date else None, location=location, tags=tags,
                              subject=subject, value=_cli_value(value), qualifier=qualifier, unit=unit,
                              detect=not no_detect)
    if as_json:
        emit_json(snap)
    else:
        click.echo(f"added claim {safe(snap['id'])}" + (f" ({snap['suggested']} possible duplicate(s) to review)" if snap["suggested"] else ""))


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


@claim_group.command("show")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def claim_show(obj: Ctx, key, as_json):
    """One claim: text, source and relay chain, links, resolutions, history."""
    with reading(obj) as session:
        d = views.claim_detail(session, key)
    if d is None:
        raise NotFound("claim", key)
    if as_json:
        emit_json(d)
        return
    click.echo(f"[{safe(d['id'])}] {safe(d['text'])}")
    chain = (" via " + " <- ".join(safe(v) for v in d["via"])) if d["via"] else ""
    click.echo(f"  source: {safe(d['source_name'])} [{safe(d['source'])}]{chain}")
    for f in ("published", "event_date", "location", "subject"):
        if d.get(f):
            click.echo(f"  {f.replace('_', ' ')}: {safe(d[f])}")
    if "value" in d:
        click.echo(f"  value: {d['qualifier']} {safe(d['value'])} {safe(d.get('unit') or '')}".rstrip())
    click.echo(f"  status: {d['status']}")
    for ln in d["links"]:
        score = f" {ln['score']:.0f}" if ln["score"] is not None else ""
        click.echo(f"  {ln['relation']} {safe(ln['other'])} [{ln['origin']}, {ln['state']}{score}]: {shorten(safe(ln['other_text']), 100)}")
        if ln["review"]:
            click.echo(f"    REVIEW: {safe(ln['review'])}")
    for r in d["resolutions"]:
        click.echo(f"  resolved {r['verdict']} at {r['at'][:10]} by {safe(r['analyst'])}: {safe(r['rationale'] or '')}")
    if any(ln["relation"] == "duplicates" and ln["state"] == "confirmed" for ln in d["links"]):
        from verifier.services import corroboration

        with reading(obj) as session:
            _print_likely_copies(corroboration.check(session, key))
    _print_history(d["history"])


def _print_likely_copies(out: dict) -> None:
    for c in out.get("likely_copies", ()):
        label = "likely copy" if c["state"] == "likely" else "copied text"
        click.echo(f"  {label} (counted once; to confirm or overrule): {safe(c['reason'])}")
        click.echo(f"    verifier copies confirm {safe(c['later'])} {safe(c['earlier'])}   |   "
                   f"verifier copies overrule {safe(c['later'])} {safe(c['earlier'])}")


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--relation", required=True, type=click.Choice(["duplicates", "corroborates", "contradicts"]))
@click.option("--note", default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def link(obj: Ctx, a, b, relation, note, as_json):
    """Link claim A to claim B (duplicates, corroborates, contradicts)."""
    from verifier.services import commands

    snap = commands.link(obj.store.uow(), a, b, relation, note)
    emit_json(snap) if as_json else click.echo(f"{safe(a)} {relation} {safe(b)}")


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--relation", required=True, type=click.Choice(["duplicates", "corroborates", "contradicts"]))
@click.pass_obj
def unlink(obj: Ctx, a, b, relation):
    """Remove a link you made between A and B (the audit log keeps it)."""
    from verifier.services import commands

    commands.unlink(obj.store.uow(), a, b, relation)
    click.echo(f"removed: {safe(a)} {relation} {safe(b)}")


@cli.command()
@click.argument("claim")
@click.argument("text")
@click.pass_obj
def note(obj: Ctx, claim, text):
    """Add a note to CLAIM (shown in its history)."""
    from verifier.services import commands

    commands.note(obj.store.uow(), claim, text)
    click.echo(f"note added to {safe(claim)}")


@cli.command()
@click.argument("claim")
@click.option("--verdict", required=True, type=click.Choice(VERDICTS))
@click.option("--rationale", default=None)
@click.option("--evidence", default=None, metavar="URL")
@click.option("--at", default=None, help="When the verdict was reached (default: now).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def resolve(obj: Ctx, claim, verdict, rationale, evidence, at, as_json):
    """Record a verdict on a claim."""
    from verifier.services import commands

    snap = commands.resolve(obj.store.uow(), claim, verdict, rationale=rationale, evidence=evidence, at=at)
    emit_json(snap) if as_json else click.echo(f"{safe(claim)}: {verdict}")


@cli.command()
@click.argument("claim")
@click.pass_obj
def unresolve(obj: Ctx, claim):
    """Undo the latest verdict on a claim (the audit log keeps both)."""
    from verifier.services import commands

    snap = commands.unresolve(obj.store.uow(), claim)
    click.echo(f"{safe(claim)}: withdrew verdict {snap['verdict']}")


# --------------------------------------------------------------------------- audit

@cli.group("audit", cls=Verifier, invoke_without_command=True)
@click.option("--limit", type=COUNT, default=50, show_default=True)
@click.option("--entity", default=None)
@click.option("--key", default=None)
@click.option("--analyst", "who", default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def audit(ctx, limit, entity, key, who, as_json):
    """The audit log: who changed what, when (latest last)."""
    if ctx.invoked_subcommand:
        return
    obj: Ctx = ctx.obj
    with reading(obj) as session:
        rows = views.audit_events(session, limit=limit, entity=entity, key=key, analyst=who)
    if as_json:
        emit_json(rows)
        return
    for ev in rows:
        click.echo(f"#{ev['seq']:<6} {ev['at'][:19]}  {safe(ev['analyst']):<12} {ev['action']:<10} {ev['entity']:<10} {safe(ev['key'] or '')}")


@audit.command("verify")
@click.option("--head", "anchor", default=None, metavar="SEQ:HASH",
              help="A head printed by an earlier verify and kept elsewhere: also catches newest events cut off.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def audit_verify(obj: Ctx, anchor, as_json):
    """Check the audit log's hash chain; name the first event edited, removed or reordered.

    Prints the chain's head (SEQ:HASH); keep it outside the database and pass it back with
    --head to detect the newest events being removed as well."""
    from verifier.domain.audit import check_anchor, verify_chain

    with reading(obj) as session:
        events = list(views.all_events(session))
    broken = verify_chain(events)
    if broken is None and anchor:
        seq, _, digest = anchor.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise click.BadParameter("expected SEQ:HASH as printed by `verifier audit verify`", param_hint="--head")
        broken = check_anchor(events, int(seq), digest)
    head = f"{events[-1].seq}:{events[-1].hash}" if events else None
    if as_json:
        emit_json({"intact": broken is None, "events": len(events), "head": head,
                   "first_bad": None if broken is None else {"seq": broken.seq, "problem": broken.problem}})
    elif broken is None:
        click.echo(f"audit log intact: {len(events)} events; head {head}")
    if broken is not None:
        if not as_json:
            click.echo(f"verifier: audit log broken at {broken}", err=True)
        sys.exit(EXIT_ERROR)


# --------------------------------------------------------------------------- duplicates

@cli.command()
@click.argument("text", required=False)
@click.option("--from", "from_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="One query per line; answers in input order.")
@click.option("--limit", type=COUNT, default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def similar(obj: Ctx, text, from_file, limit, as_json):
    """The tracked claims most like TEXT, best first."""
    if (text is None) == (from_file is None):
        raise click.UsageError("give TEXT or --from FILE")
    with reading(obj) as session:
        if from_file is not None:
            queries = [q for q in from_file.read_text(encoding="utf-8").splitlines() if q.strip()]
            vectors = _query_vectors(session, queries)  # with the semantic extra: one batch for the file
            out = [{"query": q, "matches": views.similar(session, q, limit, query_vector=v)}
                   for q, v in zip(queries, vectors, strict=False)]  # fmt: skip
        else:
            out = views.similar(session, text, limit)
    if as_json:
        emit_json(out)
        return
    for block in (out if from_file else [{"query": text, "matches": out}]):
        if from_file:
            click.echo(f"> {safe(block['query'])}")
        for m in block["matches"]:
            click.echo(f"  {m['score']:5.1f}  [{safe(m['id'])}] {shorten(safe(m['text']), 150)}")


def _query_vectors(session, queries: list[str]) -> list:
    """The queries' sentence embeddings in batches when the semantic extra is installed and
    the database holds embeddings; else None for each (``similar`` then stays lexical)."""
    from verifier.adapters import embeddings

    if queries and embeddings.available() and embeddings.has_vectors(session):
        return list(embeddings.embed(queries))
    return [None] * len(queries)


@cli.group("duplicates", cls=Verifier, invoke_without_command=True)
@click.option("--state", type=click.Choice(["suggested", "confirmed", "rejected", "all"]), default="suggested", show_default=True)
@click.option("--limit", type=COUNT, default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def duplicates_group(ctx, state, limit, as_json):
    """The near-duplicate review queue."""
    if ctx.invoked_subcommand:
        return
    with reading(ctx.obj) as session:
        rows = views.duplicate_queue(session, state=None if state == "all" else state, limit=limit)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo(f"no {state} pairs")
    for r in rows:
        click.echo(f"{r['score']:5.1f} {r['kind']:<9} {r['state']:<9} {safe(r['a'])} ~ {safe(r['b'])}  {safe(r['reason'] or '')}")
        a_text, b_text = shorten_pair(safe(r["a_text"]), safe(r["b_text"]), 110)  # the difference stays in view
        click.echo(f"      A: {a_text}")
        click.echo(f"      B: {b_text}")


def _review(state_name: str, verb: str):
    @click.argument("a")
    @click.argument("b")
    @click.pass_obj
    def command(obj: Ctx, a, b):
        from verifier.services import commands

        snap = commands.set_link_state(obj.store.uow(), a, b, state_name)
        click.echo(f"{verb}: {safe(snap['from'])} {snap['relation']} {safe(snap['to'])}")

    return command


duplicates_group.command("accept", help="Confirm the suggested link between A and B.")(_review("confirmed", "accepted"))
duplicates_group.command("reject", help="Reject it: the pair is never suggested again.")(_review("rejected", "rejected"))
duplicates_group.command("undo", help="Put an accepted or rejected pair back in the queue.")(_review("suggested", "back in the queue"))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def dedupe(obj: Ctx, as_json):
    """Rescan every claim for near-duplicates (after a threshold change)."""
    from verifier.services import commands

    with reading(obj) as session:
        total = views.count_claims(session)
    with _Bars() as bars:
        out = commands.dedupe(obj.store.uow(), progress=bars.bar("scanning", total))
    emit_json(out) if as_json else click.echo(f"scanned {out['scanned']} claims, {out['suggested']} new suggestion(s)")


@cli.group("settings", cls=Verifier, invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def settings_group(ctx, as_json):
    """Show or change settings (match.t1, match.t2: the near-duplicate thresholds;
    reliability.half_life_days: old resolutions weigh half as much after this many days, or off)."""
    if ctx.invoked_subcommand:
        return
    from verifier.services import commands

    with reading(ctx.obj) as session:
        out = commands.settings(session)
    emit_json(out) if as_json else [click.echo(f"{k} = {'off' if v is None else v}") for k, v in out.items()]


@settings_group.command("set")
@click.argument("name", type=click.Choice(["match.t1", "match.t2", "reliability.half_life_days"]))
@click.argument("value")
@click.pass_obj
def settings_set(obj: Ctx, name, value):
    from verifier.services import commands

    out = commands.set_setting(obj.store.uow(), name, value)
    hint = " (run `verifier dedupe` to rescan)" if name.startswith("match.") else ""
    click.echo(f"{name} = {out['value']}{hint}")


# --------------------------------------------------------------------------- corroboration

@cli.command()
@click.argument("claim")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def check(obj: Ctx, claim, as_json):
    """Is CLAIM independently corroborated? With the reports counted once, and why."""
    from verifier.services import corroboration

    with reading(obj) as session:
        out = corroboration.check(session, claim)
    if as_json:
        emit_json(out)
        return
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
    _print_likely_copies(out)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def score(obj: Ctx, as_json):
    """Recompute belief and credibility for every claim (copy-aware truth discovery)."""
    from verifier.services import commands

    out = commands.score(obj.store.uow())
    emit_json(out) if as_json else click.echo(f"scored {out['claims']} claims: {out['changed']} changed, "
                                              f"{out['copiers']} copying source pair(s) found")


@cli.group("copies", cls=Verifier, invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def copies_group(ctx, as_json):
    """The copies found: later reports repeating an earlier one near-verbatim without citing
    it (they count as one origin); `copies overrule A B` says two are not copies."""
    if ctx.invoked_subcommand:
        return
    from verifier.services import corroboration

    with reading(ctx.obj) as session:
        rows = corroboration.copies(session)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no copies found")
    for r in rows:
        mark = "  (overruled: counted as independent)" if r["overruled"] else ""
        click.echo(f"{safe(r['later'])} copies {safe(r['earlier'])}{mark}: {safe(r['reason'])}")


def _copy_verdict(service: str, said: str):
    @click.argument("a")
    @click.argument("b")
    @click.option("--note", default=None)
    @click.pass_obj
    def command(obj: Ctx, a, b, note):
        from verifier.services import commands

        getattr(commands, service)(obj.store.uow(), a, b, note)
        click.echo(f"{safe(a)} and {safe(b)}: {said}")

    return command


copies_group.command("overrule", help="Say claims A and B are NOT copies of each other (they count as independent).")(
    _copy_verdict("overrule_copy", "not copies"))
copies_group.command("confirm", help="Confirm that one of claims A and B copies the other (they count as one origin).")(
    _copy_verdict("confirm_copy", "confirmed copies"))


# --------------------------------------------------------------------------- demo / tui

@cli.command()
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
    _run_tui(obj, title=f"demo: {path}")


def _print_summary(obj: Ctx) -> None:
    with reading(obj) as session:
        summ = views.summary(session)
        srcs = views.sources(session)
        queue = views.claims(session, unresolved=True)
    click.echo(f"demo database: {safe(obj.db)}")
    click.echo(f"{summ['sources']} sources, {summ['claims']} claims ({summ['unresolved']} unresolved), "
               f"{summ['links']} links, {summ['events']} audit events\n")
    click.echo("Sources (reliability: Beta posterior mean, 90% interval, Admiralty letter)")
    for s in srcs:
        aff = f" ({safe(s['affiliation'])})" if s["affiliation"] else ""
        click.echo(f"  {s['letter']} {s['score']:.2f} [{s['low']:.2f}-{s['high']:.2f}]  {safe(s['name'])}{aff}: "
                   f"{s['claims']} claim(s), {s['resolved']} resolved")
    click.echo("\nUnresolved claims (contradicted first, then most reported, then newest)")
    for c in queue:
        chain = (" via " + " <- ".join(safe(v) for v in c["via"])) if c["via"] else ""
        flag = " [contradicted]" if c["contradicted"] else ""
        click.echo(f"  [{safe(c['id'])}] {safe(c['source'])}{chain}{flag}: {shorten(safe(c['text']), 120)}")
    click.echo("\nTry: verifier --db " + safe(obj.db) + " claims --unresolved   |   ... check c1   |   ... tui")


def _run_tui(obj: Ctx, title: str | None = None, *, sign_in: bool = False) -> None:
    # the one door from the core to the TUI: a lazy import at the entry point
    from tui.app import run

    # an existing database only (a typo must not open an empty one), handed to the app as is
    run(obj.open(write=False), sub_title=title, sign_in=sign_in)


@cli.command()
@click.option("--sign-in", is_flag=True, hidden=True, help="Ask for a name and password first (what `verifier serve` runs).")
@click.pass_obj
def tui(obj: Ctx, sign_in):
    """Open the triage terminal UI."""
    _run_tui(obj, sign_in=sign_in)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File (written readable by you only; default: stdout).")
@click.option("--json", "as_json", is_flag=True, help="Print the report's content as JSON instead.")
@click.pass_obj
def report(obj: Ctx, fmt, output, as_json):
    """Track-record report: sources' records and scores over time, corroborated and contested claims."""
    from verifier.services import report as report_service

    with reading(obj) as session:
        if as_json:
            emit_json(report_service.build(session))
            return
        text = report_service.render(session, fmt)
    _write_private(output, text)
    if output is not None:
        click.echo(f"report written to {safe(output)}", err=True)


@cli.command("grant-readonly")
@click.argument("role")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def grant_readonly(obj: Ctx, role, as_json):
    """PostgreSQL: let an existing ROLE read everything in this store and change nothing."""
    from verifier.services import privileges

    out = privileges.grant_readonly(obj.store, role)
    emit_json(out) if as_json else click.echo(
        f"{safe(role)} may read the {out['tables']} tables of schema {safe(out['schema'])} and change nothing")


from verifier.cli_ingest import register as _register_ingest  # noqa: E402  (its commands need the group above)

_register_ingest(cli)

from verifier.cli_document import document_group  # noqa: E402 (a command group in its own module)

cli.add_command(document_group)

from verifier import cli_team  # noqa: E402  (user, assign, watch, inbox, serve)

cli_team.register(cli)


def main(argv=None) -> None:
    cli.main(args=argv, prog_name="verifier")


if __name__ == "__main__":  # pragma: no cover
    main()
