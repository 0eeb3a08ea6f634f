"""Near-duplicate detection over a store where common words pass the rarity cap: PostgreSQL
counts a word's holders only up to the cap (so that a growing store costs the same to
weigh) and must still suggest exactly what SQLite, which reads exact counts, suggests."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import text

from tests.conftest import PgSchema, import_path, require_pg
from verifier import bootstrap
from verifier.adapters import textindex
from verifier.services.duplicates import rarity_cap

TEMPLATES = [
    "Local sources reported that {actor} shelled a checkpoint in {place}, killing {n} people.",
    "Residents of {place} said {actor} burned crops on {n} May.",
]
PLACES = ["Abu Khashab", "Hajin", "Diban", "Khasham", "Sabha", "Tabiyeh", "Gharanij", "Dhiban"]
ACTORS = ["militias", "armed men", "a drone"]


def _feed(path, start: int, n: int, seed: int = 3):
    rnd = random.Random(seed * 1000 + start)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            if i % 25 == 0:  # only words most claims hold: looked up by the rarest of them
                claim = f"Local sources reported that {rnd.choice(ACTORS)} shelled a checkpoint."
            else:
                claim = rnd.choice(TEMPLATES).format(actor=rnd.choice(ACTORS), place=rnd.choice(PLACES),
                                                     n=rnd.randint(2, 30))
            fh.write(json.dumps({"kind": "claim", "id": f"c{i}", "text": claim, "source": "network"}) + "\n")
    return path


def _suggestions(store) -> set[tuple[str, str, str]]:
    with store.uow(readonly=True) as uow:
        rows = uow.session.execute(text(
            "SELECT a.key, b.key, l.relation FROM links l JOIN claims a ON a.id = l.from_id "
            "JOIN claims b ON b.id = l.to_id WHERE l.origin = 'detector'")).all()
    return {tuple(r) for r in rows}


@pytest.fixture
def two_stores(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_SEMANTIC", "0")
    require_pg()
    schema = PgSchema()
    stores = [bootstrap.connect(str(tmp_path / "v.db"), "analyst"), bootstrap.connect(schema.url, "analyst")]
    yield stores
    for s in stores:
        s.dispose()
    schema.drop()


def test_postgresql_suggests_what_sqlite_suggests_once_common_words_pass_the_cap(two_stores, tmp_path):
    files = [_feed(tmp_path / "one.jsonl", 0, 250), _feed(tmp_path / "two.jsonl", 250, 150)]
    for store in two_stores:
        for f in files:  # the second file is weighed against a store whose common words pass the cap
            import_path(store, f)
    on_sqlite, on_pg = (_suggestions(s) for s in two_stores)
    assert on_sqlite, "the feed has near-duplicates to suggest"
    assert on_pg == on_sqlite


@pytest.mark.parametrize("backend", [0, 1], ids=["sqlite", "postgres"])
def test_document_frequencies_are_exact_up_to_the_cap(two_stores, tmp_path, backend):
    store = two_stores[backend]
    import_path(store, _feed(tmp_path / "one.jsonl", 0, 250))
    cap = rarity_cap(250)
    with store.uow(readonly=True) as uow:
        exact = textindex.document_frequencies(uow.session, ["reported", "hajin", "nowhere"])
        capped = textindex.document_frequencies(uow.session, ["reported", "hajin", "nowhere"], at_most=cap)
    assert exact["reported"] > cap + 1 and exact["nowhere"] == 0 and 0 < exact["hajin"] <= cap
    # below the cap the same count; above it, at least past the cap
    assert capped["hajin"] == exact["hajin"] and capped["nowhere"] == 0
    assert cap < capped["reported"] <= exact["reported"]
