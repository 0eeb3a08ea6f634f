"""Fixtures for the TUI tests: a demo database in a temporary SQLite file, built with a
fixed clock (so audit times and snapshots do not depend on the day), and helpers to let
the app's workers finish."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from datetime import datetime

import pytest
from tuihelpers import errors

FIXED_NOW = datetime(2024, 1, 15, 9, 30, 0)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests (Pilot) in a fresh event loop; no async plugin needed."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


def _fixed_clock(monkeypatch):
    import verifier.domain.model as model
    import verifier.services.unit_of_work as unit_of_work

    monkeypatch.setattr(model, "utcnow", lambda: FIXED_NOW)
    monkeypatch.setattr(unit_of_work, "utcnow", lambda: FIXED_NOW)


@pytest.fixture(autouse=True)
def no_semantic(monkeypatch):
    """Screens look the same whichever extras are installed: the semantic extra (which adds
    paraphrases to "Similar claims") is switched off; its own tests live with the extra's."""
    monkeypatch.setenv("VERIFIER_SEMANTIC", "0")


@pytest.fixture(autouse=True)
def no_delays(monkeypatch):
    """The claim page waits a moment before its slow parts; tests need not."""
    import tui.screens.claim as claim

    monkeypatch.setattr(claim, "EXTRAS_DELAY", 0.0)


@pytest.fixture(autouse=True)
def no_polling(monkeypatch):
    """Apps do not poll for others' changes unless a test asks (tests/tui/test_team_app.py)."""
    from tui.app import VerifierApp

    monkeypatch.setattr(VerifierApp, "POLL_SECONDS", 0)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    from verifier import demo

    mp = pytest.MonkeyPatch()
    _fixed_clock(mp)
    mp.setenv("VERIFIER_SEMANTIC", "0")  # the demo's suggestions do not depend on the extras
    try:
        path = tmp_path_factory.mktemp("demo") / "demo.db"
        demo.build(str(path), "tester")
    finally:
        mp.undo()
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path, monkeypatch):
    """A private copy of the demo database; the clock stays fixed during the test."""
    path = tmp_path / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        src = demo_template.with_name(demo_template.name + suffix)
        if src.exists():
            shutil.copy(src, tmp_path / (path.name + suffix))
    _fixed_clock(monkeypatch)
    return path


@pytest.fixture
def tui_store(demo_db):
    from verifier import bootstrap

    store = bootstrap.connect(demo_db, "tester")
    yield store
    store.dispose()


SHOWN_PATH = "/home/analyst/.local/share/verifier/demo.db"  # the header's database path, the same in every run


@pytest.fixture
def app(tui_store, monkeypatch):
    from tui.app import VerifierApp

    monkeypatch.setattr(tui_store, "where", lambda: SHOWN_PATH)
    app = VerifierApp(tui_store)
    yield app
    if not getattr(app, "errors_expected", False):
        assert errors(app) == [], "the analyst saw an error"


@pytest.fixture
def big_counts_app(tmp_path, monkeypatch):
    """Sources whose track records run to four digits (6,912 resolved claims for one)."""
    from tuihelpers import import_records

    from tui.app import VerifierApp
    from verifier import bootstrap

    _fixed_clock(monkeypatch)
    store = bootstrap.connect(tmp_path / "counts.db", "tester")
    records = [{"kind": "source", "id": "prolific", "name": "A prolific speaker", "type": "individual"},
               {"kind": "source", "id": "steady", "name": "A steady outlet", "type": "outlet"},
               {"kind": "source", "id": "rare", "name": "A rare voice", "type": "individual"}]
    for source, verdicts in (("prolific", {"true": 1234, "false": 5678}), ("steady", {"mostly-true": 987, "false": 12}),
                             ("rare", {"true": 3})):
        for verdict, n in verdicts.items():
            for i in range(n):
                key = f"{source}-{verdict}-{i}"
                records.append({"kind": "claim", "id": key, "text": f"Statement {i} of {source}", "source": source})
                records.append({"kind": "resolution", "claim": key, "verdict": verdict, "at": "2020-01-01"})
    import_records(store, tmp_path, records)
    monkeypatch.setattr(store, "where", lambda: "/home/analyst/counts.db")
    app = VerifierApp(store)
    yield app
    store.dispose()
