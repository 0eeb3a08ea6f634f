"""The bulk writer: rows straight to the driver (SQLite executemany, PostgreSQL COPY) for the
import and the detectors, fresh ids for them, and the queue's cached columns recomputed
after a batch. Rows come already validated (``domain``) and planned (``services.importing``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from operator import itemgetter

from sqlalchemy import bindparam, func, select, text, update

from verifier.adapters import orm

CHUNK = 500


def reserve_ids(session, table, n: int) -> list[int]:
    """n fresh primary keys. SQLite: above max(id), safe under the write lock we hold.
    PostgreSQL: taken from the table's sequence, safe under any concurrency."""
    if n == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        seq = session.execute(text(f"SELECT pg_get_serial_sequence('{table.name}', 'id')")).scalar_one()
        rows = session.execute(text("SELECT nextval(:s) FROM generate_series(1, :n)"), {"s": seq, "n": n})
        return [r[0] for r in rows]
    start = (session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    return list(range(start, start + n))


class Values:
    """Per-dialect value conversion for the bulk path. On SQLite the rows go straight to
    the driver, so dates and JSON are spelt the way SQLAlchemy stores them there."""

    EMPTY_JSON = "[]"

    def __init__(self, session, now):
        self._json_cache: dict[tuple, str] = {}
        self.raw = session.get_bind().dialect.name == "sqlite"
        self.now = _sqlite_datetime(now) if self.raw else now

    def date(self, v):
        if v is None or not self.raw:
            return v
        return v.isoformat()

    def json(self, v):
        if not self.raw:
            return list(v or ())
        if not v:
            return self.EMPTY_JSON
        key = tuple(v)
        found = self._json_cache.get(key)
        if found is None:  # tag lists repeat: spell each once
            found = self._json_cache[key] = json.dumps(list(v), ensure_ascii=False)
        return found


def _sqlite_datetime(dt) -> str:
    # SQLAlchemy's SQLite DATETIME storage format
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d} {dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}.{dt.microsecond:06d}"


def bulk_insert(session, table, columns, rows: list[tuple], conv: Values, constants: dict | None = None) -> None:
    """Insert many rows, each with the same ``constants`` besides. SQLite: straight to
    the driver's executemany (the rows are already in storage form; the constants are
    written once in the statement, not bound once a row); elsewhere through Core executemany."""
    if not rows:
        return
    constants = constants or {}
    if conv.raw:
        names = [*columns, *constants]
        values = ["?"] * len(columns) + [_sqlite_literal(v) for v in constants.values()]
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(values)})"
        session.connection().exec_driver_sql(sql, rows)
    elif session.get_bind().dialect.name == "postgresql":
        _copy_rows(session, table, [*columns, *constants], rows, tuple(constants.values()))
    else:
        session.execute(table.insert(), [{**dict(zip(columns, r, strict=False)), **constants} for r in rows])


def insert_named(session, table, rows: list[dict], conv: Values, constants: dict | None = None) -> None:
    """Insert many rows keyed by column name (every row the same columns, each a column of
    ``table``: checked here, so a misspelt or missing column fails before anything is written),
    each with the same ``constants`` besides. SQLite: named parameters straight to the driver;
    PostgreSQL: the rows' values in the table's order, through COPY."""
    if not rows:
        return
    columns = tuple(rows[0])
    unknown = [c for c in (*columns, *(constants or ())) if c not in table.c]
    if unknown:
        raise KeyError(f"{table.name} has no column {', '.join(unknown)}")
    if conv.raw:
        constants = constants or {}
        names = [*columns, *constants]
        values = [f":{c}" for c in columns] + [_sqlite_literal(v) for v in constants.values()]
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(values)})"
        session.connection().exec_driver_sql(sql, rows)
    else:
        get = itemgetter(*columns)
        bulk_insert(session, table, columns, [get(r) if len(columns) > 1 else (get(r),) for r in rows], conv, constants)


def _copy_rows(session, table, names: list[str], rows: list[tuple], constants: tuple) -> None:
    """PostgreSQL: ``COPY ... FROM STDIN`` on the session's own connection (same
    transaction), several times faster than executemany for a big import; JSON columns are
    sent as JSON (a Python list would otherwise be adapted as an array)."""
    from psycopg.types.json import Json
    from sqlalchemy import JSON

    # what Core's insert would have filled in: the columns' Python-side defaults
    for c in table.c:
        if c.name not in names and c.default is not None and (c.default.is_scalar or c.default.is_callable):
            names = [*names, c.name]
            constants = (*constants, c.default.arg if c.default.is_scalar else c.default.arg(None))
    json_at = [i for i, n in enumerate(names) if isinstance(table.c[n].type, JSON)]
    raw = session.connection().connection.dbapi_connection
    quote = session.get_bind().dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    with raw.cursor() as cur, cur.copy(sql) as copy:
        for r in rows:
            row = (*r, *constants)
            if json_at:
                row = list(row)
                for i in json_at:
                    row[i] = Json(row[i])
            copy.write_row(row)


