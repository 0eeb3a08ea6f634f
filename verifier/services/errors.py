"""The error every use case raises when it refuses (a bad value, a missing claim, a wrong
password, a reader's write), by the name callers above the services catch it (the TUI).
Its message is one an analyst can act on."""

from __future__ import annotations

from verifier.domain.errors import DomainError

__all__ = ["DomainError"]
