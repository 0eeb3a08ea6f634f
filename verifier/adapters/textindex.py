"""Candidate retrieval from the text index kept in the database.

SQLite: the FTS5 table ``claim_fts`` over ``claims.norm`` (kept in step by triggers).
PostgreSQL: a GIN expression index on ``to_tsvector('simple', norm)``.
Only the best few candidates leave the database; rapidfuzz scores those.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text

from verifier.domain.matching import Candidate, query_terms


def _fts5_query(terms: Sequence[str]) -> str:
    # every term double-quoted: user text never becomes FTS5 syntax
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _tsquery(terms: Sequence[str]) -> str:
    # to_tsquery syntax: quote each lexeme; tokens are already normalised words/numbers
    return " | ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms)


def candidates(session, query: str, limit: int = 50, exclude: int | None = None,
               terms: Sequence[str] | None = None) -> list[Candidate]:
    terms = list(terms) if terms is not None else query_terms(query)
    if not terms:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        sql = text(
            "SELECT c.id, c.text, c.norm, f.rank FROM "
            "(SELECT rowid, bm25(claim_fts) AS rank FROM claim_fts WHERE claim_fts MATCH :q "
            " ORDER BY rank LIMIT :n) AS f JOIN claims c ON c.id = f.rowid ORDER BY f.rank"
        )
        rows = session.execute(sql, {"q": _fts5_query(terms), "n": limit + (1 if exclude else 0)})
    else:
        sql = text(
            "SELECT c.id, c.text, c.norm, -ts_rank(to_tsvector('simple', c.norm), q) AS rank "
            "FROM claims c, to_tsquery('simple', :q) q "
            "WHERE to_tsvector('simple', c.norm) @@ q ORDER BY rank LIMIT :n"
        )
        rows = session.execute(sql, {"q": _tsquery(terms), "n": limit + (1 if exclude else 0)})
    return [Candidate(id=r[0], text=r[1], norm=r[2], rank=r[3]) for r in rows if r[0] != exclude][:limit]
