"""What scoring reads and writes, and only that: claims as arrays of numbers, the confirmed
links and source dependencies between them, and belief and credibility written back to
``claim_scores``.

A full score touches every claim, so its reads go straight to the driver (sqlite3 or
psycopg) and its writes are bulk: SQLite's executemany of an upsert; on PostgreSQL a COPY
into a temporary table, then one UPDATE for the scores that changed and one INSERT for the
claims scored for the first time. A local rescore (a few thousand claims at most) reads
through Core by id and writes through an executemany upsert.
"""

from __future__ import annotations

import numpy as np
from attrs import frozen
from sqlalchemy import select, text

from verifier.adapters import batches, orm
from verifier.domain.vocabulary import VERDICTS

C, L, T = orm.claims, orm.links, orm.claim_scores
BY_ID = 5000  # ids in one IN (...) list
BULK = 20_000  # rows written before PostgreSQL's path goes through a temporary table


@frozen(eq=False)
class ClaimArrays:
    """The claims scored, by ascending id: their ``ids``, ``sources`` (source ids), the
    ``belief`` and ``credibility`` stored now (NaN and -1: never scored), ``resolved``
    ((claim id, status) for those with a verdict) and ``structured`` ((claim id, subject,
    qualifier, value, high, text) for those with a subject and a value)."""

    ids: np.ndarray
    sources: np.ndarray
    belief: np.ndarray
    credibility: np.ndarray
    resolved: list[tuple]
    structured: list[tuple]


def _driver_cursor(session):
    return session.connection().connection.dbapi_connection.cursor()


def _by_id(session, q, column, ids) -> list:
    return batches.rows_by(session, q, column, ids, BY_ID)


def read_claims(session, claim_ids=None) -> ClaimArrays:
    """The claims with these ids (None: every claim)."""
    if claim_ids is None:
        # a million rows: numbers only, straight from the driver
        marks = ", ".join("?" if session.get_bind().dialect.name == "sqlite" else "%s" for _ in VERDICTS)
        cur = _driver_cursor(session)
        base = cur.execute("SELECT c.id, c.source_id, coalesce(s.belief, -1), coalesce(s.credibility, -1) "
                           "FROM claims c LEFT JOIN claim_scores s ON s.claim_id = c.id ORDER BY c.id").fetchall()
        resolved = cur.execute(f"SELECT id, status FROM claims WHERE status IN ({marks})", tuple(VERDICTS)).fetchall()
        structured = cur.execute("SELECT id, subject, qualifier, value_num, value_high, value_text FROM claims "
                                 "WHERE subject IS NOT NULL AND (value_num IS NOT NULL OR value_text IS NOT NULL)").fetchall()
        cur.close()
    else:
        ids = sorted(int(i) for i in claim_ids)
        q_base = (select(C.c.id, C.c.source_id, T.c.belief, T.c.credibility)
                  .select_from(C.outerjoin(T, T.c.claim_id == C.c.id)))
        base = sorted((r[0], r[1], -1 if r[2] is None else r[2], -1 if r[3] is None else r[3])
                      for r in _by_id(session, q_base, C.c.id, ids))
        resolved = sorted(_by_id(session, select(C.c.id, C.c.status).where(C.c.status.in_(VERDICTS)), C.c.id, ids))
        has_value = C.c.value_num.isnot(None) | C.c.value_text.isnot(None)
        q_struct = select(C.c.id, C.c.subject, C.c.qualifier, C.c.value_num, C.c.value_high, C.c.value_text).where(
            C.c.subject.isnot(None), has_value)
        structured = sorted(_by_id(session, q_struct, C.c.id, ids))
    arr = np.array(base, dtype=np.float64).reshape(-1, 4)
    belief = arr[:, 2]
    return ClaimArrays(ids=arr[:, 0].astype(np.int64), sources=arr[:, 1].astype(np.int64),
                       belief=np.where(belief < 0, np.nan, belief), credibility=arr[:, 3].astype(np.int64),
                       resolved=resolved, structured=structured)


