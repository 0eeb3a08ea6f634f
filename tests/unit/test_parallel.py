"""Splitting a loop over two processes: the same answer as one process, whatever happens."""

from __future__ import annotations

import os

import pytest

from verifier.services import parallel

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _squares_and_pid(part):
    return [(x, x * x, os.getpid()) for x in part]


@needs_fork
def test_big_work_is_shared_with_a_child_and_comes_back_whole_and_in_order():
    items = list(range(50_000))
    halves = parallel.in_two(_squares_and_pid, items)
    assert len(halves) == 2
    flat = [row for half in halves for row in half]
    assert [(x, sq) for x, sq, _ in flat] == [(x, x * x) for x in items]
    assert {pid for _, _, pid in halves[0]} == {os.getpid()}
    assert {pid for _, _, pid in halves[1]} != {os.getpid()}  # computed by the child


def test_small_work_stays_in_this_process():
    assert parallel.in_two(_squares_and_pid, [1, 2, 3]) == [[(1, 1, os.getpid()), (2, 4, os.getpid()), (3, 9, os.getpid())]]


@needs_fork
def test_a_child_that_fails_is_replaced_by_doing_its_half_here():
    parent = os.getpid()

    def fails_in_the_child(part):
        if os.getpid() != parent:
            raise RuntimeError("the child dies")
        return [x + 1 for x in part]

    halves = parallel.in_two(fails_in_the_child, list(range(30_000)))
    assert [x for half in halves for x in half] == list(range(1, 30_001))


@needs_fork
def test_an_error_here_is_raised_and_leaves_no_child_behind(monkeypatch):
    parent, children = os.getpid(), []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)

    def fails_here(part):
        if os.getpid() == parent:
            raise ValueError("bad input")
        return list(part)

    with pytest.raises(ValueError, match="bad input"):
        parallel.in_two(fails_here, list(range(30_000)))
    assert len(children) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # killed and reaped, not left running


_ORPHAN_SCRIPT = """
import os, sys, time
from verifier.services import parallel
if sys.argv[2] == "watcher-only":  # as on a system without prctl: the parent-pid check alone
    parallel.sys = type("platform", (), {"platform": "darwin"})
PARENT = os.getpid()
def slow(part):
    if os.getpid() != PARENT:
        with open(sys.argv[1], "w") as fh:
            fh.write(str(os.getpid()))
    time.sleep(120)
    return list(part)
parallel.in_two(slow, list(range(30_000)))
"""


@needs_fork
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc to watch processes")
@pytest.mark.parametrize("way", ["prctl", "watcher-only"])
def test_the_child_dies_when_its_parent_is_killed(tmp_path, way):
    import signal
    import subprocess
    import sys
    import time

    from tests.robustness import crashkit

    pid_file = tmp_path / "child.pid"
    proc = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT, str(pid_file), way], env=crashkit.child_env())
    try:
        assert crashkit.wait_for(lambda: pid_file.exists() and pid_file.read_text(), 60), "no child was forked"
        child = int(pid_file.read_text())
        assert crashkit.running(child)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert crashkit.wait_for(lambda: not crashkit.running(child), 10), f"the child {child} outlived its parent ({way})"
    finally:
        if proc.poll() is None:
            proc.kill()
        if pid_file.exists() and pid_file.read_text() and crashkit.running(int(pid_file.read_text())):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)
            time.sleep(0.1)
