"""The text index kept in the database: candidates for ``similar`` and for the detector.

SQLite: the FTS5 table ``claim_fts`` over ``claims.norm`` (new rows indexed by the import
and the ORM hook, updates and deletes by triggers). Its vocabulary is read through two
``fts5vocab`` tables created per connection in the temp schema (``claim_fts_vrow``:
term -> number of claims holding it; ``claim_fts_vinst``: term -> the claims holding it),
so no schema object is needed for them.
PostgreSQL: the GIN expression index on ``to_tsvector('simple', norm)``; document
frequencies from ``ts_stat`` (a scan, for big batches) or counted per word. ``similar``
picks its terms from the planner's statistics of that index instead (ANALYZE keeps the
frequencies of its commonest words): counting postings costs a heap visit per claim, and
the recheck recomputes ``to_tsvector``, so a word held by 100,000 claims costs a second.

Only the best few candidates leave the database; rapidfuzz scores those.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from sqlalchemy import text

from verifier.domain.normalisation import query_terms
from verifier.domain.similarity import Candidate

# ``similar``: the query's rarest terms go to the index until their claims add up to this
# many postings (bm25 ranks every claim that holds a query term, so a query of common
# words against a million claims would rank tens of thousands); at least MIN_TERMS.
POSTING_BUDGET = 20_000
MIN_TERMS = 3
_LOOKUP_LIMIT = 2_000  # more words than this: read the whole vocabulary in one scan
# PostgreSQL: each posting is a heap row read and re-tokenised (~2-10 us), so a smaller budget
PG_POSTING_BUDGET = 3_000


def _dialect(session) -> str:
    return session.get_bind().dialect.name


def _fts5_query(terms: Sequence[str]) -> str:
    # every term double-quoted: user text never becomes FTS5 syntax
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _tsquery(terms: Sequence[str]) -> str:
    # to_tsquery syntax: quote each lexeme; tokens are already normalised words/numbers
    return " | ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms)


def _raw(session):
    """The driver's own connection (SQLite): for the bulk reads, without per-row overhead."""
    return session.connection().connection.driver_connection


def _vocab(session) -> None:
    """The fts5vocab views of ``claim_fts`` in this connection's temp schema."""
    for name, kind in (("claim_fts_vrow", "row"), ("claim_fts_vinst", "instance")):
        session.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5vocab(main, claim_fts, {kind})"))


def claim_count(session) -> int:
    return int(session.execute(text("SELECT count(*) FROM claims")).scalar() or 0)


def document_frequencies(session, words: Iterable[str], at_most: int | None = None) -> dict[str, int]:
    """How many tracked claims hold each word (0 for a word no claim holds).

    ``at_most``: a word held by more claims than that may be reported as held by
    ``at_most + 1`` (PostgreSQL stops counting there: each holder counted is a heap row read,
    so the exact count of a word most claims hold would grow with the store; SQLite reads the
    exact count from its vocabulary either way)."""
    words = list(dict.fromkeys(words))
    out = dict.fromkeys(words, 0)
    if not words:
        return out
    if _dialect(session) == "sqlite":
        _vocab(session)
        if len(words) > _LOOKUP_LIMIT:
            wanted = set(words)
            for term, doc in _raw(session).execute("SELECT term, doc FROM temp.claim_fts_vrow"):
                if term in wanted:
                    out[term] = doc
        else:
            q = text("SELECT doc FROM temp.claim_fts_vrow WHERE term = :t")
            for w in words:
                out[w] = int(session.execute(q, {"t": w}).scalar() or 0)
        return out
    if len(words) > _LOOKUP_LIMIT:
        wanted = set(words)
        rows = session.execute(text("SELECT word, ndoc FROM ts_stat('SELECT to_tsvector(''simple'', norm) FROM claims')"))
        for word, ndoc in rows:
            if word in wanted:
                out[word] = int(ndoc)
        return out
    if at_most is not None:
        q = text("SELECT count(*) FROM (SELECT 1 FROM claims WHERE to_tsvector('simple', norm) "
                 "@@ to_tsquery('simple', :q) LIMIT :n) AS held")
        with _index_only(session):
            for w in words:
                out[w] = int(session.execute(q, {"q": _tsquery([w]), "n": at_most + 1}).scalar() or 0)
        return out
    q = text("SELECT count(*) FROM claims WHERE to_tsvector('simple', norm) @@ to_tsquery('simple', :q)")
    with _index_only(session):
        for w in words:
            out[w] = int(session.execute(q, {"q": _tsquery([w])}).scalar() or 0)
    return out


