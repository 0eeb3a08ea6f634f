"""`verifier serve` as a real process on a free localhost port, for the tests that attack
it (test_serve.py) and drive it from a browser (test_browser.py)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import SEED
from verifier.cli import cli

PASSWORD = "correct horse battery"
WAIT = 90  # seconds at most for something to happen (a bound, not a measured time)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(db, *args, env=None):
    result = CliRunner().invoke(cli, ["--db", str(db), "--analyst", "admin", *args], env=env)
    assert result.exit_code == 0, result.output
    return result


def wait_for(condition, what: str, bound: float = WAIT):
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.25)
    raise AssertionError(f"never saw {what}")


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (app processes; none before anyone signed in)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@contextlib.contextmanager
def serving(db, log_path: Path, *options: str):
    """Seed ``db``, add the user ana, start `verifier serve` with ``options``; yields
    (process, base URL). The server's environment names an analyst that must never appear."""
    run_cli(db, "import", str(SEED))
    run_cli(db, "user", "add", "ana", env={"VERIFIER_PASSWORD": PASSWORD})
    port = free_port()
    env = {**os.environ, "VERIFIER_ANALYST": "not-the-signed-in-user"}
    env.pop("VERIFIER_DB", None)
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "verifier", "--db", str(db), "serve", "--port", str(port),
                                 *options], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=log_path.parent)
        try:
            def listening():
                assert proc.poll() is None, log_path.read_text()
                with socket.socket() as s:
                    return s.connect_ex(("127.0.0.1", port)) == 0
            wait_for(listening, "the server listening")
            yield proc, f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