def confirmed_links(session, claim_ids=None) -> list[tuple[int, int, str]]:
    """(from id, to id, relation) of the confirmed links from these claims (None: all)."""
    q = select(L.c.from_id, L.c.to_id, L.c.relation).where(L.c.state == "confirmed")
    if claim_ids is not None:
        return [tuple(r) for r in _by_id(session, q, L.c.from_id, [int(i) for i in claim_ids])]
    if session.get_bind().dialect.name in ("sqlite", "postgresql"):
        cur = _driver_cursor(session)
        rows = cur.execute("SELECT from_id, to_id, relation FROM links WHERE state = 'confirmed'").fetchall()
        cur.close()
        return rows
    return [tuple(r) for r in session.execute(q)]


def linked_to(session, claim_ids: list[int]) -> list[tuple[int, int]]:
    """(from id, to id) of the confirmed links touching these claims, either end."""
    return session.execute(select(L.c.from_id, L.c.to_id).where(
        L.c.state == "confirmed", (L.c.from_id.in_(claim_ids)) | (L.c.to_id.in_(claim_ids)))).all()


def ungraded_sources(session) -> list[int]:
    """The sources without a grade of their own (none, or F: cannot be judged)."""
    S = orm.sources
    return [sid for sid, grade in session.execute(select(S.c.id, S.c.grade)) if grade in ("F", None)]


def source_ties(session) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """Declared dependencies (source, on) and each source's parent network."""
    D, S = orm.source_dependencies, orm.sources
    declared = [tuple(r) for r in session.execute(select(D.c.source_id, D.c.on_id))]
    parent = dict(session.execute(select(S.c.id, S.c.parent_id).where(S.c.parent_id.isnot(None))).all())
    return declared, parent


_ON_CONFLICT = " ON CONFLICT (claim_id) DO UPDATE SET belief = excluded.belief, credibility = excluded.credibility"


def write(session, rows: list[tuple[int, float, int]], first_time: np.ndarray | None = None) -> None:
    """Store (claim id, belief, credibility) for many claims. ``first_time`` marks the rows
    of claims that had no score when they were read (PostgreSQL inserts those, updates the
    rest); a claim scored meanwhile by someone else is updated all the same."""
    if not rows:
        return
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql(
            "INSERT INTO claim_scores (claim_id, belief, credibility) VALUES (?, ?, ?)" + _ON_CONFLICT, rows)
        return
    if len(rows) <= BULK or session.get_bind().dialect.name != "postgresql":
        session.execute(text("INSERT INTO claim_scores (claim_id, belief, credibility) "
                             "VALUES (:claim_id, :belief, :credibility)" + _ON_CONFLICT),
                        [{"claim_id": c, "belief": b, "credibility": cr} for c, b, cr in rows])
        return
    fresh = np.zeros(len(rows), dtype=bool) if first_time is None else first_time
    # through SQLAlchemy, so a role that may only read fails with its usual error; COPY on the driver
    session.execute(text("CREATE TEMP TABLE IF NOT EXISTS score_updates (claim_id integer, belief double precision, "
                         "credibility integer, fresh boolean) ON COMMIT DELETE ROWS"))
    session.execute(text("TRUNCATE score_updates"))
    raw = session.connection().connection.dbapi_connection
    try:
        with raw.cursor() as cur, cur.copy("COPY score_updates (claim_id, belief, credibility, fresh) FROM STDIN") as copy:
            for row, new in zip(rows, fresh.tolist(), strict=True):
                copy.write_row((*row, new))
    except raw.Error as exc:  # as SQLAlchemy would have wrapped it
        from sqlalchemy.exc import DBAPIError

        raise DBAPIError("COPY score_updates", None, exc) from exc
    # a temporary table has no statistics until analysed: without them the planner guessed
    # a few rows and the INSERT of a million first-time scores took 12.8 s instead of 8.4 s
    session.execute(text("ANALYZE score_updates"))
    session.execute(text("UPDATE claim_scores s SET belief = u.belief, credibility = u.credibility "
                         "FROM score_updates u WHERE s.claim_id = u.claim_id AND NOT u.fresh"))
    session.execute(text("INSERT INTO claim_scores (claim_id, belief, credibility) "
                         "SELECT claim_id, belief, credibility FROM score_updates WHERE fresh" + _ON_CONFLICT))
    session.execute(text("TRUNCATE score_updates"))