def settle(session) -> None:
    """PostgreSQL: move the text index's pending entries into the index proper before a
    run of look-ups. A GIN index takes new rows into a pending list (cheap to append to,
    as a bulk import does), which every query then reads through from start to end until
    VACUUM or the list's size limit merges it: after an import of a few thousand claims,
    each of the detector's thousand look-ups read megabytes of it. Done only by a role
    that owns the index (``gin_clean_pending_list`` requires it); SQLite: nothing to do."""
    if _dialect(session) == "sqlite":
        return
    session.execute(text(
        "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
        "WHERE c.oid = to_regclass('ix_claims_norm_tsv') AND pg_has_role(c.relowner, 'USAGE')"))


@contextmanager
def _index_only(session):
    """PostgreSQL: the next queries find their claims through the text index, never by a
    sequential scan. With a LIMIT, the planner picks a scan that stops at the limit whenever
    it believes a word common, and on a store that grew since it was last analysed it
    believes wrongly: it would read and re-tokenise the whole table for a rare word."""
    old = session.execute(text("SELECT current_setting('enable_seqscan')")).scalar()
    session.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
    try:
        yield
    finally:
        session.execute(text("SELECT set_config('enable_seqscan', :old, true)"), {"old": old})


def postings(session, words: Iterable[str]) -> list[tuple[str, int]]:
    """(word, claim id) for every tracked claim holding one of ``words``."""
    words = list(dict.fromkeys(words))
    if not words:
        return []
    out: list[tuple[str, int]] = []
    if _dialect(session) == "sqlite":
        _vocab(session)
        raw = _raw(session)
        raw.execute("CREATE TEMP TABLE IF NOT EXISTS claim_fts_wanted(term TEXT PRIMARY KEY)")
        raw.execute("DELETE FROM temp.claim_fts_wanted")
        raw.executemany("INSERT INTO temp.claim_fts_wanted(term) VALUES (?)", [(w,) for w in words])
        # the wanted terms drive the join: one index lookup each (CROSS JOIN fixes the order)
        out = raw.execute("SELECT DISTINCT w.term, v.doc FROM temp.claim_fts_wanted w "
                          "CROSS JOIN temp.claim_fts_vinst v ON v.term = w.term").fetchall()
        raw.execute("DELETE FROM temp.claim_fts_wanted")
        return out
    q = text("SELECT id, norm FROM claims WHERE to_tsvector('simple', norm) @@ to_tsquery('simple', :q)")
    with _index_only(session):
        for i in range(0, len(words), 200):
            chunk = set(words[i:i + 200])
            for cid, norm in session.execute(q, {"q": _tsquery(sorted(chunk))}):
                out += [(w, cid) for w in set(norm.split()) & chunk]
    return out


def first_holders(session, words: Iterable[str], n: int) -> list[tuple[str, int]]:
    """(word, claim id) for the ``n`` tracked claims of lowest id holding each of ``words``."""
    out: list[tuple[str, int]] = []
    if _dialect(session) == "sqlite":
        _vocab(session)
        q = "SELECT DISTINCT doc FROM temp.claim_fts_vinst WHERE term = ? ORDER BY doc LIMIT ?"
        for w in dict.fromkeys(words):
            out += [(w, cid) for (cid,) in _raw(session).execute(q, (w, n))]
        return out
    # ``id + 0``: sorted after the index found them all, never by walking the primary key
    # and re-tokenising every claim on the way until n of them hold the word
    q = text("SELECT id FROM claims WHERE to_tsvector('simple', norm) @@ to_tsquery('simple', :q) "
             "ORDER BY id + 0 LIMIT :n")
    with _index_only(session):
        for w in dict.fromkeys(words):
            out += [(w, cid) for (cid,) in session.execute(q, {"q": _tsquery([w]), "n": n})]
    return out


def _affordable_terms(session, terms: list[str]) -> list[str]:
    """The rarest terms, within POSTING_BUDGET postings (at least MIN_TERMS)."""
    df = document_frequencies(session, terms)
    ranked = sorted((t for t in terms if df[t] > 0), key=lambda t: df[t])
    chosen, postings_sum = [], 0
    for t in ranked:
        if len(chosen) >= MIN_TERMS and postings_sum + df[t] > POSTING_BUDGET:
            break
        chosen.append(t)
        postings_sum += df[t]
    return chosen


