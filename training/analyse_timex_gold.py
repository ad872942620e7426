"""Explore the TimeML/TempEval-3 conventions of the timex gold: what spans include, what values look like.

Usage: .venv/bin/python training/analyse_timex_gold.py [FILE] [REGEX]
Without REGEX, prints summary tables (first/last words of spans, the word before each span, values by text).
With REGEX, prints every gold timex whose text matches (case-insensitive), with DCT, value and context.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "timex"


def load(name: str) -> list[dict[str, object]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "timebank.jsonl"
    docs = load(name)
    if len(sys.argv) > 2:
        pattern = re.compile(sys.argv[2], re.I)
        for d in docs:
            text = str(d["text"])
            for t in d["gold"]["timexes"]:  # type: ignore[index]
                if pattern.search(t["text"]):
                    left = text[max(0, t["start"] - 50) : t["start"]].replace("\n", " ")
                    right = text[t["end"] : t["end"] + 40].replace("\n", " ")
                    print(
                        f"{d['published']!s:19} {t['type']:8} {t['value']:22} {left:>50}[{t['text']}]{right}"
                    )
        return
    first: collections.Counter[str] = collections.Counter()
    before: collections.Counter[str] = collections.Counter()
    for d in docs:
        text = str(d["text"])
        for t in d["gold"]["timexes"]:  # type: ignore[index]
            words = t["text"].lower().split()
            first[words[0]] += 1
            prev = text[: t["start"]].split()
            before[prev[-1].lower() if prev else ""] += 1
    print("first word of span:", first.most_common(40))
    print("word before span:", before.most_common(60))


if __name__ == "__main__":
    main()
