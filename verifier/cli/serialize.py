"""JSON out of the command line, through the read side's one cattrs converter
(``verifier.views.convert``): every command prints its data the same way."""

from __future__ import annotations

from verifier.views.convert import dumps, lines, plain

__all__ = ["dumps", "lines", "plain"]
