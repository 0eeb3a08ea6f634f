"""The audit log's hash chain names the first event edited, removed or reordered."""

from datetime import datetime

import attrs

from verifier.domain import audit


def chain(n=5):
    events, prev = [], audit.GENESIS
    for seq in range(1, n + 1):
        at = datetime(2026, 1, 1, 12, seq)
        after = audit.canonical({"n": seq})
        h = audit.event_hash(prev, seq, at, "ana", "add", "claim", f"c{seq}", None, after)
        events.append(audit.Event(seq, at, "ana", "add", "claim", f"c{seq}", None, after, prev, h))
        prev = h
    return events


def test_intact_chain_verifies():
    assert audit.verify_chain(chain()) is None


def test_edited_event_is_named():
    evs = chain()
    evs[2] = attrs.evolve(evs[2], after=audit.canonical({"n": 99}))
    broken = audit.verify_chain(evs)
    assert broken.seq == 3 and "edited" in broken.problem


def test_removed_event_is_named():
    evs = chain()
    del evs[1]
    broken = audit.verify_chain(evs)
    assert broken.seq == 2 and "removed" in broken.problem


def test_reordered_events_are_named():
    evs = chain()
    evs[1], evs[2] = evs[2], evs[1]
    broken = audit.verify_chain(evs)
    assert broken.seq in (2, 3)
    assert "order" in broken.problem or "follow" in broken.problem
