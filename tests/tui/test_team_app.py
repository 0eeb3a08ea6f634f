"""The app as a team uses it: served to a browser, the screen its address names and the
signed-in user in the audit (the web server signs people in: tests/e2e/test_serve.py), readers refused, others' changes shown without restarting, the second analyst told
instead of overwriting, the inbox and its unread count, the queue's "mine" filter."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from test_triage import claim, last_event
from tuihelpers import errors, plain_of, settle

from tui.app import VerifierApp
from tui.screens.claim import ClaimScreen
from tui.screens.inbox import InboxScreen
from tui.screens.queue import QueueScreen
from tui.widgets.navbar import NavBar
from tui.widgets.paged_table import PagedTable
from verifier import bootstrap
from verifier.adapters import orm
from verifier.services import commands, team
from verifier.views import routes

SIZE = (120, 40)
PASSWORD = "correct horse battery"


@pytest.fixture
def other(demo_db):
    """A second analyst working on the same database from elsewhere."""
    store = bootstrap.connect(demo_db, "bo")
    yield store
    store.dispose()


async def until(pilot, condition, rounds: int = 60) -> None:
    """Let the app's poll timer run until ``condition()`` holds (bounded, not timed)."""
    for _ in range(rounds):
        await settle(pilot, rounds=4)
        if condition():
            return
        await asyncio.sleep(0.1)
    assert condition()


def signed_in(store, name: str, role: str = "analyst"):
    """The store an app served to ``name``'s browser acts through (``verifier tui --served``)."""
    team.add_user(store.uow(), name, PASSWORD, role)
    return store.open_as({"name": name, "role": role})


async def test_the_app_opens_the_screen_its_address_names_and_acts_as_its_user(tui_store):
    app = VerifierApp(signed_in(tui_store, "ana"), route=routes.Route("claim", "d3"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen) and app.screen.key == "d3"
        assert app.route == routes.Route("claim", "d3")
        # resolve by keyboard: the audit names the signed-in user
        await pilot.press("r", "5", *"refuted", "enter", "enter")
        await settle(pilot)
        assert claim(tui_store, "d3").resolutions[-1].analyst == "ana"
        ev = last_event(tui_store)
        assert (ev.action, ev.key, ev.analyst) == ("resolve", "d3", "ana")
        # the address follows the screen: back to the queue, then the sources
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen) and app.route.path == "/queue"
        await pilot.press("2")
        await settle(pilot)
        assert app.route.path == "/sources"
        assert "analyst ana" in plain_of(app.screen.query_one(NavBar))
        assert errors(app) == []
    app.store.dispose()


async def test_a_reader_is_refused_with_one_clear_message(tui_store):
    app = VerifierApp(signed_in(tui_store, "rita", "reader"), route=routes.HOME)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        before = last_event(tui_store)
        await pilot.press("r", "5", *"refuted", "enter", "enter")
        await settle(pilot)
        assert errors(app) == ["role: rita is a reader: readers may read everything and change nothing"]
        assert claim(tui_store, "d3").status == "unresolved"
        assert last_event(tui_store) == before
    app.store.dispose()


