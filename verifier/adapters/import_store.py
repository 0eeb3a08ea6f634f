"""The import's side of the store: rows looked up by key, fresh ids, and rows written in
bulk (``adapters.bulk``), for the plan ``services.importing`` makes of a file. Rows come
back as named tuples (``row.id``, ``row.name``...); what is written is already validated
by the domain and planned."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, select, update

from verifier.adapters import batches, orm
from verifier.adapters.bulk import CHUNK, Values, insert_named, reserve_ids, text_index_add

FETCH_CHUNK = 5000  # keys per lookup query (SQLite allows 32766 variables)
TABLES = {"sources": orm.sources, "documents": orm.documents, "claims": orm.claims, "links": orm.links,
          "resolutions": orm.resolutions, "dependencies": orm.source_dependencies, "relays": orm.claim_relays}


class ImportStore:
    def __init__(self, session):
        self.session = session

    def fetch(self, table: str, keys: Iterable[str], columns: Iterable[str]) -> dict[str, Any]:
        """The stored rows among these keys, key -> row of ``columns`` (none at all when the table is empty)."""
        t = TABLES[table]
        keys = list(keys)
        out: dict[str, Any] = {}
        if not keys or self.session.execute(select(t.c.id).limit(1)).first() is None:
            return out
        cols = [t.c[c] for c in columns]
        for i in range(0, len(keys), FETCH_CHUNK):
            for row in self.session.execute(select(t.c.key, *cols).where(t.c.key.in_(keys[i:i + FETCH_CHUNK]))):
                out[row[0]] = row
        return out

    def reserve_ids(self, table: str, n: int) -> list[int]:
        return reserve_ids(self.session, TABLES[table], n)

    def converter(self, now) -> Values:
        """How values are spelt for ``bulk`` (dates, JSON lists, the time of the import)."""
        return Values(self.session, now)

    def insert(self, table: str, rows: list[dict]) -> None:
        if rows:
            self.session.execute(TABLES[table].insert(), rows)

    def bulk(self, table: str, rows: list[dict], conv: Values, constants: dict | None = None) -> None:
        """Many rows keyed by column name, all with the same columns (checked against the
        table's; values spelt by ``conv``), each with ``constants`` besides."""
        insert_named(self.session, TABLES[table], rows, conv, constants)

    def update(self, table: str, row_id: int, values: dict) -> None:
        t = TABLES[table]
        self.session.execute(update(t).where(t.c.id == row_id).values(**values))

    def set_parents(self, parents: dict[int, int]) -> None:
        """Source id -> its parent's id (new sources are inserted first, then given parents)."""
        if parents:
            S = orm.sources
            self.session.execute(update(S).where(S.c.id == bindparam("b_id")).values(parent_id=bindparam("b_parent")),
                                 [{"b_id": a, "b_parent": b} for a, b in parents.items()])

    def index_claims(self, first_id: int, last_id: int) -> None:
        """Put the new claims with ids in this range in the text index."""
        text_index_add(self.session, first_id, last_id)

    def source_parents(self) -> dict[int, int]:
        S = orm.sources
        return dict(self.session.execute(select(S.c.id, S.c.parent_id).where(S.c.parent_id.isnot(None))).all())

    def source_keys(self) -> dict[int, str]:
        return dict(self.session.execute(select(orm.sources.c.id, orm.sources.c.key)).all())

    def claim_rows(self, ids: list[int], columns: Iterable[str]) -> dict[int, Any]:
        """These claims' ``columns`` (as the import compares them) by id."""
        C = orm.claims
        return {r.id: r for r in self._chunked(select(C.c.id, *(C.c[c] for c in columns)), C.c.id, ids)}

    def relays_of(self, ids: list[int]) -> dict[int, list[int]]:
        """Claim id -> its relays' source ids, nearest first."""
        R = orm.claim_relays
        out: dict[int, list[int]] = {}
        for cid, sid in self._chunked(select(R.c.claim_id, R.c.source_id).order_by(R.c.claim_id, R.c.position),
                                      R.c.claim_id, ids):
            out.setdefault(cid, []).append(sid)
        return out

    def links_from(self, ids: list[int]) -> list[Any]:
        """The links from these claims: id, from_id, to_id, relation, state, note, origin."""
        L = orm.links
        return self._chunked(select(L.c.id, L.c.from_id, L.c.to_id, L.c.relation, L.c.state, L.c.note, L.c.origin),
                             L.c.from_id, ids)

    def resolutions_of(self, ids: list[int]) -> list[Any]:
        """These claims' resolutions: claim_id, verdict, at, rationale, evidence."""
        R = orm.resolutions
        return self._chunked(select(R.c.claim_id, R.c.verdict, R.c.at, R.c.rationale, R.c.evidence), R.c.claim_id, ids)

    def dependency_pairs(self) -> set[tuple[int, int]]:
        D = orm.source_dependencies
        return set(self.session.execute(select(D.c.source_id, D.c.on_id)).all())

    def _chunked(self, query, column, ids: list[int]) -> list[Any]:
        return batches.rows_by(self.session, query, column, ids, CHUNK)
