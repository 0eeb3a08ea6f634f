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
    src, obj, val = (np.array(c) for c in zip(*rows))
    return src, obj, val


def test_silent_copiers_are_detected_with_their_original():
    src, obj, val = _copy_world()
    found = discover(src, obj, val, 8, n_false=5)
    pairs = {frozenset((int(c), int(o))) for c, o in zip(found.copier, found.original)}
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
        facts = {int(o): f for o, f in zip(*found.best())}
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
