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


def test_one_prolific_member_does_not_set_its_groups_prior():
    # a party of 40 members who are mostly right (about 0.8 on 10 verdicts each) and one
    # prolific member who is mostly wrong (0.3 on 1,000): the prolific member's verdicts are
    # most of the party's, yet a newcomer of the party is like a typical member (hierarchical
    # credibility: members weigh by their credibility, not by their number of verdicts)
    rng = np.random.default_rng(11)
    pos, neg, sq, n = records(rng.uniform(0.7, 0.9, 40), 10, rng)
    prolific = float(rng.binomial(1000, 0.3))
    pos, neg, sq, n = (np.append(v, extra) for v, extra in ((pos, [prolific, 0]), (neg, [1000 - prolific, 0]),
                                                            (sq, [prolific, 0]), (n, [1000, 0])))
    others = records(rng.uniform(0.2, 0.6, 40), 10, rng)
    pos, neg, sq, n = (np.append(v, extra) for v, extra in zip((pos, neg, sq, n), others, strict=True))
    groups = ["affiliation:a"] * 42 + ["affiliation:b"] * 40
    pooled = pooling.pool(groups, pos, neg, sq, n)
    newcomer = pooled.prior_a[41] / (pooled.prior_a[41] + pooled.prior_b[41])
    every_verdict = (pos[:42].sum()) / (n[:42].sum())  # about 0.43: the prolific member's
    assert every_verdict < 0.5 < 0.6 < newcomer < 0.85
    assert pooled.group_means["affiliation:a"] == pytest.approx(newcomer)


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


def _group(rates, n, rng, label):
    pos, neg, sq, counts = records(rates, n, rng)
    return [label] * len(rates), pos, neg, sq, counts


def _joined(*parts):
    return ([g for p in parts for g in p[0]], *(np.concatenate([p[k] for p in parts]) for k in range(1, 5)))


def test_a_group_of_many_strong_members_pulls_a_one_claim_member_toward_it():
    rng = np.random.default_rng(11)
    strong = _group(rng.uniform(0.85, 0.95, 60), 20, rng, "network:wire")
    weak = _group(rng.uniform(0.1, 0.3, 60), 20, rng, "kind:blog")
    # one newcomer of each group with a single false claim
    groups, pos, neg, sq, n = _joined(strong, weak, (["network:wire", "kind:blog"], np.zeros(2), np.ones(2),
                                                    np.zeros(2), np.ones(2)))
    pooled = pooling.pool(groups, pos, neg, sq, n)
    post = (pooled.prior_a + pos) / (pooled.prior_a + pooled.prior_b + pos + neg)
    assert post[-2] > 0.75  # one false claim does not sink a member of a reliable network
    assert post[-1] < 0.3
    assert post[-2] - post[-1] > 0.5


def test_a_uniform_group_gets_a_strong_prior_at_its_mean_and_a_mixed_one_a_weak_prior():
    rng = np.random.default_rng(5)
    uniform = _group(np.full(80, 0.7), 25, rng, "affiliation:wire")
    mixed = _group(rng.uniform(0.05, 0.95, 80), 25, rng, "affiliation:mixed")
    middling = _group(rng.uniform(0.4, 0.8, 80), 25, rng, "affiliation:middling")
    groups, pos, neg, sq, n = _joined(uniform, mixed, middling)
    pooled = pooling.pool(groups, pos, neg, sq, n)
    own = pooled.group_strengths
    assert own["affiliation:wire"] > 20 > 5 > own["affiliation:mixed"]
    assert own["affiliation:wire"] > own["affiliation:middling"] > own["affiliation:mixed"]
    assert pooled.group_means["affiliation:wire"] == pytest.approx(0.7, abs=0.03)
    first = groups.index("affiliation:wire")
    assert pooled.prior_a[first] / (pooled.prior_a[first] + pooled.prior_b[first]) == pytest.approx(0.7, abs=0.03)


