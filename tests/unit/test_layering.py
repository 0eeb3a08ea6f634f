"""The layering of STYLE.md: the core never imports the TUI or Textual; the domain never
imports SQLAlchemy. Checked with import-linter's contracts in pyproject.toml, and by a
plain AST scan so the rule holds even where import-linter is not installed."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imports_of(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno))
    return out


def offenders(package: str, forbidden: tuple[str, ...], allowed: set[tuple[str, str]] = frozenset()) -> list[str]:
    bad = []
    for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        for name, line in imports_of(path):
            if name.split(".")[0] in forbidden or name in forbidden or any(name.startswith(f + ".") for f in forbidden):
                if (rel, name) not in allowed:
                    bad.append(f"{rel}:{line} imports {name}")
    return bad


def test_core_never_imports_the_tui_except_the_cli_door():
    door = {("verifier/cli/admin.py", "tui.app")}
    assert offenders("verifier", ("tui", "textual"), door) == []


def test_domain_never_imports_sqlalchemy_or_outer_layers():
    assert offenders("verifier.domain", ("sqlalchemy", "alembic", "verifier.adapters", "verifier.services",
                                         "verifier.cli", "verifier.views", "verifier.bootstrap")) == []


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(exe).exists():
        pytest.skip("import-linter not installed")
    result = subprocess.run([exe, "--no-cache", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
