"""The demo's own file is named on the first screen (issue 10, item 1)."""

from __future__ import annotations

from tuihelpers import plain_of, settle


async def test_the_queue_names_the_demo_file(app, demo_db):
    app.sub_title = f"demo: {demo_db}"  # as `verifier demo` starts the app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert f"demo: {demo_db}" in plain_of(app.screen.query_one("#summary"))


async def test_no_file_named_outside_the_demo(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "demo:" not in plain_of(app.screen.query_one("#summary"))
