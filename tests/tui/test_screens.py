"""Every screen, driven by keys as an analyst would, on the demo database."""

from __future__ import annotations

from tuihelpers import import_records, palette_hits, plain_of, settle, wait_until

from tui.screens.audit import SourceAuditScreen
from tui.screens.claim import ClaimScreen
from tui.screens.duplicates import DuplicatesScreen
from tui.screens.help import HelpScreen
from tui.screens.queue import QueueScreen
from tui.screens.search import SearchScreen
from tui.screens.sources import SourcesScreen
from tui.widgets.paged_table import PagedTable
from verifier import views

SIZE = (120, 40)


def column(table, key):
    return [table.get_cell(rk, key).plain for rk in table.rows]


async def test_queue_is_the_first_screen_in_need_order(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        table = screen.query_one(PagedTable)
        with tui_store.uow(readonly=True) as uow:
            expected = [c.id for c in views.claims(uow.session, unresolved=True, order="queue")]
        assert list(k.value for k in table.rows) == expected
        assert "22" in plain_of(screen.query_one("#summary"))
        # the contradicted claim on top carries its flag, and the preview shows it in full
        assert column(table, "flags")[0].startswith("✗")
        assert "About 3000 militants" in plain_of(screen.query_one("#preview"))
        await pilot.press("down")
        assert expected[1] in plain_of(screen.query_one("#preview"))


async def test_queue_pages_through_the_database(app, tui_store, tmp_path):
    records = [{"kind": "source", "id": "bulk", "name": "Bulk source"}]
    records += [{"kind": "claim", "id": f"b{i}", "text": f"Bulk claim number {i} about a convoy", "source": "bulk",
                 "published": "2019-01-01"} for i in range(450)]
    import_records(tui_store, tmp_path, records)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert table.row_count == 200  # one page, not everything
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 400
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 472  # 22 demo + 450: the last page
        assert table.exhausted


async def test_queue_counts_are_never_cut(app, tui_store, tmp_path):
    records = [{"kind": "source", "id": "hub-src", "name": "Hub"}, {"kind": "source", "id": "many", "name": "Many"},
               {"kind": "claim", "id": "hub", "text": "The bridge at the hub was destroyed", "source": "hub-src"}]
    for relation, n in (("corroborates", 1100), ("contradicts", 1050)):
        for i in range(n):
            records.append({"kind": "claim", "id": f"{relation}-{i}", "text": f"Report {i}", "source": "many"})
            records.append({"kind": "link", "from": f"{relation}-{i}", "to": "hub", "relation": relation})
    import_records(tui_store, tmp_path, records)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert table.current_key() == "hub"  # the most contradicted first
        widths = {c.key.value: c.width for c in table.columns.values()}
        assert column(table, "flags")[0] == "✗1050" and widths["flags"] >= len("✗1050")
        assert column(table, "rep")[0] == "1100" and widths["rep"] >= 4
        ids = column(table, "id")  # longer ids widen their column too, up to 14 (LIAR's "10540.json")
        assert widths["id"] == 14 and ids[:2] == ["hub", "d3"]
        assert ids[6] == "contradicts-1…"  # "contradicts-1049": past 14, cut and marked
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        widths = {c.key.value: c.width for c in table.columns.values()}
        assert column(table, "flags")[0] == "✗1050" and widths["flags"] >= len("✗1050")


async def test_queue_filter(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f", *"fires", "enter")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        texts = column(table, "text")
        assert texts and all("fires" in t.lower() for t in texts)
        await pilot.press("escape")
        await settle(pilot)
        assert table.row_count == 22


async def test_queue_filter_matches_source_and_relay_names(app, tui_store):
    with tui_store.uow(readonly=True) as uow:
        queue = views.claims(uow.session, unresolved=True, order="queue")
    via_alma = [c.id for c in queue if "alma" in c.via]
    by_alma = [c.id for c in queue if c.source == "alma"]
    assert len(via_alma) == 9 and len(by_alma) == 6  # none of them says "alma" in its text
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f", *"ALMA", "enter")  # the source's id, any case
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert [k.value for k in table.rows] == [c for c in [q.id for q in queue] if c in via_alma + by_alma]
        await pilot.press("escape", "f", *"Eyn Alfurat", "enter")  # a source's name
        await settle(pilot)
        assert sorted(k.value for k in table.rows) == ["c3", "c4", "c5"]


async def test_claim_detail(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # c1: SOHR via Alma
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen) and screen.key == "c1"
        assert "more than 6250 militants" in plain_of(screen.query_one("#text"))
        facts = plain_of(screen.query_one("#facts"))
        assert "Syrian Center for Human Rights" in facts and "alma" in facts
        links = screen.query_one("#links")
        kinds = column(links, "kind")
        assert "conflict" in kinds and "support" in kinds
        assert plain_of(screen.query_one("#independence")).startswith("Independently corroborated: yes")
        assert "import" in plain_of(screen.query_one("#history"))
        rows = [ln.split() for ln in plain_of(screen.query_one("#similar")).splitlines() if ln.strip()]
        plain = {r[1] for r in rows if r[1] != "≠"}
        contradictions = {r[2] for r in rows if r[1] == "≠"}
        assert "d1" in plain  # the same count, in other words
        assert contradictions == {"d3"}  # about 3000 against more than 6250
        # enter on a linked claim opens it; escape comes back
        screen.query_one("#links").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen) and app.screen.key != "c1"
        await pilot.press("escape")
        assert app.screen is screen
        # s: the source's audit
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SourceAuditScreen) and app.screen.key == "sohr"


