"""``python -m tui`` is ``verifier tui``: one command line, its options those of
``verifier tui --help`` (the database and analyst from VERIFIER_DB and VERIFIER_ANALYST).

It runs the command rather than importing it: the TUI sits below the command line, and
the command line's lazy door into the TUI stays the only import between them."""

import os
import sys

os.execv(sys.executable, [sys.executable, "-m", "verifier", "tui", *sys.argv[1:]])
