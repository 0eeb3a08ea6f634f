"""Property tests (hypothesis) for import and export.

1. Any valid file (generated: sources with parents, documents, claims with relay chains,
   structured values and odd Unicode, links, resolutions, dependencies) imports; every text
   in it comes back exactly through export; export -> import into a fresh database ->
   export is identical; importing the same file again changes nothing.
2. A valid file mutated (truncated, a byte changed, bytes inserted, a line dropped,
   duplicated or changed, a value of the wrong type) either imports or is refused with one
   line naming the file; either way nothing is half-written.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.robustness.rtcheck import check_texts_round_trip
from verifier import bootstrap
from verifier.adapters import exporters, orm
from verifier.cli import cli
from verifier.services import importing

TABLES = (orm.sources, orm.documents, orm.claims, orm.claim_relays, orm.links, orm.resolutions,
          orm.source_dependencies, orm.events)
# VERIFIER_PROPERTY_SCALE=10 runs ten times the examples (a longer hunt, by hand)
SCALE = float(os.environ.get("VERIFIER_PROPERTY_SCALE", "1"))
SETTINGS = dict(deadline=None, derandomize=False, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --------------------------------------------------------------------------- strategies

# text: any Unicode but NUL and lone surrogates, no leading/trailing whitespace (it is trimmed)
_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
texts = st.text(_chars, min_size=1, max_size=60).map(str.strip).filter(bool)
short_texts = st.text(_chars, min_size=1, max_size=15).map(str.strip).filter(bool)
# ids: printable, no whitespace or ';' (a ';' splits a relay chain written as text)
_key_chars = st.characters(whitelist_categories=("L", "N", "Pd", "Pc", "So"), blacklist_characters=";")
keys = st.text(_key_chars, min_size=1, max_size=12) | st.from_regex(r"[a-z][a-z0-9._:/-]{0,10}", fullmatch=True)
dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
# verdict times: never in the future (a verdict dated beyond today is refused)
datetimes = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2025, 12, 31)).map(
    lambda d: d.replace(microsecond=0).isoformat())
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
numbers = st.integers(-10**9, 10**9) | finite


@st.composite
def values(draw) -> dict:
    kind = draw(st.sampled_from(["none", "number", "range", "text"]))
    out: dict = {}
    if kind == "number":
        out["value"] = draw(numbers)
        out["qualifier"] = draw(st.sampled_from(["exact", "about", "more than", "less than"]))
    elif kind == "range":
        lo, hi = sorted((draw(numbers), draw(numbers)))
        out["value"] = [lo, hi]
        out["qualifier"] = "between"
    elif kind == "text":
        # text that does not read as a number ("5" would be stored, and exported, as 5)
        out["value"] = draw(short_texts.filter(lambda t: not _numeric(t)))
    if out and draw(st.booleans()):
        out["unit"] = draw(short_texts)
    return out


def _numeric(t: str) -> bool:
    try:
        float(t.replace(",", ""))
        return True
    except ValueError:
        return False


def _maybe(draw, strategy, p_none=0.5):
    return None if draw(st.floats(0, 1)) < p_none else draw(strategy)


@st.composite
def import_files(draw) -> list[dict]:  # noqa: C901 -- a hypothesis strategy: one draw per optional field
    src_keys = draw(st.lists(keys, min_size=1, max_size=5, unique=True))
    records: list[dict] = []
    for i, k in enumerate(src_keys):
        rec = {"kind": "source", "id": k, "name": draw(texts)}
        if draw(st.booleans()):
            rec["aliases"] = draw(st.lists(short_texts, max_size=3, unique=True))
        if draw(st.booleans()):
            rec["type"] = draw(st.sampled_from(["outlet", "monitor", "social", "official", "think-tank", "individual"]))
        for f, strat in (("affiliation", short_texts), ("grade", st.sampled_from("ABCDEFG")), ("notes", texts)):
            v = _maybe(draw, strat)
            if v is not None:
                rec[f] = v
        if i and draw(st.booleans()):
            rec["parent"] = draw(st.sampled_from(src_keys[:i]))  # earlier sources only: no cycles
        records.append(rec)
    doc_keys = draw(st.lists(keys, max_size=2, unique=True))
    for k in doc_keys:
        rec = {"kind": "document", "id": k}
        for f, strat in (("title", texts), ("url", short_texts), ("publisher", st.sampled_from(src_keys)),
                         ("published", dates), ("retrieved", dates)):
            v = _maybe(draw, strat)
            if v is not None:
                rec[f] = v
        records.append(rec)
    claim_keys = draw(st.lists(keys, min_size=1, max_size=8, unique=True))
    for k in claim_keys:
        source = draw(st.sampled_from(src_keys))
        others = [s for s in src_keys if s != source]
        rec = {"kind": "claim", "id": k, "text": draw(texts), "source": source}
        if others and draw(st.booleans()):
            rec["via"] = draw(st.lists(st.sampled_from(others), max_size=3, unique=True))
        for f, strat in (("published", dates), ("event_date", dates), ("location", short_texts),
                         ("subject", short_texts), ("document", st.sampled_from(doc_keys) if doc_keys else st.nothing())):
            v = _maybe(draw, strat) if f != "document" or doc_keys else None
            if v is not None:
                rec[f] = v
        if draw(st.booleans()):
            rec["tags"] = draw(st.lists(short_texts, max_size=3, unique=True))
        rec.update(draw(values()))
        records.append(rec)
    if len(claim_keys) > 1:
        pairs = draw(st.lists(st.tuples(st.sampled_from(claim_keys), st.sampled_from(claim_keys),
                                        st.sampled_from(["duplicates", "corroborates", "contradicts"])),
                              max_size=4, unique=True))
        for a, b, rel in pairs:
            if a != b:
                rec = {"kind": "link", "from": a, "to": b, "relation": rel}
                note = _maybe(draw, texts)
                if note is not None:
                    rec["note"] = note
                if draw(st.booleans()):
                    rec["state"] = draw(st.sampled_from(["confirmed", "rejected", "suggested"]))
                records.append(rec)
    for _ in range(draw(st.integers(0, 3))):
        rec = {"kind": "resolution", "claim": draw(st.sampled_from(claim_keys)),
               "verdict": draw(st.sampled_from(["true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable"])),
               "at": draw(datetimes)}
        for f, strat in (("rationale", texts), ("evidence", short_texts)):
            v = _maybe(draw, strat)
            if v is not None:
                rec[f] = v
        records.append(rec)
    if len(src_keys) > 1 and draw(st.booleans()):
        a, b = draw(st.lists(st.sampled_from(src_keys), min_size=2, max_size=2, unique=True))
        records.append({"kind": "dependency", "source": a, "on": b})
    return records


def to_jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


# --------------------------------------------------------------------------- databases

@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("prop") / "empty.db"
    bootstrap.connect(db, "prop").dispose()
    _checkpoint(db)
    return db


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory) -> Path:
    from tests.conftest import SEED, import_path

    db = tmp_path_factory.mktemp("prop") / "seeded.db"
    store = bootstrap.connect(db, "prop")
    import_path(store, SEED)
    store.dispose()
    _checkpoint(db)
    return db


def _checkpoint(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _copy(template: Path, where: Path) -> Path:
    db = where / "work.db"
    shutil.copyfile(template, db)
    return db


def _export(store) -> str:
    buf = io.StringIO()
    with store.uow(readonly=True) as uow:
        exporters.write_jsonl(uow.session, buf)
    return buf.getvalue()


def _import(store, path: Path, **options) -> dict:
    with store.uow() as uow:
        counts = importing.import_file(uow, path, **options)
        uow.commit()
    return counts


def _counts(db: Path) -> dict:
    store = bootstrap.connect(db, "c")
    try:
        with store.uow(readonly=True) as uow:
            return {t.name: uow.session.execute(select(func.count()).select_from(t)).scalar() for t in TABLES}
    finally:
        store.dispose()


# --------------------------------------------------------------------------- 1. round trip

@settings(max_examples=int(40 * SCALE), **SETTINGS)
@given(records=import_files())
def test_valid_files_round_trip_through_export(records, empty_db):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = tmp / "generated.jsonl"
        path.write_bytes(to_jsonl(records))
        first = bootstrap.connect(_copy(empty_db, tmp), "prop")
        try:
            _import(first, path)
            e1 = _export(first)
            check_texts_round_trip(path, e1)
            again = _import(first, path)  # the same file twice: nothing new, nothing changed
            assert not any(again.values()), again
            assert _export(first) == e1
        finally:
            first.dispose()
        (tmp / "e1.jsonl").write_text(e1, encoding="utf-8")
        fresh_dir = tmp / "fresh"
        fresh_dir.mkdir()
        second = bootstrap.connect(_copy(empty_db, fresh_dir), "prop")
        try:
            _import(second, tmp / "e1.jsonl")
            e2 = _export(second)
        finally:
            second.dispose()
        assert e2 == e1


# --------------------------------------------------------------------------- 2. mutations

@st.composite
def mutated_files(draw) -> bytes:
    records = draw(import_files())
    data = to_jsonl(records)
    lines = data.split(b"\n")[:-1]
    how = draw(st.sampled_from(["truncate", "byte", "insert", "drop-line", "dup-line", "swap-type", "garbage-line"]))
    if how == "truncate":
        return data[:draw(st.integers(0, max(0, len(data) - 1)))]
    if how == "byte":
        i = draw(st.integers(0, len(data) - 1))
        return data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1:]
    if how == "insert":
        i = draw(st.integers(0, len(data)))
        return data[:i] + draw(st.binary(min_size=1, max_size=8)) + data[i:]
    if how == "drop-line":
        i = draw(st.integers(0, len(lines) - 1))
        return b"\n".join(lines[:i] + lines[i + 1:]) + b"\n"
    if how == "dup-line":  # the same id again, with other content
        i = draw(st.integers(0, len(lines) - 1))
        rec = json.loads(lines[i])
        field = draw(st.sampled_from(sorted(k for k in rec if k != "kind")))
        rec[field] = draw(texts)
        return data + json.dumps(rec, ensure_ascii=False).encode() + b"\n"
    if how == "swap-type":
        i = draw(st.integers(0, len(lines) - 1))
        rec = json.loads(lines[i])
        field = draw(st.sampled_from(sorted(rec)))
        rec[field] = draw(st.none() | st.booleans() | st.integers() | st.lists(st.integers(), max_size=2)
                          | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2) | texts)
        lines[i] = json.dumps(rec, ensure_ascii=False).encode()
        return b"\n".join(lines) + b"\n"
    i = draw(st.integers(0, len(lines)))
    junk = draw(st.binary(min_size=1, max_size=30).filter(lambda b: b"\n" not in b))
    return b"\n".join(lines[:i] + [junk] + lines[i:]) + b"\n"


@settings(max_examples=int(80 * SCALE), **SETTINGS)
@given(data=mutated_files())
def test_mutated_files_never_half_write(data, seeded_db):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = _copy(seeded_db, tmp)
        path = tmp / "mutated.jsonl"
        path.write_bytes(data)
        before = _counts(db)
        result = CliRunner().invoke(cli, ["--db", str(db), "import", "--no-detect", str(path)])
        assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
        if result.exit_code == 1:
            lines = result.stderr.strip("\n").split("\n")
            assert len(lines) == 1 and lines[0].startswith(f"verifier: {path}"), result.stderr
            assert _counts(db) == before, "a refused file left something behind"
        else:
            after = _counts(db)
            assert all(after[t] >= before[t] for t in before), (before, after)
        verify = CliRunner().invoke(cli, ["--db", str(db), "audit", "verify"])
        assert verify.exit_code == 0, verify.output


# --------------------------------------------------------------------------- 3. re-import with changes

@st.composite
def file_and_changed_file(draw) -> tuple[list[dict], list[dict]]:
    """A valid file and a second version of it in which some claims say something else."""
    records = draw(import_files())
    src_keys = [r["id"] for r in records if r["kind"] == "source"]
    doc_keys = [r["id"] for r in records if r["kind"] == "document"]
    changed = []
    for rec in records:
        rec = dict(rec)
        if rec["kind"] == "claim" and draw(st.booleans()):
            for field in draw(st.lists(st.sampled_from(["text", "source", "via", "location", "tags", "subject", "value",
                                                        "published", "event_date", "document"]), min_size=1, unique=True)):
                if field == "text":
                    rec["text"] = draw(texts)
                elif field == "source":
                    rec["source"] = draw(st.sampled_from(src_keys))
                    rec["via"] = [v for v in rec.get("via", []) if v != rec["source"]]
                elif field == "via":
                    others = [s for s in src_keys if s != rec["source"]]
                    rec["via"] = draw(st.lists(st.sampled_from(others), max_size=3, unique=True)) if others else []
                elif field == "value":
                    for f in ("value", "qualifier", "unit"):
                        rec.pop(f, None)
                    rec.update(draw(values()))
                elif field == "document":
                    if doc_keys and draw(st.booleans()):
                        rec["document"] = draw(st.sampled_from(doc_keys))
                    else:
                        rec.pop("document", None)
                elif draw(st.booleans()):
                    rec.pop(field, None)  # no longer said
                else:
                    rec[field] = draw({"location": short_texts, "subject": short_texts, "published": dates,
                                       "event_date": dates, "tags": st.lists(short_texts, max_size=3, unique=True)}[field])
        changed.append(rec)
    return records, changed


def _claims_of(export: str, keys: set[str]) -> dict:
    out = {}
    for line in export.split("\n")[:-1]:
        rec = json.loads(line)
        if rec["kind"] == "claim" and rec["id"] in keys:
            out[rec["id"]] = rec
    return out


@settings(max_examples=int(40 * SCALE), **SETTINGS)
@given(versions=file_and_changed_file())
def test_reimporting_a_changed_file_applies_every_change(versions, empty_db):
    """A second version of a file, imported with update, changes the claims it changes (and
    only those): each claim then reads exactly as a fresh import of the second version gives it."""
    first, second = versions
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "v1.jsonl").write_bytes(to_jsonl(first))
        (tmp / "v2.jsonl").write_bytes(to_jsonl(second))
        keys = {str(r["id"]) for r in second if r["kind"] == "claim"}
        store = bootstrap.connect(_copy(empty_db, tmp), "prop")
        try:
            _import(store, tmp / "v1.jsonl")
            counts = _import(store, tmp / "v2.jsonl", update=True)
            updated = _claims_of(_export(store), keys)
            with store.uow(readonly=True) as uow:
                edits = uow.session.execute(select(func.count()).select_from(orm.events)
                                            .where(orm.events.c.action == "edit", orm.events.c.entity == "claim")).scalar()
        finally:
            store.dispose()
        fresh_dir = tmp / "fresh"
        fresh_dir.mkdir()
        fresh = bootstrap.connect(_copy(empty_db, fresh_dir), "prop")
        try:
            _import(fresh, tmp / "v2.jsonl")
            expected = _claims_of(_export(fresh), keys)
        finally:
            fresh.dispose()
        assert updated == expected
        differs = sum(1 for a, b in zip(first, second, strict=False) if a["kind"] == "claim" and a != b)
        assert edits <= differs and counts["changed"] >= edits  # one audited edit per changed claim, at most