def test_a_small_group_does_not_freeze_its_members_at_its_mean():
    # twenty members whose records happen to differ no more than noise: the estimate of their
    # spread is shrunk toward every group's, so a member with a long record keeps its own voice
    rng = np.random.default_rng(2)
    quiet = _group(np.full(20, 0.55), 10, rng, "affiliation:small")
    rest = _group(rng.uniform(0.1, 0.9, 200), 10, rng, "affiliation:big")
    groups, pos, neg, sq, n = _joined(quiet, rest)
    pooled = pooling.pool(groups, pos, neg, sq, n)
    assert pooled.group_strengths["affiliation:small"] < 100
    long_record = 100 * 0.9 / (pooled.group_strengths["affiliation:small"] + 100)
    assert long_record > 0.5  # 100 resolutions outweigh the group


def test_graded_sources_keep_their_grade_and_too_few_records_learn_nothing():
    rng = np.random.default_rng(4)
    groups, pos, neg, sq, n = _joined(_group(rng.uniform(0.6, 0.9, 30), 10, rng, "affiliation:a"))
    grades = ["A"] + [None] * 29
    pa, pb, pooled = pooling.source_priors(grades, groups, pos, neg, n, sq)
    assert pooled is not None and (pa[0], pb[0]) == pytest.approx((3.6, 0.4))
    assert pa[1] + pb[1] == pytest.approx(pooled.group_strengths.get("affiliation:a", pooled.strength))
    pa, pb, pooled = pooling.source_priors(grades[:10], groups[:10], pos[:10], neg[:10], n[:10], sq[:10])
    assert pooled is None and (pa[1], pb[1]) == pytest.approx((1.0, 1.0))  # the weak prior of no grade


def test_a_topic_where_sources_do_worse_shifts_their_topic_prior_down():
    # residuals (score minus the source's whole-record mean) on three topics
    shifts = pooling.topic_shifts({"health": 400.0, "sports": 400.0, "rare": 2.0},
                                  {"health": -60.0, "sports": 60.0, "rare": -1.0},
                                  {"health": 80.0, "sports": 80.0, "rare": 0.6}, {"health": 400, "sports": 400, "rare": 2})
    assert shifts["health"] < -0.1 < 0.1 < shifts["sports"]
    assert -0.25 < shifts["rare"] < 0  # two resolutions 0.5 below their sources' means: shrunk by half or more


def test_topic_residuals_count_each_resolution_on_every_topic_it_names():
    """The sums a topic's shift is learned from (moved out of the adapter, issue 25.2): a
    resolution counts on each of its topics with its weight, its residual against its source's
    whole-record mean; an uncounted verdict or a source without a record is left out."""
    whole = {1: 0.8, 2: 0.3}
    rows = [(1, 0.0, 1.0, {"health", "budget"}), (2, 1.0, 0.5, {"health"}), (1, None, 1.0, {"health"}),
            (3, 1.0, 1.0, {"health"})]
    n, total, sumsq, counts = pooling.topic_residuals(rows, whole)
    assert n == {"health": 1.5, "budget": 1.0}
    assert total["health"] == pytest.approx(-0.8 + 0.5 * 0.7, abs=1e-12)
    assert sumsq["health"] == pytest.approx(0.64 + 0.5 * 0.49, abs=1e-12)
    assert counts == {"health": 2, "budget": 1}


def test_a_topic_prior_centres_on_the_shifted_whole_record_and_learns_its_strength_only_with_records_enough():
    rng = np.random.default_rng(11)
    centre = pooling.whole_record_means([1.0, 3.0], [1.0, 1.0], [8.0, 0.0], [2.0, 4.0])
    assert centre.tolist() == pytest.approx([9 / 12, 3 / 8], abs=1e-12)
    few = [np.array(v, dtype=float) for v in ([1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0])]
    a, b = pooling.topic_priors(centre, -0.8, *few, weak_strength=2.0)
    assert (a / (a + b)).tolist() == pytest.approx([0.01, 0.01])  # shifted below the floor: kept at 0.01
    assert (a + b).tolist() == [2.0, 2.0]  # two records on the topic: the weak strength
    means = rng.uniform(0.2, 0.9, 60)
    pos, neg, sumsq, counts = records(means, 30, rng)
    a, b = pooling.topic_priors(means, None, pos, neg, counts, sumsq, weak_strength=2.0)
    assert (a / (a + b)) == pytest.approx(means)  # no topic: the centre as it is
    assert float((a + b)[0]) == pytest.approx(pooling.fit_strength(pos + neg, pos, sumsq, counts, means))
