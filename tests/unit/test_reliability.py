"""Track records: what a source's resolved claims say about its next one."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from verifier.domain.reliability import (
    GRADE_PRIORS,
    ResolvedReport,
    admiralty_credibility,
    credibility_many,
    estimative_words,
    grade_prior,
    moved_most,
    posterior_many,
    track_record,
)

T0 = datetime(2020, 5, 1)


def resolved(verdicts, start=T0):
    return [ResolvedReport(f"c{i}", v, start + timedelta(days=i)) for i, v in enumerate(verdicts)]


def test_no_record_follows_the_grade_and_unknown_cannot_be_judged():
    assert track_record("A", []).score == pytest.approx(0.9)
    assert track_record("E", []).score == pytest.approx(0.25)
    unknown = track_record(None, [])
    assert unknown.score == pytest.approx(0.5)
    assert unknown.letter == "F"
    assert track_record("F", []).letter == "F"


def test_grade_letters_are_kept_by_a_matching_record_and_ordered():
    letters = [track_record(g, []).letter for g in "ABCDE"]
    assert letters == list("ABCDE")
    assert track_record("G", []).letter == "E"  # deceptive maps to the bottom of A-E


def test_false_resolutions_lower_the_score_and_true_ones_raise_it():
    base = track_record("C", []).score
    good = track_record("C", resolved(["true"] * 5))
    bad = track_record("C", resolved(["false"] * 5))
    assert good.score > base > bad.score
    assert good.letter < bad.letter  # 'A' < 'E': better letter for the better record
    assert good.n == 5 and good.counts == {"true": 5}


def test_unverifiable_is_counted_but_does_not_move_the_score():
    record = track_record("B", resolved(["unverifiable", "unverifiable"]))
    assert record.score == pytest.approx(0.8)
    assert record.counts == {"unverifiable": 2}
    assert record.n == 0
    assert record.history == ()


def test_partial_verdicts_score_in_between():
    scores = [track_record("F", resolved([v] * 3)).score for v in ["false", "mostly-false", "mixed", "mostly-true", "true"]]
    assert scores == sorted(scores)
    assert track_record("F", resolved(["mixed"] * 3)).score == pytest.approx(0.5)


def test_interval_contains_the_mean_and_narrows_with_evidence():
    few = track_record("C", resolved(["true", "false"]))
    many = track_record("C", resolved(["true", "false"] * 20))
    for record in (few, many):
        assert record.low < record.score < record.high
    assert (many.high - many.low) < (few.high - few.low)


def test_as_of_excludes_later_resolutions():
    items = resolved(["true", "true", "false", "false", "false"])
    as_of = items[1].at
    then = track_record("C", items, as_of=as_of)
    now = track_record("C", items)
    assert then.n == 2 and now.n == 5
    assert then.score > now.score
    # a date means "by the end of that day"
    assert track_record("C", items, as_of=as_of.date()).n == 2


def test_as_of_compares_aware_and_naive_times():
    items = [ResolvedReport("c1", "false", datetime(2020, 5, 2, 12, tzinfo=UTC))]
    assert track_record("C", items, as_of=date(2020, 5, 1)).n == 0
    assert track_record("C", items, as_of=date(2020, 5, 2)).n == 1


def test_history_is_in_time_order_and_explains_the_score():
    items = resolved(["true", "false", "true"])
    record = track_record("C", list(reversed(items)))
    assert [s.claim for s in record.history] == ["c0", "c1", "c2"]
    assert record.history[0].score_before == pytest.approx(0.65)
    assert record.history[-1].score_after == pytest.approx(record.score)
    for step in record.history:
        assert step.delta == pytest.approx(step.score_after - step.score_before)


def test_moved_most_names_the_resolution_that_hurt_most():
    items = resolved(["true"] * 6 + ["false"])
    top = moved_most(track_record("B", items), 1)
    assert [s.claim for s in top] == ["c6"]
    assert top[0].delta < 0


def test_weights_scale_the_evidence():
    light = track_record("C", [ResolvedReport("c1", "false", T0, weight=0.5)])
    heavy = track_record("C", [ResolvedReport("c1", "false", T0, weight=2.0)])
    assert heavy.score < light.score


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="verdict"):
        track_record("C", [ResolvedReport("c1", "maybe", T0)])
    with pytest.raises(ValueError, match="grade"):
        track_record("Z", [])
    with pytest.raises(ValueError, match="weight"):
        ResolvedReport("c1", "true", T0, weight=-1)


def test_estimative_words_follow_icd_203():
    assert estimative_words(0.02) == "almost no chance"
    assert estimative_words(0.1) == "very unlikely"
    assert estimative_words(0.3) == "unlikely"
    assert estimative_words(0.5) == "roughly even chance"
    assert estimative_words(0.7) == "likely"
    assert estimative_words(0.9) == "very likely"
    assert estimative_words(0.97) == "almost certain"
    with pytest.raises(ValueError):
        estimative_words(1.2)


def test_admiralty_credibility_is_ordered_and_six_without_evidence():
    levels = [admiralty_credibility(p) for p in (0.99, 0.8, 0.5, 0.3, 0.05)]
    assert levels == [1, 2, 3, 4, 5]
    assert admiralty_credibility(None) == 6
    assert admiralty_credibility(0.9, evidence=0) == 6


def test_posterior_many_matches_the_single_source_record_and_is_ordered():
    items = resolved(["true", "true", "false", "mostly-true"])
    single = track_record("B", items)
    a0, b0 = grade_prior("B")
    pos = 1 + 1 + 0 + 0.75
    mean, low, high = posterior_many([a0, a0], [b0, b0], [pos, 0.0], [4 - pos, 0.0])
    assert mean[0] == pytest.approx(single.score)
    assert low[0] == pytest.approx(single.low, abs=1e-9)
    assert high[0] == pytest.approx(single.high, abs=1e-9)
    assert np.all(low <= mean) and np.all(mean <= high)


def test_beta_interval_agrees_with_scipy():
    from scipy import stats
    rng = np.random.default_rng(3)
    a = rng.uniform(0.2, 500, 200)
    b = rng.uniform(0.2, 500, 200)
    _, low, high = posterior_many(a, b, 0, 0)
    assert np.allclose(low, stats.beta.ppf(0.05, a, b), atol=1e-9)
    assert np.allclose(high, stats.beta.ppf(0.95, a, b), atol=1e-9)


def test_every_grade_has_a_documented_prior():
    assert set(GRADE_PRIORS) == {"A", "B", "C", "D", "E", "F", "G", None}
    means = [GRADE_PRIORS[g][0] for g in "ABCDE"]
    assert means == sorted(means, reverse=True)


def test_credibility_of_many_beliefs_is_what_each_gets_alone():
    """The array form the scoring writes (moved into domain) gives each belief the level
    admiralty_credibility gives it, on the cut points too (0.95 is confirmed, 0.9499 is not)."""
    edges = [0.0, 0.05, 0.1999, 0.2, 0.4499, 0.45, 0.5499, 0.55, 0.9499, 0.95, 1.0]
    p = np.r_[edges, np.random.default_rng(5).uniform(0, 1, 500)]
    assert credibility_many(p).tolist() == [admiralty_credibility(float(x)) for x in p]
