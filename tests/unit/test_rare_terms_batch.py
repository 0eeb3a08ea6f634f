"""The detector picks each claim's lookup words for a whole batch at once (numpy); it must
pick exactly what ``normalisation.rare_terms`` picks for the claim alone."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.domain import normalisation
from verifier.services.duplicates import rare_terms_of_batch

WORDS = ["al", "bukamal", "convoy", "kaserun", "militia", "qalamoun", "tarfan", "6250", "fires", "abu", "khashab", "x"]


@settings(max_examples=300, deadline=None)
@given(
    claims=st.lists(st.lists(st.sampled_from(WORDS), unique=True, max_size=8), min_size=1, max_size=12),
    df=st.fixed_dictionaries({w: st.integers(0, 30) for w in WORDS}),
    k=st.integers(1, 5),
    cap=st.integers(1, 25),
    min_df=st.integers(1, 2),
)
def test_batch_choice_equals_rare_terms_claim_by_claim(claims, df, k, cap, min_df):
    vocab = sorted(WORDS)
    index = {w: i for i, w in enumerate(vocab)}
    claim = np.array([c for c, ws in enumerate(claims) for _ in ws], np.int64)
    word = np.array([index[w] for ws in claims for w in ws], np.int64)
    got_claim, got_word = rare_terms_of_batch(claim, word, np.array([df[w] for w in vocab]),
                                              np.array([len(w) for w in vocab]), k, cap, min_df)
    got: dict[int, list[str]] = {}
    for c, w in zip(got_claim.tolist(), got_word.tolist(), strict=False):
        got.setdefault(c, []).append(vocab[w])
    for c, ws in enumerate(claims):
        assert got.get(c, []) == normalisation.rare_terms(ws, df, k, cap, min_df), (ws, df)
