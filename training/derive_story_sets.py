"""Write the derived stories sets: pairs of similar shootings from the Gun Violence Archive file.

Each topic holds two incidents of one state a few days apart (gold story = incident id), so text
similarity alone cannot separate them; see :func:`storyline.evaluate.stories.gva_pairs` for the
rules. ``dev`` is for choosing weights and thresholds, ``heldout`` only for reporting; ``eval-all``
derives the same records on the fly.

    .venv/bin/python training/derive_story_sets.py --shared ../shared --out build/stories
    .venv/bin/storyline eval stories build/stories/gva-pairs-heldout.jsonl --baseline tfidf
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from storyline.evaluate.stories import GVA_PAIRS, GVA_SOURCE, gva_pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("build/stories"))
    args = parser.parse_args()
    source = args.shared / "data" / GVA_SOURCE
    with source.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    for split in GVA_PAIRS:
        derived = gva_pairs(records, split)
        path = args.out / f"gva-pairs-{split}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for record in derived:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        stories = {record["gold"]["story"] for record in derived}
        print(f"{path}: {len(derived)} articles, {len(stories)} incidents")


if __name__ == "__main__":
    main()