def _common_word_counts(session, terms: list[str]) -> dict[str, float] | None:
    """PostgreSQL: estimated claims holding each of ``terms`` that is among the index's
    commonest words (from ``pg_stats``); the other terms are rarer than all of those.
    None when the index has no statistics yet (never analysed)."""
    rows = session.execute(text(
        "SELECT u.t, s.f[array_position(s.e, u.t)] * greatest(c.reltuples, 0) "
        "FROM (SELECT most_common_elems::text::text[] AS e, most_common_elem_freqs AS f FROM pg_stats "
        "      WHERE schemaname = current_schema() AND tablename = 'ix_claims_norm_tsv' "
        "        AND most_common_elems IS NOT NULL) s, "
        "     pg_class c, unnest(CAST(:terms AS text[])) AS u(t) "
        "WHERE c.oid = to_regclass('claims')"), {"terms": terms}).all()
    if not rows:
        return None
    return {t: float(n) for t, n in rows if n is not None}


def _pg_affordable_terms(session, terms: list[str]) -> dict[str, float]:
    """term -> its weight (idf): the words the statistics do not count as common (all of
    them: they are rare), then the least common of the others within PG_POSTING_BUDGET
    estimated postings (at least MIN_TERMS words in all). Without statistics: every term."""
    common = _common_word_counts(session, terms)
    if common is None:
        return dict.fromkeys(terms, 1.0)
    total = max([*common.values(), 1.0]) * 10
    chosen = {t: math.log(1 + total) for t in terms if t not in common}
    postings_sum = 0.0
    for t in sorted((t for t in terms if t in common), key=common.__getitem__):
        if len(chosen) >= MIN_TERMS and postings_sum + common[t] > PG_POSTING_BUDGET:
            break
        chosen[t] = math.log(1 + total / max(common[t], 1.0))
        postings_sum += common[t]
    return chosen


def _pg_candidates(session, terms: list[str], n: int) -> list[tuple[int, str, str, float]]:
    """The claims holding the affordable terms, ranked here by the weight of the terms they
    share (lower is better, as bm25): ts_rank would re-tokenise every row a second time."""
    weights = _pg_affordable_terms(session, terms)
    if not weights:
        return []
    sql = text("SELECT id, text, norm FROM claims WHERE to_tsvector('simple', norm) @@ to_tsquery('simple', :q)")
    ranked = []
    for cid, t, norm in session.execute(sql, {"q": _tsquery(list(weights))}):
        ranked.append((cid, t, norm, -sum(weights.get(w, 0.0) for w in set(norm.split()))))
    ranked.sort(key=lambda r: (r[3], r[0]))
    return ranked[:n]


def candidates(session, query: str, limit: int = 50, exclude: int | None = None,
               terms: Sequence[str] | None = None) -> list[Candidate]:
    """The claims the index ranks best for ``query`` (bm25 / ts_rank), at most ``limit``."""
    terms = list(terms) if terms is not None else query_terms(query)
    if not terms:
        return []
    n = limit + (1 if exclude else 0)
    if _dialect(session) == "sqlite":
        terms = _affordable_terms(session, terms)
        if not terms:
            return []
        sql = text(
            "SELECT c.id, c.text, c.norm, f.rank FROM "
            "(SELECT rowid, bm25(claim_fts) AS rank FROM claim_fts WHERE claim_fts MATCH :q "
            " ORDER BY rank LIMIT :n) AS f JOIN claims c ON c.id = f.rowid ORDER BY f.rank"
        )
        rows = session.execute(sql, {"q": _fts5_query(terms), "n": n})
    else:
        rows = _pg_candidates(session, terms, n)
    return [Candidate(id=r[0], text=r[1], norm=r[2], rank=r[3]) for r in rows if r[0] != exclude][:limit]


def claims_by_id(session, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """id -> (text, norm) of these claims."""
    out: dict[int, tuple[str, str]] = {}
    ids = list(ids)
    sqlite = _dialect(session) == "sqlite"
    for i in range(0, len(ids), 5000):
        marks = ", ".join(str(int(x)) for x in ids[i:i + 5000])
        sql = f"SELECT id, text, norm FROM claims WHERE id IN ({marks})"
        for cid, t, norm in (_raw(session).execute(sql) if sqlite else session.execute(text(sql))):
            out[cid] = (t, norm)
    return out
