"""Belief in unresolved claims: reliability-weighted, copy-aware, anchored by resolutions."""

import numpy as np
import pytest

from verifier.domain.truth import discover, facts_from_links, update


def belief_of(found, row):
    return float(found.claim_belief[row])


def test_single_source_belief_is_its_reliability():
    found = discover([0], [0], [0], 1, prior=0.8)
    assert belief_of(found, 0) == pytest.approx(0.8, abs=0.02)
    assert found.reliability[0] == pytest.approx(0.8, abs=0.02)


def test_unanimous_independent_sources_are_believed_more_than_one():
    one = discover([0], [0], [0], 1, prior=0.7)
    three = discover([0, 1, 2], [0, 0, 0], [0, 0, 0], 3, prior=0.7)
    assert belief_of(three, 0) > belief_of(one, 0) + 0.15
    assert belief_of(three, 0) > 0.9
    assert three.claim_belief[0] == three.claim_belief[2]  # one fact, one belief


def test_contradicting_values_share_the_belief_and_the_majority_of_reliable_sources_wins():
    # object 0: sources 0 and 1 say value 0, source 2 says value 1
    found = discover([0, 1, 2], [0, 0, 0], [0, 0, 1], 3, prior=0.7)
    assert belief_of(found, 0) > belief_of(found, 2)
    assert belief_of(found, 0) + belief_of(found, 2) <= 1.0 + 1e-9
    objects, facts = found.best()
    assert list(objects) == [0] and found.fact_value[facts[0]] == 0


def test_more_reliable_source_outweighs_a_less_reliable_one():
    found = discover([0, 1], [0, 0], [0, 1], 2, prior=[0.9, 0.4])
    assert belief_of(found, 0) > belief_of(found, 1)


def test_declared_copier_does_not_double_a_vote():
    alone = discover([0], [0], [0], 2, prior=0.7)
    copied = discover([0, 1], [0, 0], [0, 0], 2, prior=0.7, known_copies=[(1, 0)])
    independent = discover([0, 1], [0, 0], [0, 0], 2, prior=0.7, detect_copying=False)
    assert belief_of(independent, 0) > belief_of(alone, 0) + 0.1
    # the copy adds at most a fifth of a vote (copy rate 0.8)
    assert belief_of(copied, 0) < belief_of(alone, 0) + 0.4 * (belief_of(independent, 0) - belief_of(alone, 0))


def _copy_world(seed=0, n_objects=300):
    """Sources 0-5 independent; 6 copies 0 (errors included), 7 copies 1 (mostly)."""
    rng = np.random.default_rng(seed)
    acc = np.array([0.55, 0.6, 0.8, 0.85, 0.75, 0.7])
    rows = []
    for s, a in enumerate(acc):
        for o in np.flatnonzero(rng.random(n_objects) < 0.5):
            rows.append((s, o, 0 if rng.random() < a else int(rng.integers(1, 6))))
    for copier, original, share in ((6, 0, 0.9), (7, 1, 0.8)):
        rows += [(copier, o, v) for s, o, v in list(rows) if s == original and rng.random() < share]
    src, obj, val = (np.array(c) for c in zip(*rows, strict=False))
    return src, obj, val


def test_silent_copiers_are_detected_with_their_original():
    src, obj, val = _copy_world()
    found = discover(src, obj, val, 8, n_false=5)
    pairs = {frozenset((int(c), int(o))) for c, o in zip(found.copier, found.original, strict=False)}
    assert pairs == {frozenset((6, 0)), frozenset((7, 1))}
    assert np.all(found.copy_probability > 0.9)


def test_a_copier_does_not_double_its_originals_errors():
    src, obj, val = _copy_world()
    aware = discover(src, obj, val, 8, n_false=5)
    naive = discover(src, obj, val, 8, n_false=5, detect_copying=False)
    # objects where the weak source 0 erred and its copier repeated the error
    wrong_copied = [
        o for o in np.unique(obj[(src == 0) & (val != 0)])
        if np.any((src == 6) & (obj == o) & (val != 0))
    ]
    assert len(wrong_copied) > 10

    def believed_error(found):
        facts = {int(o): f for o, f in zip(*found.best(), strict=False)}
        return np.mean([found.fact_value[facts[o]] != 0 for o in wrong_copied])

    assert believed_error(aware) < believed_error(naive)