async def test_others_changes_appear_without_restarting(app, tui_store, other, monkeypatch):
    monkeypatch.setattr(VerifierApp, "POLL_SECONDS", 0.2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert "d3" in [k.value for k in table.rows]
        commands.resolve(other.uow(), "d3", "false")  # bo, from another app
        await until(pilot, lambda: "d3" not in [k.value for k in table.rows])
        assert errors(app) == []


async def test_acting_on_a_claim_someone_changed_meanwhile_is_refused(app, tui_store, other):
    app.errors_expected = True
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(PagedTable).current_key() == "d3"
        commands.resolve(other.uow(), "d3", "true", rationale="bo checked")  # tester has not seen it yet
        await pilot.press("r", "5", *"refuted", "enter", "enter")
        await settle(pilot)
        assert len(errors(app)) == 1 and "d3 was changed meanwhile by bo (resolve" in errors(app)[0]
        assert [n.title for n in app._notifications if n.severity == "error"] == ["Not saved"]
        assert "pending" not in (app.sub_title or "")
        assert [(r.verdict, r.analyst) for r in claim(tui_store, "d3").resolutions] == [("true", "bo")]


async def test_a_save_waiting_for_the_database_shows_as_pending_until_committed(app, tui_store, other):
    """The form closes at once; while another writer holds the database (an import) the
    header says the save is pending, and it clears when the verdict is committed."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(PagedTable).current_key() == "d3"
        with other.uow() as writer:  # SQLite's one write lock, held as an import would hold it
            writer.session.execute(select(orm.claims.c.id).limit(1)).all()
            await pilot.press("r", "5", *"refuted", "enter", "enter")
            for _ in range(50):  # not settle(): it waits for the save, which waits for this writer
                if app.pending_saves == 1:
                    break
                await pilot.pause(0.05)
            assert app.sub_title == "saving 1 change: pending until committed"
            assert claim(tui_store, "d3").status == "unresolved"
            writer.rollback()
        await until(pilot, lambda: app.pending_saves == 0)
        assert "pending" not in (app.sub_title or "")
        assert errors(app) == []
        assert claim(tui_store, "d3").status != "unresolved"


async def test_the_inbox_shows_new_matches_and_its_unread_count(app, tui_store, other, monkeypatch):
    monkeypatch.setattr(VerifierApp, "POLL_SECONDS", 0.2)
    team.add_watch(tui_store.uow(), "text", "crops burned in Abu Khashab")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(NavBar)
        assert "inbox" not in plain_of(bar)
        commands.add_claim(other.uow(), "Crops were burned again in Abu Khashab on 14 May", "deirezzor24", key="n1")
        await until(pilot, lambda: "i inbox 1" in plain_of(app.screen.query_one(NavBar)))
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert list(app.screen.rows.values())[0]["claim"] == "n1"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen) and app.screen.key == "n1"
        with tui_store.uow(readonly=True) as uow:
            assert [i["read"] for i in team.inbox(uow)] == [True]
        await until(pilot, lambda: app.unread == 0)


async def test_the_queue_filters_to_mine_and_shows_the_assignee(app, tui_store):
    team.add_user(tui_store.uow(), "tester", PASSWORD, "analyst")
    team.assign(tui_store.uow(), ["c14"], "me")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert table.row_count > 1
        row = table.get_row("c14")
        assert "tester" in [getattr(c, "plain", str(c)) for c in row]
        await pilot.press("m")
        await settle(pilot)
        assert [k.value for k in table.rows] == ["c14"]
        assert "assigned to you" in plain_of(app.screen.query_one("#summary"))
        await pilot.press("m")
        await settle(pilot)
        assert table.row_count > 1


async def test_assigning_from_the_queue_is_audited_as_the_signed_in_analyst(tui_store):
    team.add_user(tui_store.uow(), "bo", PASSWORD, "analyst")
    app = VerifierApp(signed_in(tui_store, "ana"), route=routes.HOME)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.screen
        table = queue.query_one(PagedTable)
        assert table.current_key() == "d3" and claim(tui_store, "d3").assignee is None

        await pilot.press("t", *"bo", "enter")  # t: assign the selected claim; the form asks to whom
        await settle(pilot)
        assert claim(tui_store, "d3").assignee == "bo"
        ev = last_event(tui_store)
        assert (ev.action, ev.key, ev.analyst, ev.after) == ("assign", "d3", "ana", {"assignee": "bo"})
        assert "bo" in [getattr(c, "plain", str(c)) for c in table.get_row("d3")]
        assert "assigned to bo" in plain_of(queue.query_one("#preview"))

        await pilot.press("u")  # undo: nobody's again
        await settle(pilot)
        assert claim(tui_store, "d3").assignee is None

        await pilot.press("m")  # mine: nothing assigned to ana yet
        await settle(pilot)
        assert table.row_count == 0
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("t", "enter")  # an empty answer: the analyst signed in
        await settle(pilot)
        assert claim(tui_store, "d3").assignee == "ana"
        await pilot.press("m")
        await settle(pilot)
        assert [k.value for k in table.rows] == ["d3"]
        await pilot.press("t", *"nobody", "enter")  # unassigned under "mine": it leaves the list
        await settle(pilot)
        assert claim(tui_store, "d3").assignee is None and table.row_count == 0

        await pilot.press("m", "t", *"nosuchuser", "enter")
        await settle(pilot)
        assert errors(app) == ["to: no user 'nosuchuser' (add one with `verifier user add nosuchuser`)"]
        assert claim(tui_store, "d3").assignee is None
