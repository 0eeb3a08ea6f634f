"""Splitting one command's CPU-bound loop over two processes.

verifier's heaviest loop (scoring the candidate pairs of a big import) is pure Python, so
a thread would only wait for the GIL. On POSIX the work is cut in two and a forked child
does the second half: it inherits the inputs (nothing is pickled on the way in), touches
no file and no database, and sends its result back through a pipe. Where fork is missing,
when the work is small, or when the child fails, all of it runs here.

The child dies with its parent: a SIGKILLed import must not leave it running (holding a
copy of the import's memory and the deleted WAL files) while the analyst re-runs it. On
Linux the kernel sends it SIGKILL when the parent goes (``prctl(PR_SET_PDEATHSIG)``: when
the thread that forked it ends, which waits for the child);
everywhere, a watcher thread in the child checks every WATCH_SECONDS that its parent is
still the process that forked it, and leaves at once when not.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 20_000  # below this a fork costs more than it saves
WATCH_SECONDS = 0.5  # how often a child checks that its parent is alive (where prctl is missing)
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """In a forked child: end this process when ``parent`` (the pid that forked it) ends."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher below still covers it
    if os.getppid() != parent:  # the parent ended before prctl took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="verifier-parent-watch", daemon=True).start()


def in_two(fn: Callable[[Sequence[T]], R], items: Sequence[T], *, min_items: int = MIN_ITEMS) -> list[R]:
    """``[fn(items)]``, or ``[fn(first half), fn(second half)]`` with the second half
    computed by a forked child at the same time. ``fn`` must be a pure function whose
    result pickles."""
    if len(items) < min_items or not hasattr(os, "fork") or os.environ.get("VERIFIER_NO_FORK"):
        return [fn(items)]
    half = len(items) // 2
    first, second = items[:half], items[half:]
    read_end, write_end = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return [fn(items)]
    if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup
        status = 1
        try:
            die_with_parent(parent)
            os.close(read_end)
            data = pickle.dumps(fn(second), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        mine = fn(first)
        with os.fdopen(read_end, "rb") as inp:
            data = inp.read()
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    theirs = pickle.loads(data) if status == 0 and data else fn(second)
    return [mine, theirs]