def test_anchors_fix_belief_and_move_reliability():
    # source 0 and 1 agree on object 0; source 0 also claims object 1 alone
    src, obj, val = [0, 1, 0], [0, 0, 1], [0, 0, 0]
    free = discover(src, obj, val, 2, prior=0.7)
    anchored = discover(src, obj, val, 2, prior=0.7, anchors={0: 0.0})  # object 0's value is false
    assert belief_of(anchored, 0) == 0.0
    assert anchored.reliability[0] < free.reliability[0]
    assert anchored.reliability[1] < free.reliability[1]
    # and the belief in source 0's other, unresolved claim drops with it
    assert belief_of(anchored, 2) < belief_of(free, 2)


def test_true_anchor_rules_out_the_other_values_of_the_object():
    found = discover([0, 1, 2], [0, 0, 0], [0, 1, 2], 3, anchors={1: 1.0})
    assert belief_of(found, 1) == 1.0
    assert belief_of(found, 0) == 0.0 and belief_of(found, 2) == 0.0


def test_update_matches_a_full_recompute():
    src, obj, val = _copy_world(seed=1, n_objects=120)
    found = discover(src, obj, val, 8, n_false=5)
    row = 5
    updated = update(found, {row: 1.0})
    full = discover(src, obj, val, 8, n_false=5, anchors={row: 1.0})
    assert belief_of(updated, row) == 1.0
    assert np.allclose(updated.reliability, full.reliability, atol=0.01)
    assert np.mean(np.abs(updated.belief - full.belief)) < 0.01


def test_facts_from_links_builds_facts_and_objects():
    # claims 0 and 1 duplicate each other; 2 contradicts 0; 3 stands alone
    obj, val = facts_from_links(4, same=[(0, 1)], contradicts=[(2, 0)])
    assert val[0] == val[1] and val[2] != val[0]
    assert obj[0] == obj[1] == obj[2] and obj[3] != obj[0]
    found = discover([0, 1, 2, 3], obj, val, 4, prior=0.7)
    assert belief_of(found, 0) == belief_of(found, 1)
    assert belief_of(found, 0) > belief_of(found, 2)
    assert belief_of(found, 3) == pytest.approx(0.7, abs=0.03)


def test_same_source_repeating_itself_counts_once():
    once = discover([0], [0], [0], 1, prior=0.7)
    twice = discover([0, 0], [0, 0], [0, 0], 1, prior=0.7)
    assert belief_of(twice, 0) == pytest.approx(belief_of(once, 0))


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="claim_source"):
        discover([0, 5], [0, 0], [0, 1], 2)
    with pytest.raises(ValueError, match="anchors"):
        discover([0], [0], [0], 1, anchors={3: 1.0})
    with pytest.raises(ValueError, match="prior"):
        discover([0], [0], [0], 1, prior=[0.5, 0.5])


def test_many_claims_find_the_majority_value():
    """200,000 claims from 2,000 sources (how fast: bench/scoring_speed.py, 1M claims)."""
    rng = np.random.default_rng(0)
    n = 200_000
    src = rng.integers(0, 2000, n)
    obj = np.repeat(np.arange(n // 10), 10)
    val = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 5, n))
    found = discover(src, obj, val, 2000, n_false=4)
    objects, facts = found.best()
    assert np.mean(found.fact_value[facts] == 0) > 0.9


# --------------------------------------------------------------------------- calibration, grades


def _calibration_error(p, y, bins=10):
    which = np.minimum((p * bins).astype(int), bins - 1)
    return sum((which == b).mean() * abs(p[which == b].mean() - y[which == b].mean())
               for b in range(bins) if (which == b).any())


