"""User settings for the TUI: the keymap (binding id -> keys), from a JSON file.

``VERIFIER_KEYMAP`` names the file; otherwise ``keymap.json`` in the user's config
directory (e.g. ~/.config/verifier/keymap.json) is used when it exists:
``{"triage.resolve": "R", "app.undo": "ctrl+z"}``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def keymap_path() -> Path:
    env = os.environ.get("VERIFIER_KEYMAP")
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("verifier", appauthor=False)) / "keymap.json"


def load_keymap() -> dict[str, str]:
    path = keymap_path()
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"cannot read the keymap {path}: {exc}") from None
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise SystemExit(f"the keymap {path} must be a JSON object of binding id -> keys")
    return raw
