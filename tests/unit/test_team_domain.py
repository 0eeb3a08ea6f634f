"""A team on one server, the pure parts: sign-in backoff, user names, what a watch matches."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from verifier.domain import matching, team
from verifier.domain.errors import DomainError

T1, T2 = matching.T1, matching.T2


def test_backoff_is_free_for_a_few_mistakes_then_doubles_to_a_cap():
    waits = [team.backoff(n).total_seconds() for n in range(0, 20)]
    assert waits[:team.FREE_FAILURES] == [0, 0, 0]
    assert waits[3:7] == [1, 2, 4, 8]
    assert max(waits) == team.BACKOFF_CAP.total_seconds() == waits[-1]
    assert waits == sorted(waits)


def test_wait_left_counts_down_to_zero():
    now = datetime(2026, 1, 1, 12, 0, 0)
    assert team.wait_left(None, now) == 0
    assert team.wait_left(now - timedelta(seconds=1), now) == 0
    assert team.wait_left(now + timedelta(seconds=30), now) == 30


@pytest.mark.parametrize("name", ["", "nobody", "me", "with space", "x" * 65, "-dash-first", "a[b]"])
def test_bad_user_names_are_refused(name):
    with pytest.raises(DomainError):
        team.check_user_name(name)


def test_short_passwords_are_refused():
    with pytest.raises(DomainError, match="at least"):
        team.check_password("short")
    assert team.check_password("long enough") == "long enough"


def _claim(i, text, source="sohr", via=(), subject=None, tags=()):
    return team.NewClaim(i, f"c{i}", text, source, tuple(via), subject, tuple(tags))


def _watch(i, analyst, kind, value):
    return team.Watch(i, analyst, team.WatchKind(kind), value)


def test_a_watched_text_matches_repeats_in_other_words_not_substrings():
    w = _watch(1, "ana", "text", "crops burned in Abu Khashab")
    claims = [
        _claim(1, "Crops were burned again in Abu Khashab on 14 May"),  # the same, other words
        _claim(2, "Streets were renamed in Al-Nayrab camp"),  # nothing in common
        _claim(3, "A fire near Abu Khashab; no damage reported to the school"),  # shares a name only
    ]
    hits = team.match_watches([w], claims, T1, T2)
    assert [h.claim.key for h in hits] == ["c1"]
    assert hits[0].why.startswith("text:") and hits[0].score >= T1


def test_a_watched_text_also_catches_a_possible_contradiction():
    w = _watch(1, "ana", "text", "There are more than 6250 militants in southern Syria")
    hits = team.match_watches([w], [_claim(1, "There are about 3000 militants in southern Syria")], T1, T2)
    assert len(hits) == 1 and "contradiction" in hits[0].why


def test_source_watches_see_the_relay_chain_and_exact_kinds_ignore_case():
    watches = [_watch(1, "ana", "source", "alma"), _watch(2, "bo", "subject", "Militants in southern Syria"),
               _watch(3, "cy", "tag", "Econ")]
    c = _claim(1, "x y z", source="sohr", via=["alma"], subject="militants in southern Syria", tags=["econ"])
    hits = {h.watch.analyst: h.why for h in team.match_watches(watches, [c], T1, T2)}
    assert hits == {"ana": "relayed by alma", "bo": "subject militants in southern Syria", "cy": "tag econ"}


def test_one_inbox_entry_per_analyst_and_claim():
    watches = [_watch(1, "ana", "tag", "econ"), _watch(2, "ana", "source", "sohr"),
               _watch(3, "ana", "text", "crops burned in Abu Khashab")]
    hits = team.match_watches(watches, [_claim(1, "Crops burned in Abu Khashab", tags=["econ"])], T1, T2)
    assert len(hits) == 1 and hits[0].watch.id == 2  # the source watch is checked first


def test_watch_values_are_checked():
    with pytest.raises(DomainError):
        team.Watch.new_value("colour", "red")
    with pytest.raises(DomainError, match="empty"):
        team.Watch.new_value("text", "   ")
    assert team.Watch.new_value("TAG", " econ ") == (team.WatchKind.TAG, "econ")


def test_an_address_mistyping_a_few_names_goes_on_longer_than_one_name_from_it():
    everyone, this = team.throttle_buckets("ana", "203.0.113.7")
    assert everyone == (team.ANYONE, "203.0.113.7") and this == ("ana", "203.0.113.7")
    assert team.backoff(team.FREE_FAILURES, team.free_failures("ana")) == timedelta(seconds=1)
    assert team.backoff(team.FREE_FAILURES, team.free_failures(team.ANYONE)) == timedelta(0)
    assert team.backoff(10_000, team.free_failures(team.ANYONE)) == team.BACKOFF_CAP


@pytest.mark.parametrize(("peer", "unit"), [
    ("203.0.113.7", "203.0.113.7"),
    ("::ffff:203.0.113.7", "203.0.113.7"),  # an IPv4 client on a dual-stack socket
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),  # one host has a whole /64: throttle the /64
    ("2001:db8:1:2:bbbb::9%eth0", "2001:db8:1:2::/64"),
    (None, "unknown"),
])
def test_client_addresses_are_throttled_by_the_unit_one_client_controls(peer, unit):
    assert team.client_address(peer) == unit


def test_the_database_keeps_a_hash_of_the_session_token_never_the_token():
    sid = team.session_id("a token")
    assert len(sid) == 64 and "a token" not in sid and sid == team.session_id("a token")