@pytest.mark.parametrize("seed", [3, 4])
def test_belief_is_calibrated_on_a_world_with_hidden_truth(seed):
    # sources of hidden accuracy, two silent copiers, a fifth of the objects resolved
    src, obj, val = _copy_world(seed=seed, n_objects=1000)
    rng = np.random.default_rng(seed)
    resolved = rng.random(1000) < 0.2
    rows = np.flatnonzero(resolved[obj])
    found = discover(src, obj, val, 8, n_false=5, prior=0.5, anchors=(rows, (val[rows] == 0).astype(float)))
    open_facts = ~resolved[found.fact_object]
    p, y = found.belief[open_facts], (found.fact_value[open_facts] == 0).astype(float)
    assert _calibration_error(p, y) <= 0.05
    # and sharper than the share of votes each value got, the naive probability
    votes = np.bincount(found.claim_fact, minlength=len(found.belief)).astype(float)
    per_object = np.bincount(found.fact_object, weights=votes)[found.fact_object]
    share = (votes / per_object)[open_facts]
    assert np.mean((p - y) ** 2) < np.mean((share - y) ** 2)


def test_agreement_of_sources_without_a_record_is_never_almost_certain():
    # three grade-B sources (prior 0.8) agree on a value of a many-valued question; none has
    # a resolved claim: their agreement moves belief up, but not to "almost certain"
    one = discover([0], [0], [0], 3, prior=0.8, n_false=10)
    three = discover([0, 1, 2], [0, 0, 0], [0, 0, 0], 3, prior=0.8, n_false=10)
    assert belief_of(one, 0) == pytest.approx(0.8, abs=0.02)
    assert belief_of(one, 0) < belief_of(three, 0) < 0.95
    assert belief_of(three, 0) == pytest.approx(0.94)


def test_a_grade_only_origin_does_not_lift_a_recorded_source_to_almost_certain():
    # the demo's c1: a source with a record (0.69) and a grade-B source with none agree,
    # a poor source (0.3) contradicts them
    src, obj, val = [0, 1, 2], [0, 0, 0], [0, 0, 1]
    prior = [0.69, 0.8, 0.3]
    found = discover(src, obj, val, 3, prior=prior, n_false=10, record=[2, 0, 2])
    assert 0.69 < belief_of(found, 0) < 0.95
    # with a record for both, the same votes do read almost certain
    known = discover(src, obj, val, 3, prior=prior, n_false=10, record=[2, 3, 2])
    assert belief_of(known, 0) >= 0.95


def test_a_resolution_gives_its_source_a_record():
    # source 0 has no record, so its agreement with 1 and 2 stays below almost certain until
    # one of its claims (object 1) is resolved
    src, obj, val = [0, 1, 2, 0], [0, 0, 0, 1], [0, 0, 0, 0]
    found = discover(src, obj, val, 3, prior=0.8, n_false=10)
    assert belief_of(found, 0) < 0.95
    after = update(found, {3: 1.0})
    assert after.state.has_record[0]
    assert belief_of(after, 0) < 0.95  # 1 and 2 still have no record: their votes do not count towards certainty
    full = discover(src, obj, val, 3, prior=0.8, n_false=10, record=[1, 1, 1])
    assert belief_of(full, 0) >= 0.95


def test_the_number_of_false_values_is_learnt_from_how_often_errors_agree():
    # errors cluster on two near misses (as "1200" beside 1210): agreement on a false value is
    # common, so the effective number of false values is small, not the 10 the caller allows
    rng = np.random.default_rng(5)
    rows = []
    for o in range(400):
        for s in rng.choice(12, 6, replace=False):
            rows.append((s, o, 0 if rng.random() < 0.6 else int(rng.choice([1, 2], p=[0.7, 0.3]))))
    src, obj, val = (np.array(c) for c in zip(*rows, strict=False))
    learnt = discover(src, obj, val, 12, n_false=10, estimate_n_false=True, detect_copying=False)
    assert 1.0 <= learnt.state.n_false < 3.0
    # uniform errors over 8 values: the estimate stays near 8
    val_u = np.where(val == 0, 0, rng.integers(1, 9, len(val)))
    uniform = discover(src, obj, val_u, 12, n_false=10, estimate_n_false=True, detect_copying=False)
    assert 6.0 < uniform.state.n_false <= 10.0
    # and the learnt model is the better calibrated one on the clustered errors
    fixed = discover(src, obj, val, 12, n_false=10, detect_copying=False)
    truth = (learnt.fact_value == 0).astype(float)
    assert np.mean((learnt.belief - truth) ** 2) < np.mean((fixed.belief - truth) ** 2)
