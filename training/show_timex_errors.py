"""Print the errors that training/score_timex_dev.py wrote (--errors), grouped by kind, with context.

Usage: .venv/bin/python training/show_timex_errors.py ERRORS.jsonl DATA.jsonl [KIND ...]
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path


def main() -> None:
    with Path(sys.argv[1]).open(encoding="utf-8") as f:
        errors = [json.loads(line) for line in f]
    with Path(sys.argv[2]).open(encoding="utf-8") as f:
        docs = {d["id"]: d for d in map(json.loads, f)}
    kinds = set(sys.argv[3:])
    print(collections.Counter(e["kind"] for e in errors).most_common())
    for e in sorted(errors, key=lambda e: e["kind"]):
        if kinds and e["kind"] not in kinds:
            continue
        item = e["gold"] or e["pred"]
        text = docs[e["doc"]]["text"]
        dct = docs[e["doc"]]["published"]
        ctx = text[max(0, item["start"] - 60) : item["end"] + 40].replace("\n", " ")
        g = e["gold"] or {}
        p = e["pred"] or {}
        print(
            f"{e['kind']:14} {dct[:10]} G[{g.get('text', '')}|{g.get('type', '')}|{g.get('value', '')}] "
            f"P[{p.get('text', '')}|{p.get('type', '')}|{p.get('value', '')}]  ...{ctx}"
        )


if __name__ == "__main__":
    main()