async def test_claim_page_counts_contradictions_once(app):
    """d3 (state TV, about 3000) is contradicted by c1 and d2 (confirmed) and by d1 (a detector
    suggestion): the belief line and the independence section both count the 2 confirmed ones."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(PagedTable).current_key() == "d3"
        await pilot.press("enter")
        await settle(pilot)
        facts = plain_of(app.screen.query_one("#facts"))
        independence = plain_of(app.screen.query_one("#independence")).splitlines()[0]
        assert "contradicted by 2" in facts
        assert "2 contradicting" in independence and "1 suggested contradiction(s), not confirmed" in independence


async def test_sources_screen_sort_filter_sparklines(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SourcesScreen)
        table = screen.query_one(PagedTable)
        assert table.row_count == 11
        keys = [k.value for k in table.rows]
        scores = [screen.by_key[k].score for k in keys]
        assert scores == sorted(scores, reverse=True)
        # sparklines were computed for the visible rows: sohr has resolutions, so a trend
        assert screen.sparks.get("sohr")
        assert table.get_cell("sohr", "trend").plain.strip("·…")
        await pilot.press("o")  # sort by name
        await settle(pilot)
        names = column(table, "name")
        assert names == sorted(names, key=str.lower)
        await pilot.press("f", *"monitor", "enter")
        await settle(pilot)
        assert table.row_count == 3 and all("monitor" in n.lower() for n in column(table, "name"))
        await pilot.press("escape")
        await settle(pilot)
        assert table.row_count == 11


async def test_sources_counts_are_never_cut(big_counts_app):
    """LIAR showed Obama's 288 true / 163 false as "288/1": the count columns now fit the counts."""
    async with big_counts_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = big_counts_app.screen.query_one(PagedTable)
        for size in ((120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert column(table, "tf") == ["3/0", "987/12", "1234/5678"]  # by score
            assert column(table, "claims") == ["3", "999", "6912"]
            for key in ("tf", "claims"):
                width = next(c.width for c in table.columns.values() if c.key.value == key)
                assert width >= max(len(v) for v in column(table, key)), (size, key)
            name_w = next(c.width for c in table.columns.values() if c.key.value == "name")
            assert name_w >= 10 and sum(c.get_render_width(table) for c in table.columns.values()) <= size[0]


async def test_source_audit(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        table.move_cursor(row=table.get_row_index("state-tv"))
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SourceAuditScreen) and screen.key == "state-tv"
        assert "State TV" in plain_of(screen.query_one("#heading"))
        assert len(screen.query_one("#plot").points) == 3  # the prior, then after each resolution
        assert "resolved" in plain_of(screen.query_one("#moved"))
        assert screen.query_one("#steps").row_count == 2
        assert screen.query_one("#claims").row_count == 4
        # enter on a claim opens it
        screen.query_one("#claims").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)


async def test_duplicate_review_screen(app, tui_store):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DuplicatesScreen)
        with tui_store.uow(readonly=True) as uow:
            first = views.duplicate_queue(uow.session, limit=2)
        assert screen.current().a == first[0].a and screen.current().b == first[0].b
        assert "pair 1 of" in plain_of(screen.query_one("#pairinfo"))
        await pilot.press("n")
        assert screen.current().b == first[1].b
        assert "pair 2 of" in plain_of(screen.query_one("#pairinfo"))
        await pilot.press("p")
        assert screen.index == 0
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen) and app.screen.key == first[0].a


