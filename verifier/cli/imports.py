"""Files in and out: ``import`` (JSON Lines, CSV, ClaimReview) and ``export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from verifier import views
from verifier.cli.common import Bars, Ctx, check_folder, output, private_file, reading, safe, wants_json, write_private
from verifier.services.importing import FORMATS


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
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
@output(help="Print the counts as JSON.")
@click.pass_obj
def import_(obj: Ctx, files, fmt, delimiter, mapping, no_header, columns, verdict_map, quoting, no_detect, update,
            reject_to):
    """Import JSON Lines, CSV (optionally through a column mapping) or ClaimReview JSON-LD
    files, each atomically (all of it or none of it)."""
    from verifier.adapters.importers import write_rejects

    if reject_to is not None:
        check_folder(reject_to)
    tabular = {"mapping": mapping, "no_header": no_header, "columns": columns, "verdict_map": verdict_map,
               "quoting": quoting}
    results, rejects = [], []
    for path in files:
        fmt_here, options = _options(path, fmt, delimiter, tabular)
        refused = [] if reject_to is not None else None
        counts = _import_one(obj, path, fmt_here, dict(options, update=update, rejects=refused), not no_detect,
                             reject_to is not None)
        if refused is not None:
            rejects += refused
            with private_file(reject_to) as fh:  # after each file: what was kept is accounted for
                write_rejects(fh, rejects)
            counts["refused"] = len(refused)
        results.append({"file": str(path), **counts})
        if not wants_json():  # one line per file as it is done
            added = ", ".join(f"{v} {k}" for k, v in counts.items() if v and k != "refused") or "nothing new"
            aside = f"; {len(refused)} line(s) refused, written to {safe(reject_to)}" if refused else ""
            click.echo(f"{safe(path)}: {added}{aside}")
    return results if len(results) > 1 else results[0]


def _options(path: Path, fmt, delimiter, tabular: dict) -> tuple[str | None, dict]:
    """The format and reader options for one file."""
    options = {}
    if delimiter:
        options["delimiter"] = "\t" if delimiter.upper() in ("TAB", "\\T") else delimiter
    if any(tabular.values()):
        from verifier.adapters import tabular as tabular_reader

        options.update(tabular_reader.options(*tabular.values()))
        fmt = fmt or ("claimreview" if path.suffix.lower() in (".json", ".jsonld") else "csv")
    return fmt, options


def _import_one(obj: Ctx, path: Path, fmt, options: dict, detect: bool, rejecting: bool) -> dict:
    from verifier.adapters.importers import ImportFileError, count_lines
    from verifier.services import importing
    from verifier.services.unit_of_work import retried

    total = count_lines(path) if path.exists() and path.is_file() else 0
    with Bars() as bars:
        @retried  # the whole transaction again (the file read again) if PostgreSQL aborted it for another writer
        def run(uow) -> dict:
            with uow:
                counts = importing.import_file(
                    uow, path, fmt=fmt, detect=detect, **options,
                    progress=bars.bar(f"importing {path.name}", total, at_least=10_000),
                    detect_progress=lambda n: bars.bar("near-duplicates", n, at_least=2_000))  # embedding: slow
                uow.commit()
                return counts

        try:
            counts = run(obj.store.uow())
        except ImportFileError as exc:
            if exc.line is None or rejecting or not exc.show_field:
                raise
            raise ImportFileError(exc.file, exc.line, exc.field, f"{exc.problem} (to import the other lines "
                                  "and set the bad ones aside: --reject-to REJECTS.jsonl)") from None
    return counts


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "claimreview", "stix"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File (default: stdout).")
@click.pass_obj
def export(obj: Ctx, fmt, output):
    """Export everything in the import format (or ClaimReview / STIX 2.1)."""
    from verifier.adapters import exporters

    with reading(obj) as session:
        if fmt != "jsonl":
            write_private(output, views.export(session, fmt))
            return
        if output is None:
            exporters.write_jsonl(session, sys.stdout)
            return
        with private_file(output) as fh:
            n = exporters.write_jsonl(session, fh)
    click.echo(f"{n} records written to {safe(output)}", err=True)


COMMANDS = (import_, export)
