"""Every triage action from the keyboard, each checked in the database (and its audit
event under the analyst's name), and undone with `u`."""

from __future__ import annotations

from tuihelpers import errors, palette_hits, plain_of, settle, wait_until

from tui.screens.claim import ClaimScreen
from tui.screens.duplicates import DuplicatesScreen
from tui.screens.forms import LinkForm, NoteForm, ResolveForm
from tui.widgets.paged_table import PagedTable
from verifier import views
from verifier.views.rows import Resolution

SIZE = (120, 40)


def claim(store, key):
    with store.uow(readonly=True) as uow:
        return views.claim_detail(uow.session, key)


def last_event(store):
    with store.uow(readonly=True) as uow:
        return views.audit_events(uow.session, limit=1)[-1]


def link_between(store, a, b, relation):
    for lk in claim(store, a).links:
        if lk.other == b and lk.relation == relation:
            return lk
    return None


async def select_row(pilot, key):
    table = pilot.app.screen.query_one(PagedTable)
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


async def test_resolve_from_the_queue_then_undo(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert table.current_key() == "d3"
        await pilot.press("r")
        assert isinstance(app.screen, ResolveForm)
        await pilot.press("5")  # false
        await pilot.press(*"State TV figure refuted", "enter")
        await pilot.press(*"https://example.org/x", "enter")
        await settle(pilot)
        c = claim(tui_store, "d3")
        assert c.status == "false"
        assert c.resolutions[-1] == Resolution(verdict="false", at=c.resolutions[-1].at, rationale="State TV figure refuted",
                                                evidence="https://example.org/x", analyst="tester")
        ev = last_event(tui_store)
        assert (ev.action, ev.key, ev.analyst) == ("resolve", "d3", "tester")
        # it left the queue; the cursor is on the next claim
        assert "d3" not in [k.value for k in table.rows]
        assert table.current_key() == "d2"

        await pilot.press("u")
        await settle(pilot)
        c = claim(tui_store, "d3")
        assert c.status == "unresolved" and c.resolutions == ()
        ev = last_event(tui_store)
        assert (ev.action, ev.key, ev.analyst) == ("unresolve", "d3", "tester")
        assert "d3" in [k.value for k in table.rows]


async def test_resolve_form_cancel_changes_nothing(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = last_event(tui_store)
        await pilot.press("r", "escape")
        await settle(pilot)
        assert claim(tui_store, "d3").status == "unresolved"
        assert last_event(tui_store) == before


async def test_link_from_the_queue_then_undo(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_row(pilot, "c14")
        assert link_between(tui_store, "c14", "c15", "corroborates") is None
        await pilot.press("l")
        assert isinstance(app.screen, LinkForm)
        await pilot.press("1", *"c15", "enter", *"same campaign", "enter")
        await settle(pilot)
        lk = link_between(tui_store, "c14", "c15", "corroborates")
        assert lk is not None and lk.state == "confirmed" and lk.origin == "analyst"
        assert lk.note == "same campaign" and lk.analyst == "tester"
        ev = last_event(tui_store)
        assert (ev.action, ev.analyst) == ("add", "tester") and ev.entity == "link"
        # the row shows the new support count
        assert app.screen.rows["c14"].support == claim(tui_store, "c14").support

        await pilot.press("u")
        await settle(pilot)
        # undo removes the link just made; the audit log keeps both
        assert link_between(tui_store, "c14", "c15", "corroborates") is None
        assert (last_event(tui_store).action, last_event(tui_store).entity) == ("remove", "link")


async def test_link_to_a_missing_claim_keeps_the_form_and_offers_matches(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_row(pilot, "c14")
        before = last_event(tui_store)
        await pilot.press("l", "1", *"barley", "enter", *"same fires", "enter")
        form = app.screen
        await wait_until(pilot, lambda: "No claim with id 'barley'" in plain_of(form.query_one("#target-error")),
                         "the form says the id is unknown")
        # the form is still open, with what was typed, and nothing was written
        assert isinstance(app.screen, LinkForm)
        assert form.query_one("#target").value == "barley" and form.query_one("#note").value == "same fires"
        assert form.focused is form.query_one("#target")
        assert last_event(tui_store) == before and errors(app) == []
        # the words found the claims they describe: pick one instead of typing its id
        matches = form.query_one("#candidates")
        await wait_until(pilot, lambda: matches.display and matches.option_count, "matches are listed")
        offered = [matches.get_option_at_index(i).id for i in range(matches.option_count)]
        assert "d4" in offered and "c14" not in offered
        await pilot.press("down")
        for _ in range(offered.index("d4")):
            await pilot.press("down")
        await pilot.press("enter")
        assert form.query_one("#target").value == "d4"
        await pilot.press("enter")  # in the note: save
        await settle(pilot)
        lk = link_between(tui_store, "c14", "d4", "corroborates")
        assert lk is not None and lk.note == "same fires" and lk.analyst == "tester"


async def test_accept_and_reject_duplicate_from_the_queue(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_row(pilot, "d2")
        with tui_store.uow(readonly=True) as uow:
            from tui import data

            top = data.pending_suggestions(uow, "d2")[0]
        await pilot.press("a")
        await settle(pilot)
        assert link_between(tui_store, "d2", top.other, top.relation).state == "confirmed"
        ev = last_event(tui_store)
        assert (ev.action, ev.analyst) == ("accept", "tester")
        await pilot.press("u")
        await settle(pilot)
        assert link_between(tui_store, "d2", top.other, top.relation).state == "suggested"

        await select_row(pilot, "d2")
        await pilot.press("x")
        await settle(pilot)
        assert link_between(tui_store, "d2", top.other, top.relation).state == "rejected"
        assert last_event(tui_store).action == "reject"


async def test_note_then_undo(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NoteForm)
        await pilot.press(*"call the monitor back", "enter")
        await settle(pilot)
        history = claim(tui_store, "d3").history
        assert history[-1].action == "note" and history[-1].after == {"note": "call the monitor back"}
        assert history[-1].analyst == "tester"
        await pilot.press("u")
        await settle(pilot)
        assert claim(tui_store, "d3").history[-1].action == "withdraw-note"


async def test_triage_on_the_claim_page(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_row(pilot, "c1")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen)
        # pick a suggested link in the table and reject it
        links = screen.query_one("#links")
        suggested = [k for k, lk in screen.links.items() if lk.state == "suggested"]
        assert suggested
        links.focus()
        links.move_cursor(row=links.get_row_index(suggested[0]))
        target = screen.links[suggested[0]]
        await pilot.press("x")
        await settle(pilot)
        assert link_between(tui_store, "c1", target.other, target.relation).state == "rejected"
        # the page shows it
        assert any(lk.other == target.other and lk.state == "rejected" for lk in screen.detail.links)
        # resolve from the page
        screen.query_one("#page").focus()
        await pilot.press("r", "1", *"confirmed by two monitors", "enter", "enter")
        await settle(pilot)
        assert claim(tui_store, "c1").status == "true"
        assert "true" in plain_of(screen.query_one("#resolutions"))
        # the queue underneath catches up when we go back
        await pilot.press("escape")
        await settle(pilot)
        assert "c1" not in [k.value for k in app.screen.query_one(PagedTable).rows]
        # undo reaches back: the resolution first
        await pilot.press("u")
        await settle(pilot)
        assert claim(tui_store, "c1").status == "unresolved"
        assert "c1" in [k.value for k in app.screen.query_one(PagedTable).rows]


async def test_duplicate_review_accept_reject_next_undo(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DuplicatesScreen)
        first, second = screen.items[0], screen.items[1]
        rel = lambda it: "contradicts" if it.kind == "conflict" else "duplicates"  # noqa: E731
        await pilot.press("a")
        await settle(pilot)
        assert link_between(tui_store, first.a, first.b, rel(first)).state == "confirmed"
        assert last_event(tui_store).action == "accept"
        # the next pair took its place
        assert (screen.current().a, screen.current().b) == (second.a, second.b)
        await pilot.press("x")
        await settle(pilot)
        assert link_between(tui_store, second.a, second.b, rel(second)).state == "rejected"
        third = screen.current()
        await pilot.press("n")
        assert screen.current() != third
        await pilot.press("u")
        await settle(pilot)
        assert link_between(tui_store, second.a, second.b, rel(second)).state == "suggested"
        await pilot.press("u")
        await settle(pilot)
        assert link_between(tui_store, first.a, first.b, rel(first)).state == "suggested"
        assert {(it.a, it.b) for it in screen.items} >= {(first.a, first.b), (second.a, second.b)}
        await pilot.press("u")
        await settle(pilot)
        assert any(n.message == "Nothing to undo" for n in app._notifications)


async def test_command_palette_offers_the_triage_actions(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(PagedTable).current_key() == "d3"
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: len(palette_hits(app)) > 5, "the palette lists its commands")
        offered = [hit.split("\n")[0] for hit in palette_hits(app)]
        for action in ("Resolve", "Link", "Note", "Accept", "Reject", "Assign"):
            assert f"{action} claim d3" in offered
        await pilot.press(*"resolve")
        await wait_until(pilot, lambda: palette_hits(app)[:1] and palette_hits(app)[0].startswith("Resolve claim d3"),
                         "Resolve claim d3 comes first")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResolveForm) and app.screen.claim == "d3"
        await pilot.press("2", *"seen on imagery", "enter", "enter")  # mostly-true
        await settle(pilot)
        assert claim(tui_store, "d3").status == "mostly-true"

        # on the duplicate review, accept or reject the pair shown
        await pilot.press("3")
        await settle(pilot)
        pair = app.screen.current()
        await pilot.press("ctrl+p", *"reject the pair")
        want = f"Reject the pair {pair.a} ~ {pair.b}"
        await wait_until(pilot, lambda: palette_hits(app)[:1] and palette_hits(app)[0].startswith(want), want)
        await pilot.press("enter")
        await settle(pilot)
        relation = "contradicts" if pair.kind == "conflict" else "duplicates"
        assert link_between(tui_store, pair.a, pair.b, relation).state == "rejected"
