"""The benches import verifier's names inside their functions (so that ``--help`` stays
fast): a refactor that moves a name breaks a bench only when someone runs it. This reads
every ``from verifier... import`` / ``from tui... import`` in ``bench/`` and checks the
names are still there (a moved ``normalise`` once broke ``similar_speed.py`` this way)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _imports():
    for path in sorted(BENCH.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("verifier", "tui"):
                for alias in node.names:
                    yield pytest.param(node.module, alias.name, id=f"{path.name}:{node.lineno}:{alias.name}")


@pytest.mark.parametrize(("module", "name"), list(_imports()))
def test_every_name_a_bench_imports_exists(module, name):
    found = importlib.import_module(module)
    if not hasattr(found, name):
        importlib.import_module(f"{module}.{name}")  # a submodule: raises if it is not there either
