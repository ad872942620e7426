"""Measures the ACLED type table against MUC-4 incident types (document level).

Run: ``.venv/bin/python training/measure_export_muc.py --limit 200``.

MUC-4 keys give each relevant document its incidents' types (attack, bombing, kidnapping, ...);
irrelevant documents have none. The ACLED export of the document's analysis is scored per document:
a bombing document should have an "Explosions/Remote violence" row, an attack document a "Battles"
or "Violence against civilians" row, an irrelevant one no row at all. Development part: the first
``--limit`` documents of muc4-train; held-out part: muc4-dev. Nothing was tuned on either. The text is
lower-cased (GRIT's processing), which handicaps NER but not the events stage's lexical triggers.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from storyline import get_nlp
from storyline.errors import Problem
from storyline.export.acled import EXPORTED_STATUSES, REMOTE, classify
from storyline.ingest.base import make_article
from storyline.pipeline import analyze_many

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "templates"
VIOLENCE = {"Battles", "Violence against civilians"}


def score(path: Path, limit: int) -> Counter[str]:
    records = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            records.append(json.loads(line))
            if len(records) >= limit:
                break
    gold = {
        str(r["id"]): {t for tpl in r["gold"]["templates"] for t in tpl["incident_type"].split(" / ")}
        for r in records
    }
    articles = [make_article(text=r["text"], id=str(r["id"])) for r in records]
    tally: Counter[str] = Counter()
    for result in analyze_many(get_nlp(), articles):
        if isinstance(result, Problem):
            tally["problems"] += 1
            continue
        types = gold[result.article.id]
        kinds = [classify(e) for e in result.events if e.status in EXPORTED_STATUSES]
        rows = {k.event_type for k in kinds if k is not None}
        tally["docs"] += 1
        for name, has_gold, has_row in (
            ("bombing", "bombing" in types, REMOTE in rows),
            ("attack", "attack" in types, bool(rows & VIOLENCE)),
            ("any", bool(types), bool(rows)),
        ):
            tally[f"{name}_gold"] += has_gold
            tally[f"{name}_exported"] += has_row
            tally[f"{name}_both"] += has_gold and has_row
        tally["kidnapping_gold"] += "kidnapping" in types
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    for name, path in (("dev", DATA / "muc4-train.jsonl"), ("heldout", DATA / "muc4-dev.jsonl")):
        tally = score(path, args.limit)
        print(name, json.dumps(dict(sorted(tally.items()))))
        for kind in ("bombing", "attack", "any"):
            p = tally[f"{kind}_both"] / max(1, tally[f"{kind}_exported"])
            r = tally[f"{kind}_both"] / max(1, tally[f"{kind}_gold"])
            print(f"  {kind}: P {p:.3f} R {r:.3f} F1 {2 * p * r / max(1e-9, p + r):.3f}")


if __name__ == "__main__":
    main()
