"""Empirical Bayes group priors, topic records and decay: pure functions."""

from __future__ import annotations

import numpy as np
import pytest

from verifier.domain import pooling


def records(rates, n, rng):
    pos = np.array([rng.binomial(n, r) for r in rates], dtype=float)
    return pos, n - pos, pos, np.full(len(rates), float(n))  # binary scores: sum of squares = sum


def test_alike_sources_get_a_strong_prior_and_different_ones_a_weak_one():
    rng = np.random.default_rng(7)
    alike = records([0.6] * 200, 20, rng)
    spread = records(rng.uniform(0.05, 0.95, 200), 20, rng)
    strong = pooling.fit_strength(alike[0] + alike[1], alike[0], alike[2], alike[3], 0.6)
    weak = pooling.fit_strength(spread[0] + spread[1], spread[0], spread[2], spread[3], 0.5)
    assert weak < 5 < strong


def test_the_learned_strength_matches_the_true_spread():
    # Beta(12, 8): kappa = 20 pseudo-observations around 0.6
    rng = np.random.default_rng(3)
    pos, neg, sq, n = records(rng.beta(12, 8, 2000), 30, rng)
    kappa = pooling.fit_strength(pos + neg, pos, sq, n, 0.6)
    assert 14 < kappa < 28


def test_a_short_record_borrows_from_its_group():
    rng = np.random.default_rng(1)
    groups = ["affiliation:a"] * 100 + ["affiliation:b"] * 100 + ["affiliation:a", "affiliation:b"]
    rates = np.concatenate([rng.uniform(0.7, 0.9, 100), rng.uniform(0.1, 0.3, 100)])
    pos, neg, sq, n = records(rates, 15, rng)
    # two newcomers with three true statements each, one from each group
    pos, neg, sq, n = (np.append(v, extra) for v, extra in ((pos, [3, 3]), (neg, [0, 0]), (sq, [3, 3]), (n, [3, 3])))
    pooled = pooling.pool(groups, pos, neg, sq, n)
    post = (pooled.prior_a + pos) / (pooled.prior_a + pooled.prior_b + pos + neg)
    assert post[-2] > 0.7 > post[-1]  # the same three verdicts mean different things in each group
    assert post[-1] < 0.9 and post[-2] < 0.95  # and neither newcomer reads as near-certain
    assert pooled.group_means["affiliation:a"] > 0.7 > 0.3 > pooled.group_means["affiliation:b"]


def test_group_of_prefers_the_network_then_the_affiliation_then_the_kind():
    assert pooling.group_of("sohr", "opposition", "monitor") == "network:sohr"
    assert pooling.group_of(None, " Opposition ", "monitor") == "affiliation:opposition"
    assert pooling.group_of(None, None, "monitor") == "kind:monitor"
    assert pooling.group_of(None, None, "unknown") is None


def test_decay_halves_the_weight_every_half_life():
    w = pooling.decay_weights([0, 365, 730, -10], 365)
    assert w.tolist() == pytest.approx([1.0, 0.5, 0.25, 1.0])
    assert pooling.decay_weights([1000], None).tolist() == [1.0]


def test_half_life_setting_values():
    assert pooling.parse_half_life("365") == 365.0
    assert pooling.parse_half_life("off") is None and pooling.parse_half_life("0") is None
    for bad in ("-3", "soon", "nan", "inf"):
        with pytest.raises(ValueError, match="half_life_days"):
            pooling.parse_half_life(bad)


def test_on_topic_matches_a_tag_or_the_subject_ignoring_case():
    assert pooling.on_topic(["Crops", "arson"], None, "crops")
    assert pooling.on_topic([], "militants in southern Syria", "Militants in southern Syria")
    assert not pooling.on_topic(["crops"], "fires", "arson")
