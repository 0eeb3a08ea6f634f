"""Helpers for the TUI tests (imported by the test modules; fixtures live in conftest.py)."""

from __future__ import annotations

import json

from textual.worker import WorkerCancelled


async def settle(pilot, rounds: int = 40) -> None:
    """Let every worker finish and every posted message be handled."""
    app = pilot.app
    quiet = 0
    for _ in range(rounds):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # a worker of a screen that went meanwhile (signing in removes its screen)
            pass
        await pilot.pause()
        busy = any(w.is_running for w in app.workers) or getattr(app, "_slow_busy", False)
        quiet = 0 if busy else quiet + 1
        if quiet >= 2:
            break
    await pilot.pause()


def errors(app) -> list[str]:
    """The error notifications the analyst would have seen."""
    return [n.message for n in app._notifications if n.severity == "error"]


def read(store, fn, *args, **kw):
    with store.uow(readonly=True) as uow:
        return fn(uow.session, *args, **kw)


def write_jsonl(path, records) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")


def import_records(store, tmp_path, records, name="extra.jsonl", detect=False):
    from verifier.services import importing

    path = tmp_path / name
    write_jsonl(path, records)
    uow = store.uow()
    with uow:
        importing.import_file(uow, path, detect=detect)
        uow.commit()


def plain_of(widget, width: int = 400) -> str:
    """What a Static shows, as plain text (whatever renderable it holds)."""
    from rich.console import Console

    renderable = widget.content if hasattr(widget, "content") else widget.render()
    if hasattr(renderable, "plain"):
        return renderable.plain
    console = Console(width=width, record=True, file=open("/dev/null", "w"), color_system=None)
    console.print(renderable)
    return console.export_text()


async def wait_until(pilot, condition, what: str, polls: int = 1000) -> None:
    """Let the app run until ``condition()`` holds: a condition, not a guessed delay."""
    for _ in range(polls):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


def palette_hits(app) -> list[str]:
    """The command palette's hits, best first, as plain text (empty while it is gathering)."""
    from textual.command import CommandList, CommandPalette

    screen = app.screen
    if not isinstance(screen, CommandPalette) or screen.workers:  # still gathering
        return []
    options = screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