async def test_help_lists_keys_with_ids(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = plain_of(app.screen.query_one("#help Static"))
        for binding_id in ("triage.resolve", "triage.link", "triage.accept", "triage.reject", "triage.note",
                           "app.undo", "dups.accept", "sources.sort", "app.search"):
            assert binding_id in text
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


async def test_every_binding_has_an_id():
    from tui.app import VerifierApp
    from tui.registry import binding_groups

    for _title, bindings in binding_groups(VerifierApp.BINDINGS):
        for b in bindings:
            assert b.id, f"binding {b.key} -> {b.action} has no id"


async def test_keymap_remaps_a_key(tui_store):
    from tui.app import VerifierApp
    from tui.screens.forms import ResolveForm

    app = VerifierApp(tui_store, keymap={"triage.resolve": "R"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, ResolveForm)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ResolveForm)


async def test_keymap_naming_an_unknown_binding_is_reported(tui_store):
    from tui.app import VerifierApp

    app = VerifierApp(tui_store, keymap={"triage.resolv": "R", "app.undo": "ctrl+z"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1 and "'triage.resolv'" in warnings[0] and "app.undo" not in warnings[0]
    quiet = VerifierApp(tui_store, keymap={"app.undo": "ctrl+z"})
    async with quiet.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not [n for n in quiet._notifications if n.severity == "warning"]


def result_ids(screen) -> list[str]:
    ol = screen.query_one("#results")
    return [ol.get_option_at_index(i).id for i in range(ol.option_count)]


async def test_search_claims_and_sources(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        search = app.screen
        assert isinstance(search, SearchScreen)
        await pilot.press(*"orient")  # results come as you type
        await wait_until(pilot, lambda: search.ready, "the results of 'orient'")
        assert "source:orient" in result_ids(search)
        await pilot.press("escape")
        await pilot.press("slash", *"barley")
        search = app.screen
        await wait_until(pilot, lambda: search.ready, "the results of 'barley'")
        ids = result_ids(search)
        assert "claim:d4" in ids
        assert "claim:c1" not in ids  # militants in southern Syria: nothing to do with barley
        await pilot.press("down", "down", "enter")  # ↓ picks another result
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen) and "claim:" + app.screen.key == ids[2]


async def test_search_enter_opens_the_first_result_of_the_new_query(app):
    """Typing a new query and pressing Enter at once opens the new query's first result,
    never one of the results still shown for the previous query."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"barley")
        search = app.screen
        await wait_until(pilot, lambda: search.ready, "the results of 'barley'")
        assert result_ids(search)[1] == "claim:c8"
        await pilot.press(*["backspace"] * 6, *"militants")
        assert search.query_one("#results").disabled  # barley's results can no longer be opened
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
        with app.store.uow(readonly=True) as uow:
            from tui import data

            first = data.search(uow, "militants")["claims"][0]["id"]
        assert app.screen.key == first and "militants" in app.screen.detail.text


async def test_command_palette_switches_screens(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Sources")
        await wait_until(pilot, lambda: palette_hits(app)[:1] == ["Sources\ntrack records and reliability"],
                         "the palette offers Sources first")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SourcesScreen)
        await pilot.press("ctrl+p")
        await pilot.press(*"c13")
        await wait_until(pilot, lambda: palette_hits(app)[:1] == ["Open claim c13\nby its id"],
                         "the palette offers to open c13 first")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen) and app.screen.key == "c13"