def _sqlite_literal(v) -> str:
    """An SQL literal for one of our own constants (never text from a user)."""
    if v is None:
        return "NULL"
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise TypeError(f"not a constant this writer spells: {v!r}")
    if isinstance(v, int):
        return str(v)
    return "'" + v.replace("'", "''") + "'"


def text_index_add(session, first_id: int, last_id: int) -> None:
    """Index a range of new claims in one statement (SQLite FTS5; PostgreSQL's expression
    index maintains itself)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO claim_fts(rowid, norm) SELECT id, norm FROM claims WHERE id BETWEEN :a AND :b"),
                        {"a": first_id, "b": last_id})


def lock_claims(session, claim_ids: Iterable[int]) -> None:
    """PostgreSQL: lock these claims' rows until the transaction ends, in id order (two
    writers locking overlapping sets never wait on each other in a circle). A writer that
    recomputes what is cached on a claim (status, link counts) locks it first, in a statement
    of its own: the next statement then sees every change committed by an earlier holder.
    SQLite needs none (a writer holds the database's one write lock)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    ids = sorted(set(claim_ids))
    for i in range(0, len(ids), 50_000):
        session.execute(_PG_LOCK, {"ids": ids[i:i + 50_000]})


_PG_LOCK = text("SELECT id FROM claims WHERE id = ANY(CAST(:ids AS integer[])) ORDER BY id FOR UPDATE")


def refresh_status(session, claim_ids: Iterable[int]) -> None:
    """Set each claim's status to its latest verdict (by date, then entry order)."""
    ids = sorted(set(claim_ids))
    lock_claims(session, ids)
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        latest: dict[int, str] = {}
        for row in session.execute(select(orm.resolutions.c.claim_id, orm.resolutions.c.verdict)
                                   .where(orm.resolutions.c.claim_id.in_(chunk))
                                   .order_by(orm.resolutions.c.claim_id, orm.resolutions.c.at, orm.resolutions.c.id)):
            latest[row.claim_id] = row.verdict
        params = [{"b_id": cid, "b_status": latest.get(cid, "unresolved")} for cid in chunk]
        session.execute(update(orm.claims).where(orm.claims.c.id == bindparam("b_id")).values(status=bindparam("b_status")), params)


_PG_LINK_COUNTS = text(
    "WITH ids AS (SELECT unnest(CAST(:ids AS integer[])) AS id), "
    "ends AS (SELECT l.from_id AS cid, l.relation FROM links l JOIN ids ON l.from_id = ids.id "
    "         WHERE l.state = 'confirmed' "
    "         UNION ALL SELECT l.to_id, l.relation FROM links l JOIN ids ON l.to_id = ids.id "
    "         WHERE l.state = 'confirmed'), "
    "counts AS (SELECT ids.id, count(e.cid) FILTER (WHERE e.relation <> 'contradicts') AS support, "
    "                  count(e.cid) FILTER (WHERE e.relation = 'contradicts') AS contradicted "
    "           FROM ids LEFT JOIN ends e ON e.cid = ids.id GROUP BY ids.id) "
    "UPDATE claims c SET support = counts.support, contradicted = counts.contradicted "
    "FROM counts WHERE c.id = counts.id")


def refresh_link_counts(session, claim_ids: Iterable[int]) -> None:
    """Recompute the queue's cached counts: confirmed supporting links and contradictions.
    PostgreSQL: one statement per 50,000 claims (an UPDATE a claim took over 15 minutes
    for a million imported claims with 400,000 links)."""
    ids = sorted(set(claim_ids))
    if session.get_bind().dialect.name == "postgresql":
        lock_claims(session, ids)
        for i in range(0, len(ids), 50_000):
            session.execute(_PG_LINK_COUNTS, {"ids": ids[i:i + 50_000]})
        return
    L = orm.links
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        support = dict.fromkeys(chunk, 0)
        contra = dict.fromkeys(chunk, 0)
        rows = session.execute(select(L.c.from_id, L.c.to_id, L.c.relation).where(
            L.c.state == "confirmed", (L.c.from_id.in_(chunk)) | (L.c.to_id.in_(chunk))))
        for a, b, rel in rows:
            for cid in (a, b):
                if cid in support:
                    if rel == "contradicts":
                        contra[cid] += 1
                    else:
                        support[cid] += 1
        session.execute(update(orm.claims).where(orm.claims.c.id == bindparam("b_id"))
                        .values(support=bindparam("b_s"), contradicted=bindparam("b_c")),
                        [{"b_id": c, "b_s": support[c], "b_c": contra[c]} for c in chunk])
