"""The key that signs audit checkpoints: a file of the server's, apart from the database.

Someone who can rewrite the database (and so cut the newest events off the audit log and
leave a shorter chain that still verifies) cannot forge a checkpoint without this file.
Made on first use, readable by its owner only; ``VERIFIER_CHECKPOINT_KEY`` or ``--key``
names another path.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV = "VERIFIER_CHECKPOINT_KEY"


def default_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("verifier", appauthor=False)) / "checkpoint.key"


def key_path(given: str | os.PathLike | None = None) -> Path:
    if given:
        return Path(given).expanduser()
    env = os.environ.get(ENV)
    return Path(env).expanduser() if env else default_path()


class CheckpointKeyError(RuntimeError):
    """The checkpoint key cannot be read or made."""


def load(path: Path, *, create: bool) -> bytes:
    """The key in ``path`` (hex text); made there with mode 0600 when ``create`` and missing."""
    if not path.exists():
        if not create:
            raise CheckpointKeyError(f"no checkpoint key at {path}: checkpoints are checked with the key that signed them "
                            f"(give it with --key or {ENV})")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:  # made meanwhile by another process: use theirs
            return load(path, create=False)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CheckpointKeyError(f"{path}: not a checkpoint key ({exc.__class__.__name__})") from None
    if len(key) < 16:
        raise CheckpointKeyError(f"{path}: not a checkpoint key (too short)")
    return key
