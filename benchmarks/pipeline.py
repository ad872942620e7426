"""Pipeline throughput against spaCy alone, per-stage cost and peak RSS (see storyline.bench)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console

from storyline.bench import print_report, run_bench

ROOT = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--corpus", type=Path, default=ROOT.parent.parent / "shared/data/corpus/wikinews-2019-2020.jsonl"
    )
    parser.add_argument("--n", type=int, default=293)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "pipeline.json")
    args = parser.parse_args()
    report = run_bench(args.corpus, n=args.n)
    print_report(Console(), report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
