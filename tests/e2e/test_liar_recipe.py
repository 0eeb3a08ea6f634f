"""The LIAR recipe of the manual (docs/importing.md) and bench/liar.py, run as a user runs it, on a small
generated file shaped like LIAR: no header, 14 tab-separated columns, statements that open a
quote and never close it, PolitiFact's six labels. (The real data is used by the bench only.)"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("liar_bench", ROOT / "bench" / "liar.py")
liar = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(liar)

LABELS = ["pants-fire", "false", "barely-true", "half-true", "mostly-true", "true"]
SPEAKERS = ["barack-obama", "donald-trump", "chain-email", "jane-roe", "scott-walker"]


def make_split(path: Path, rows: int, start: int, rng: random.Random, expected: dict) -> None:
    lines = []
    for i in range(start, start + rows):
        label, speaker = rng.choice(LABELS), rng.choice(SPEAKERS)
        opener = '"' if i % 3 == 0 else ""  # an unclosed quote, as in LIAR
        statement = f'{opener}Statement {i}: the figure was {rng.randint(1, 99)} percent, says "someone.'
        lines.append("\t".join([f"{i}.json", label, statement, "economy,taxes", speaker, "Job", "State", "party",
                                "0", "1", "0", "2", "0", "a speech"]))
        expected[speaker][liar.LABELS[label]] += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "VERIFIER_DB"}
    return subprocess.run([sys.executable, "-m", "verifier", "--db", str(db), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_liar_recipe_counts_every_speakers_verdicts_exactly(tmp_path):
    rng = random.Random(6)
    expected: dict[str, Counter] = defaultdict(Counter)
    files = []
    for n, (split, rows) in enumerate([("train", 60), ("valid", 15), ("test", 15)]):
        path = tmp_path / f"{split}.tsv"
        make_split(path, rows, 1000 * (n + 1), rng, expected)
        files.append(path)
    db = tmp_path / "liar.db"

    imported = run(db, *liar.import_args(files))
    assert imported.returncode == 0, imported.stderr
    counts = json.loads(imported.stdout)
    assert sum(c["claims"] for c in counts) == 90 and sum(c["resolutions"] for c in counts) == 90

    sources = json.loads(run(db, "sources", "--json").stdout)
    got = {s["id"]: s for s in sources}
    assert set(got) == set(expected)
    for speaker, want in expected.items():
        assert got[speaker]["verdicts"] == {v: want.get(v, 0) for v in liar.VERDICTS}, speaker
    scores = [s["score"] for s in sources]
    assert scores == sorted(scores, reverse=True)  # ranked by reliability

    shown = json.loads(run(db, "claim", "show", "1002.json", "--json").stdout)  # 1002: opens a quote
    assert shown["text"].startswith('"Statement 1002') and shown["tags"] == ["economy", "taxes"]

    again = run(db, *liar.import_args(files))
    assert again.returncode == 0 and not any(v for c in json.loads(again.stdout) for k, v in c.items() if k != "file")


def test_a_label_missing_from_the_verdict_map_stops_the_import_at_its_line(tmp_path):
    path = tmp_path / "train.tsv"
    path.write_text("1.json\ttrue\tFine.\teconomy\tjane-roe\t\t\t\t0\t0\t0\t0\t0\tx\n"
                    "2.json\tfull-flop\tFlipped.\teconomy\tjane-roe\t\t\t\t0\t0\t0\t0\t0\tx\n", encoding="utf-8")
    db = tmp_path / "liar.db"
    result = run(db, *liar.import_args([path]))
    assert result.returncode != 0
    assert f"{path}:2: verdict: unknown value 'full-flop'" in result.stderr
    assert not db.exists()  # nothing half-imported: a failed first import leaves no file
