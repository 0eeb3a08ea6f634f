"""The command-line reference (docs/cli-reference.md) is what every command's --help says: a
command or an option changed without regenerating the page fails here, so the manual cannot drift."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "docs" / "cli_reference.py")
cli_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cli_reference)


def test_the_committed_reference_is_what_help_says():
    committed = cli_reference.PAGE.read_text(encoding="utf-8")
    assert committed == cli_reference.render(), (
        f"docs/cli-reference.md is stale (a command or an option changed): run `{cli_reference.REGENERATE}` and commit it")


def test_every_command_has_its_section_with_its_options():
    from verifier.cli import cli

    page = cli_reference.render()
    root = click.Context(cli, info_name="verifier")
    paths = [path for path, _ in cli_reference.walk(cli, root)]
    assert {"verifier", "verifier claim add", "verifier proposals accept", "verifier audit verify"} <= set(paths)
    for path in paths:
        assert f"`{path}`\n\n```text\nUsage: {path} " in page
    # an option of a nested command is there, and the help is laid out at the fixed width
    assert "--verdict-map" in page and "--qualifier" in page
    assert max(len(line) for line in page.split("```text", 1)[1].splitlines()) <= cli_reference.WIDTH


def test_the_page_does_not_depend_on_the_terminal(tmp_path):
    """The check run as a contributor runs it, in a narrow and a wide terminal: both agree with the page."""
    for columns in ("40", "200"):
        env = {**os.environ, "COLUMNS": columns, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, str(ROOT / "docs" / "cli_reference.py")], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
