"""Text is data: markup, terminal escapes and bidi overrides in claims and source names are
shown literally (escapes made visible) and do nothing."""

from __future__ import annotations

from tuihelpers import plain_of, settle, wait_until

from tui.screens.audit import SourceAuditScreen
from tui.screens.claim import ClaimScreen
from tui.screens.search import SearchScreen
from tui.screens.sources import SourcesScreen
from tui.text import safe
from tui.widgets.diff import mark_differences
from tui.widgets.paged_table import PagedTable
from verifier.services import commands

SIZE = (120, 40)
HOSTILE = "[bold]loud[/bold] [@click=app.quit]click me[/] \x1b[31mred\x1b[0m \u202egnp.exe\u202c [link=file:///etc/passwd]x[/link]"
NAME = "[@click=app.quit]Evil[/] \x1b[2J outlet \u2066iso\u2069"


def assert_literal(plain: str) -> None:
    assert "[bold]loud[/bold]" in plain
    assert "[@click=app.quit]click me[/]" in plain
    assert "\\x1b[31mred\\x1b[0m" in plain
    assert "<U+202E>gnp.exe<U+202C>" in plain
    assert "\x1b" not in plain and "\u202e" not in plain


def test_safe_escapes_controls_and_bidi():
    t = safe(HOSTILE)
    assert_literal(t.plain)
    assert t.spans  # the escapes are styled so they stand out
    a, b = mark_differences(HOSTILE, HOSTILE.replace("loud", "quiet"))
    assert "[@click=app.quit]" in a.plain and "\x1b" not in a.plain + b.plain


async def test_hostile_claim_and_source_everywhere(app, tui_store):
    commands.add_source(tui_store.uow(), "evil", NAME, affiliation="[red]state[/red]")
    commands.add_claim(tui_store.uow(), HOSTILE, "evil", key="x-hostile")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert "x-hostile" in [k.value for k in table.rows]
        table.move_cursor(row=table.get_row_index("x-hostile"))
        await pilot.pause()
        row_text = table.get_cell("x-hostile", "text").plain
        assert row_text.startswith("[bold]loud[/bold] [@click=app.quit]")
        assert table.get_cell("x-hostile", "source").plain.startswith("[@click=app.quit]Evil")
        assert_literal(plain_of(app.screen.query_one("#preview")))

        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen)
        assert_literal(plain_of(screen.query_one("#text")))
        facts = plain_of(screen.query_one("#facts"))
        assert "[@click=app.quit]Evil[/] \\x1b[2J outlet <U+2066>iso<U+2069>" in facts
        # clicking the text does nothing (no action hides in it)
        await pilot.click("#text")
        await pilot.click("#facts")
        await settle(pilot)
        assert app.is_running and app.screen is screen

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SourceAuditScreen)
        assert "[@click=app.quit]Evil[/]" in plain_of(app.screen.query_one("#heading"))
        assert "[red]state[/red]" in plain_of(app.screen.query_one("#facts"))
        await pilot.click("#heading")
        await settle(pilot)
        assert app.is_running

        await pilot.press("escape", "escape", "2")
        await settle(pilot)
        assert isinstance(app.screen, SourcesScreen)
        names = [app.screen.query_one(PagedTable).get_cell(k, "name").plain for k in app.screen.query_one(PagedTable).rows]
        assert any(n.startswith("[@click=app.quit]Evil[/] \\x1b[2J") for n in names)

        await pilot.press("slash", *"click me")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.ready, "search results")
        ol = app.screen.query_one("#results")
        prompts = [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]
        assert any("[@click=app.quit]click me[/]" in p for p in prompts)
        await pilot.press("escape")
        assert app.is_running
