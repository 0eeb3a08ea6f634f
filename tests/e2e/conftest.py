"""The command line as a user runs it, on a store holding the seed and the scenario."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.conftest import SCENARIO, SEED
from verifier.cli import cli


@pytest.fixture
def run(db_url):
    runner = CliRunner()

    def invoke(*args, ok=True):
        result = runner.invoke(cli, ["--db", db_url, "--analyst", "ana", *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + (result.stderr or "")
        return result

    invoke("import", str(SEED), str(SCENARIO))
    return invoke


def as_json(result):
    return json.loads(result.stdout)
