"""The ingest review screen (Pilot): the report with its proposals highlighted, decisions by
key, each undoable with `u`; report text is data."""

from __future__ import annotations

from pathlib import Path

import pytest
from tuihelpers import plain_of, settle

from verifier.services import ingest

REPORTS = Path(__file__).resolve().parents[1] / "reports"


@pytest.fixture
def ingested(tui_store):
    out = ingest.ingest(tui_store.uow(), REPORTS / "golan-report-2020-06.txt", publisher="alma",
                        published="2020-06-20")
    return out


def _proposals(store, state=None):
    return ingest.listing(store.uow(readonly=True), state=state)


def _screen(app):
    from tui.screens.ingest import IngestScreen

    assert isinstance(app.screen, IngestScreen)
    return app.screen


async def _open(pilot):
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    return _screen(pilot.app)


async def test_the_report_is_shown_with_the_selected_proposal_beside_it(app, ingested):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        first = screen.current()
        assert first["id"] == ingested["ids"][0]
        side = plain_of(screen.query_one("#proposal"), 60)
        assert "alma" in side and "own voice" in side
        paragraph = screen.query_one("#para-0")
        text = paragraph.content
        selected = [s for s in text.spans if "reverse" in str(s.style)]
        assert selected and text.plain[selected[0].start:selected[0].end] == first["text"]
        for _ in range(3):
            await pilot.press("n")
        await settle(pilot)
        item = screen.current()
        side = plain_of(screen.query_one("#proposal"), 80)
        assert item["source"] in side and "based on reports from" not in item["text"]


async def test_accept_and_undo(app, ingested, tui_store):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        while "1200 fighters" not in screen.current()["text"]:
            await pilot.press("n")
        pid = screen.current()["id"]
        await pilot.press("a")
        await settle(pilot)
        accepted = {p["id"]: p for p in _proposals(tui_store, "accepted")}
        assert pid in accepted and accepted[pid]["claim"]
        ids = [it["id"] for it in screen.items]
        assert screen.current()["id"] == ids[ids.index(pid) + 1] and screen.current()["state"] == "proposed"
        claim = accepted[pid]["claim"]
        await pilot.press("u")
        await settle(pilot)
        assert _proposals(tui_store, "accepted") == []
        with tui_store.uow(readonly=True) as uow:
            assert uow.claims.get(claim) is None


async def test_reject_split_merge_and_edit_by_key(app, ingested, tui_store):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        first = screen.current()["id"]
        await pilot.press("x")
        await settle(pilot)
        assert [p["id"] for p in _proposals(tui_store, "rejected")] == [first]
        assert screen.current()["id"] != first  # on to the next one
        await pilot.press("u")
        await settle(pilot)
        assert _proposals(tui_store, "rejected") == []
        await pilot.press("p")
        while "recruitment office" not in screen.current()["text"]:
            await pilot.press("n")
        pid = screen.current()["id"]
        before = len(_proposals(tui_store, "proposed"))
        await pilot.press("m")
        await settle(pilot)
        merged = next(p for p in _proposals(tui_store) if p["id"] == pid)
        assert "monthly salary" in merged["text"] and len(_proposals(tui_store, "proposed")) == before - 1
        await pilot.press("s")
        await settle(pilot)
        assert len(_proposals(tui_store, "proposed")) == before
        await pilot.press("e")
        await settle(pilot)
        source = pilot.app.screen.query_one("#source")
        source.value = "Syrian Centre for Human Rights"  # sohr spelt otherwise (the Observatory is another source)
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = next(p for p in _proposals(tui_store) if p["id"] == pid)
        assert edited["source"] == "sohr"
        await pilot.press("u")
        await settle(pilot)
        assert next(p for p in _proposals(tui_store) if p["id"] == pid)["source"] != "sohr"


async def test_report_text_is_data(app, tui_store, tmp_path):
    path = tmp_path / "hostile.md"
    path.write_text("Reuters reported that [bold]prices[/bold] \x1b[31mrose[@click=app.quit] by 5 percent.\n")
    ingest.ingest(tui_store.uow(), path, publisher="alma")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        shown = plain_of(screen.query_one("#para-0"))
        assert "[bold]prices[/bold]" in shown and "\\x1b[31mrose[@click=app.quit]" in shown
        await pilot.click("#para-0")
        await settle(pilot)
        assert pilot.app.is_running


async def test_reachable_from_the_palette(app, ingested):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        for ch in "ingested reports":
            await pilot.press(ch if ch != " " else "space")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        _screen(pilot.app)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_ingest_review_snapshot(size, app, ingested, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        for key in ("n", "n", "n"):
            await pilot.press(key)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_a_refused_acceptance_is_told_and_changes_nothing(app, tui_store):
    ingest.ingest(tui_store.uow(), REPORTS / "golan-report-2020-06.txt")  # no publisher: the own voice has no source
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert screen.current()["source"] is None
        app.errors_expected = True
        await pilot.press("a")
        await settle(pilot)
        from tuihelpers import errors

        assert any("names no source" in e for e in errors(app))
        assert _proposals(tui_store, "accepted") == [] and screen.current()["state"] == "proposed"


async def test_an_arabic_report_reads_in_logical_order_with_its_denial_marked(app, tui_store):
    """Right-to-left text is laid out in its logical order (the terminal's bidi shows it), never
    reversed; the denial's row says it is one, and its highlight covers the words as written."""
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "arabic-field-report-2020-05.txt"
    out = ingest.ingest(tui_store.uow(), fixture, publisher="alma", published="2020-05-18")
    body = fixture.read_text(encoding="utf-8")
    denial = next(p for p in _proposals(tui_store) if p["denial"])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        for _ in range(out["ids"].index(denial["id"])):
            await pilot.press("n")
        await settle(pilot)
        side = plain_of(screen.query_one("#proposal"), 30)
        assert "denial" in side and "سانا" in side and "الوكالة" in side
        shown = [p for p in screen.query(".para") if "نفت" in p.content.plain]
        (paragraph,) = shown
        text = paragraph.content
        assert text.plain in body  # the paragraph as written, in logical order
        selected = [s for s in text.spans if "reverse" in str(s.style)]
        assert text.plain[selected[0].start:selected[-1].end] == body[denial["start"]:denial["end"]]


async def test_the_edit_form_takes_what_the_command_line_takes(app, tui_store, ingested):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        pid = screen.current()["id"]
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        for key, value in (("via", "Deir Now; alma"), ("location", "Dayr az-Zawr"), ("value", "40-60"),
                           ("qualifier", "between"), ("event_date", "2020-06-03")):
            form.query_one(f"#{key}").value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = next(p for p in _proposals(tui_store) if p["id"] == pid)
        assert edited["via"][0] == "Deir Now"  # the publisher stays last (unless it is the source itself)
        assert (edited["location"], edited["value"], edited["qualifier"], edited["event_date"]) == \
            ("Dayr az-Zawr", [40, 60], "between", "2020-06-03")


async def test_the_last_decision_says_the_report_is_done(app, tui_store, ingested):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        for _ in range(len(_proposals(tui_store, "proposed"))):
            await pilot.press("x")
            await settle(pilot)
        assert not _proposals(tui_store, "proposed")
        assert "report done" in plain_of(screen.query_one("#reportinfo"))
        assert any("Report done: all" in str(n.message) for n in pilot.app._notifications)
