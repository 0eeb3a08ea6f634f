"""Checking that what was imported comes back exactly through export (shared by the
hostile-input and property tests; not a test module)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from verifier.domain.checks import text_list
from verifier.domain.vocabulary import Relation


def input_records(path: Path) -> list[dict]:
    raw = path.read_bytes().decode("utf-8-sig")
    if path.suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(raw, newline="")))
        return [{"kind": r.pop("kind", None) or "claim", **{k: v for k, v in r.items() if v != ""}} for r in rows]
    # split on newlines only: str.splitlines() would also split inside texts at \x85, \u2028, \x0b...
    return [json.loads(line) for line in raw.split("\n") if line.strip()]


TEXT_FIELDS = ("text", "name", "affiliation", "notes", "location", "subject", "title", "url", "note", "rationale", "evidence")
LIST_FIELDS = ("via", "tags", "aliases")


def _identity(rec: dict):
    kind = rec["kind"]
    if kind in ("source", "claim", "document"):
        return kind, str(rec["id"])
    if kind == "link":
        return kind, str(rec["from"]), str(rec["to"]), Relation.parse(rec["relation"], "relation").value
    if kind == "resolution":
        return kind, str(rec["claim"]), rec["verdict"], rec.get("rationale"), rec.get("evidence")
    return kind, str(rec["source"]), str(rec["on"])


def check_texts_round_trip(path: Path, exported: str) -> None:
    out = {}
    for line in exported.split("\n")[:-1]:
        rec = json.loads(line)
        out[_identity(rec)] = rec
    for rec in input_records(path):
        got = out.get(_identity(rec))
        assert got is not None, f"{_identity(rec)} was not exported"
        for f in TEXT_FIELDS:
            if f in rec:
                assert got.get(f) == rec[f], f"{f}: {rec[f]!r} came back as {got.get(f)!r}"
        for f in LIST_FIELDS:
            if f in rec:
                assert got.get(f, []) == list(text_list(rec[f], f)), f
        if isinstance(rec.get("value"), (int, float)) and not isinstance(rec.get("value"), bool):
            assert float(got["value"]) == float(rec["value"])
        if isinstance(rec.get("value"), list):
            assert [float(v) for v in got["value"]] == [float(v) for v in rec["value"]]
        for f in ("published", "event_date"):
            if f in rec:
                assert got[f] == rec[f]
