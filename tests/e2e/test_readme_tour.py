"""The README as a newcomer follows it: its tour's commands, read from the README itself, run one
after the other against a demo built by the tour's own `verifier demo --no-tui` in an empty
folder, and each answers as the README says. A README that drifts from the code fails here."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.cli import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")

# what a command of the tour must print (where there is something meaningful to check)
EXPECTED = {
    ("demo", "--no-tui"): ["demo database:", "Syrian Center for Human Rights"],
    ("claims", "--unresolved"): ["c1", "sohr", "more than 6250 militants"],
    ("claim", "show", "c1"): ["There are more than 6250 militants in southern Syria.",
                              "source: Syrian Center for Human Rights [sohr] via alma"],
    ("check", "d4"): ["d4: INDEPENDENTLY CORROBORATED", "d5 is counted once with d4 (shared parent)"],
    ("sources",): ["sohr", "Syrian Center for H", "state-tv"],  # 80 columns when piped: long names are cut
    ("source", "show", "sohr"): ["Syrian Center for Human Rights  [sohr]", "score after each resolution"],
    ("duplicates",): ["c1 ~ d1", "d4 ~ d5"],
}


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, re.S | re.M)


def tour_commands() -> list[list[str]]:
    """The tour's shell lines as argument lists (comments dropped)."""
    (block, *_) = blocks(section("A short tour"), "sh")
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def test_the_tour_runs_against_the_demo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the tour's relative demo.db lands in an empty folder
    for name in ("VERIFIER_DB", "VERIFIER_ANALYST"):
        monkeypatch.delenv(name, raising=False)
    runner, env, outputs = CliRunner(), {}, {}
    commands = tour_commands()
    assert len(commands) >= 5, "the README's tour should show a handful of commands"
    for argv in commands:
        if argv[0] == "export":
            name, _, value = argv[1].partition("=")
            env[name] = value
            continue
        assert argv[0] == "verifier", f"the tour runs verifier commands only: {shlex.join(argv)}"
        result = runner.invoke(cli, argv[1:], env=env, catch_exceptions=False)
        said = shlex.join(argv)
        assert result.exit_code == 0, f"`{said}` exited {result.exit_code}: {result.output}{result.stderr}"
        outputs[tuple(argv[1:])] = result.stdout
        for expected in EXPECTED.get(tuple(argv[1:]), []):
            assert expected in result.stdout, f"`{said}` no longer prints {expected!r}:\n{result.stdout}"
    assert next(iter(outputs)) == ("demo", "--no-tui"), "the tour starts by building the demo"
    assert (tmp_path / env.get("VERIFIER_DB", "demo.db")).exists(), "the demo is built where the tour says"
    # the seed's SOHR claim is in front of the reader, and `check c1` prints what the README shows
    assert ("check", "c1") in outputs, "the README shows what `verifier check c1` prints: keep it in the tour"
    (shown, *_) = blocks(section("A short tour"), "text")
    assert outputs[("check", "c1")].startswith(shown), (
        f"README.md shows `verifier check c1` beginning\n{shown}\nbut it prints\n{outputs[('check', 'c1')]}")


def test_the_test_command_is_the_one_ci_runs():
    """The quick start's second command runs the tests exactly as .ci/run does."""
    (demo, tests) = blocks(section("Quick start"), "sh")[:2]
    assert "pip install . && verifier demo" in demo
    assert tests.strip().endswith("pip install '.[test]' && python -m pytest -q")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "python -m pytest -q" in ci


def test_the_readme_fits_on_a_page_and_its_links_lead_somewhere():
    assert len(README.splitlines()) <= 150, "the README is the front page: the manual lives in docs/"
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README)
    local = [t for t in targets if "://" not in t]
    assert any(t.startswith("docs/") for t in local)
    for target in local:
        assert (ROOT / target).exists(), f"README.md links to {target}, which does not exist"


@pytest.mark.parametrize("page", ["index", "tour", "tui", "importing", "reports", "deciding", "team", "postgresql",
                                  "benchmarks", "cli-reference", "changelog", "contributing"])
def test_every_manual_page_is_in_the_nav(page):
    assert (ROOT / "docs" / f"{page}.md").exists()
    assert f": {page}.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
