"""Every table of one store into another, SQLite or PostgreSQL, in either direction.

The tables are the ORM metadata's (a table added later is carried without a change here),
in foreign-key order, each row as stored: ids, password hashes, link states, the audit log
with its chain (the same seq, hashes and head), settings. What is derived from rows and not
a row itself is made again on the target: SQLite's full-text index (rebuilt), PostgreSQL's
id sequences (set past the largest id), the vector index cache beside a SQLite file
(rebuilt on first use).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Table, func, select, text, update

from verifier.adapters import orm

BATCH = 5000


def tables() -> list[Table]:
    return list(orm.metadata.sorted_tables)


def non_empty(conn: Connection) -> list[str]:
    """The tables holding rows (of those verifier made)."""
    return [t.name for t in tables() if conn.execute(select(t).limit(1)).first() is not None]


def clear(conn: Connection) -> None:
    """Delete every row (``--force``), in the reverse of foreign-key order; the audit log's
    append-only guard is lifted for this transaction only."""
    pg = conn.dialect.name == "postgresql"
    if pg:
        conn.execute(text("ALTER TABLE events DISABLE TRIGGER USER"))
    else:
        conn.execute(text("DROP TRIGGER IF EXISTS events_no_delete"))
    for t in reversed(tables()):
        conn.execute(t.delete())
    if pg:
        conn.execute(text("ALTER TABLE events ENABLE TRIGGER USER"))
    else:  # as migration 0001 made it
        conn.execute(text("CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN "
                          "SELECT RAISE(ABORT, 'the audit log is append-only'); END"))


def copy_rows(src: Connection, dst: Connection, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every table's rows from ``src`` (read in one snapshot by the caller) into the
    empty tables of ``dst`` (one transaction, the caller's). Returns rows per table."""
    counts = {}
    for t in tables():
        self_refs = [fk.parent.name for fk in t.foreign_keys if fk.column.table is t]
        pk = list(t.primary_key.columns)
        later: list[dict] = []
        n = 0
        result = src.execution_options(yield_per=BATCH).execute(select(t).order_by(*pk))
        for part in result.partitions(BATCH):
            rows = [dict(r._mapping) for r in part]
            for row in rows:  # a row may name one inserted after it: set once all are in
                if any(row[c] is not None for c in self_refs):
                    later.append({"_pk": row[pk[0].name], **{c: row[c] for c in self_refs}})
                    row.update(dict.fromkeys(self_refs))
            dst.execute(t.insert(), rows)
            n += len(rows)
            if progress:
                progress(t.name, len(rows))
        for row in later:
            dst.execute(update(t).where(pk[0] == row["_pk"]).values({c: row[c] for c in self_refs}))
        counts[t.name] = n
    _derived(dst)
    return counts


def _derived(dst: Connection) -> None:
    if dst.dialect.name == "sqlite":
        dst.execute(text("INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')"))
        return
    for t in tables():
        pk = list(t.primary_key.columns)
        if len(pk) == 1 and pk[0].autoincrement in (True, "auto") and pk[0].type.python_type is int:
            seq = dst.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": t.name, "c": pk[0].name}).scalar()
            if seq:
                top = dst.execute(select(func.max(pk[0]))).scalar()
                dst.execute(text("SELECT setval(CAST(:s AS regclass), :v, :called)"),
                            {"s": seq, "v": top or 1, "called": top is not None})
