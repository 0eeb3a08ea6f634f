"""``python -m tui`` is ``verifier tui``: one command line, the same options and the same
refusals (a mistyped database is never created)."""

from __future__ import annotations

import os
import subprocess
import sys


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_python_m_tui_is_verifier_tui():
    shown = _run("--help")
    assert shown.returncode == 0 and shown.stdout.startswith("Usage: verifier tui")


def test_python_m_tui_refuses_a_missing_database_without_creating_it(tmp_path):
    missing = tmp_path / "typo.db"
    result = _run(env={"VERIFIER_DB": str(missing)})
    assert result.returncode == 1
    assert result.stderr.strip() == f"verifier: no database at {missing}: check the path, or create one with `verifier init`"
    assert not missing.exists()

