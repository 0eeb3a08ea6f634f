"""Snapshots of every screen on the demo data, at 120x40 and 80x24.

Deterministic: the demo database is built with a fixed clock, the terminal size is fixed,
nothing shows the time of day. Regenerate with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

import pytest
from tuihelpers import settle, wait_until

WIDE, NARROW = (120, 40), (80, 24)


def keys(*presses):
    async def run_before(pilot):
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot)

    return run_before


async def search_barley(pilot):
    await settle(pilot)
    await pilot.press("slash", *"barley")
    await wait_until(pilot, lambda: pilot.app.screen.ready, "the results of 'barley'")
    pilot.app.screen.query_one("#query").cursor_blink = False  # the cursor shown, whenever the picture is taken
    await settle(pilot)


SCREENS = {
    "queue": keys(),
    "sources": keys("2"),
    "claim": keys("down", "down", "enter"),
    "duplicates": keys("3"),
    "audit": keys("2", "down", "enter"),
    "help": keys("question_mark"),
    "search": search_barley,
    "resolve_form": keys("r", "5", *"refuted"),
    "link_form": keys("l", "2", *"c13"),
    "note_form": keys("n", *"call back"),
}


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(screen, size, app, snap_compare):
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
def test_sources_with_four_digit_counts(size, big_counts_app, snap_compare):
    """Counts show whole at any size: 6,912 claims, 1234/5678 true/false."""
    assert snap_compare(big_counts_app, terminal_size=size, run_before=keys("2"))
