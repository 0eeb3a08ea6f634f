"""Which app processes make room for a new one: a user's idlest tab when they have too many,
then the server's idlest when it runs as many as it may (the tabs typed into most recently stay)."""

from __future__ import annotations

import pytest

pytest.importorskip("textual_serve")

from verifier.web.apps import Apps, Running  # noqa: E402


async def _close() -> None:
    return None


def _tab(user: str, last_input: float) -> Running:
    return Running(user, f"session of {user}", _close, last_input=last_input)


def test_a_users_new_tab_closes_their_idlest_and_leaves_others_alone():
    apps = Apps(max_total=10, max_per_user=2, idle_seconds=60)
    ana_old, ana_new, bo = _tab("ana", 1.0), _tab("ana", 5.0), _tab("bo", 0.5)
    apps.running += [ana_new, bo, ana_old]
    assert apps.make_room("ana") == [ana_old]
    assert apps.make_room("rita") == []


def test_a_full_server_closes_the_idlest_of_all():
    apps = Apps(max_total=3, max_per_user=3, idle_seconds=60)
    tabs = [_tab("ana", 3.0), _tab("bo", 1.0), _tab("rita", 2.0)]
    apps.running += tabs
    assert apps.make_room("sam") == [tabs[1]]
    assert apps.make_room("ana") == [tabs[1]]


def test_idle_tabs_and_those_of_ended_sessions_are_found():
    apps = Apps(max_total=3, max_per_user=3, idle_seconds=60)
    tabs = [_tab("ana", 0.0), _tab("bo", 100.0)]
    apps.running += tabs
    assert apps.idle(now=120.0) == [tabs[0]]
    assert apps.of_sessions_not_in({"session of bo"}) == [tabs[0]]
