"""Choose the story clustering's weights and threshold on development data, and measure the result.

Two steps, so the slow one runs once:

    # analyse the sets once (the full pipeline; cached as JSON lines of Analysis + gold story)
    .venv/bin/python training/tune_story_clusters.py analyse build/stories/gva-pairs-dev.jsonl ...
    # score settings on the cached analyses (fast)
    .venv/bin/python training/tune_story_clusters.py score build/stories/cache/*.jsonl

The development part is the ``dev`` half of the derived GVA pairs and the even-hash half of the
newscluster stories (by sha256 of the story id); the other halves, and the Wikinews sample, are only
reported. The gold story of a sample article is ``meta.story``, else the article is its own story.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storyline.evaluate.stories import adjusted_rand_index, bcubed
from storyline.model import Analysis, dump

CACHE = Path("build/stories/cache")


def analyse(paths: Sequence[Path], out: Path, limit: int | None) -> None:
    from storyline.errors import Problem
    from storyline.ingest import Record, read_records
    from storyline.pipeline import analyze_many, load

    nlp = load()
    out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        records = [item for item in read_records(path) if isinstance(item, Record)][:limit]
        started = time.perf_counter()
        target = out / f"{path.stem}.jsonl"
        with target.open("w", encoding="utf-8") as handle:
            results = analyze_many(nlp, (record.article for record in records), batch_size=16)
            for record, result in zip(records, results, strict=True):
                analysis = Analysis(article=record.article) if isinstance(result, Problem) else result
                story = record.gold.get("story") or record.meta.get("story") or f"single:{record.article.id}"
                row = {"story": story, "meta": record.meta, "analysis": dump(analysis)}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        took = time.perf_counter() - started
        print(f"{target}: {len(records)} articles in {took:.0f} s", flush=True)


def load_cache(path: Path) -> list[tuple[str, dict[str, Any], Analysis]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line)
            rows.append((data["story"], data["meta"], Analysis.model_validate(data["analysis"])))
    return rows


def half(story: str) -> str:
    """dev or heldout for a newscluster story, by the parity of the sha256 of its id."""
    return "dev" if int(hashlib.sha256(story.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


def labels_of(rows: Sequence[tuple[str, dict[str, Any], Analysis]], **settings: Any) -> dict[str, str]:
    from storyline.stories.clustering import Settings, cluster

    return cluster([analysis for _, _, analysis in rows], settings=Settings(**settings))


def measure(rows: Sequence[tuple[str, dict[str, Any], Analysis]], **settings: Any) -> dict[str, float]:
    from storyline.stories.clustering import Settings, cluster

    analyses = [analysis for _, _, analysis in rows]
    labels = cluster(analyses, settings=Settings(**settings))
    pred = [labels[analysis.article.id] for analysis in analyses]
    gold = [story for story, _, _ in rows]
    p, r, f = bcubed(gold, pred)
    return {"p": p, "r": r, "f1": f, "ari": adjusted_rand_index(gold, pred), "clusters": len(set(pred))}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyse")
    a.add_argument("files", nargs="+", type=Path)
    a.add_argument("--out", type=Path, default=CACHE)
    a.add_argument("--limit", type=int)
    s = sub.add_parser("score")
    s.add_argument("files", nargs="+", type=Path)
    s.add_argument("--grid", type=int, default=0, help="Random settings to try on the dev sets.")
    s.add_argument("--set", action="append", default=[], help="A setting, name=value (repeatable).")
    s.add_argument("--orders", type=int, default=0)
    args = parser.parse_args()
    if args.command == "analyse":
        analyse(args.files, args.out, args.limit)
        return
    sets: dict[str, list[tuple[str, dict[str, Any], Analysis]]] = {}
    for path in args.files:
        rows = load_cache(path)
        if "newscluster" in path.stem:
            for part in ("dev", "heldout"):
                sets[f"{path.stem}:{part}"] = [row for row in rows if half(row[0]) == part]
        sets[path.stem] = rows
    chosen: dict[str, Any] = {
        k: int(v) if v.isdigit() else float(v) for k, v in (item.split("=", 1) for item in args.set)
    }
    for name, rows in sets.items():
        started = time.perf_counter()
        result = measure(rows, **chosen)
        took = (time.perf_counter() - started) / max(1, len(rows)) * 1000
        print(name, len(rows), {k: round(v, 4) for k, v in result.items()}, f"{took:.1f} ms/article")
        reference = labels_of(rows, **chosen)
        for seed in range(args.orders):
            shuffled = list(rows)
            random.Random(seed).shuffle(shuffled)
            permuted = labels_of(shuffled, **chosen)
            ids = list(reference)
            agreement = bcubed([reference[i] for i in ids], [permuted[i] for i in ids])[2]
            scores = {k: round(v, 4) for k, v in measure(shuffled, **chosen).items()}
            print(f"  order {seed}: b3 F1 vs input order {agreement:.4f}; vs gold {scores}")
    if args.grid:
        grid(sets, args.grid)
    sys.stdout.flush()


SPACE: dict[str, list[Any]] = {
    "threshold": [0.06, 0.08, 0.1, 0.12, 0.15],
    "w_entities": [0.0, 0.5, 1.0],
    "w_title": [0.0, 0.5],
    "w_places": [0.0, 0.5, 0.8],
    "w_types": [0.0, 0.3],
    "link_weight": [0.0, 0.5],
    "decay_days": [30.0, 180.0, 1e9],
}


def grid(sets: dict[str, list[tuple[str, dict[str, Any], Analysis]]], samples: int = 120) -> None:
    """Random search over :data:`SPACE` (fixed seed) on the development sets only; mean B-cubed F1."""
    dev = {name: rows for name, rows in sets.items() if name.endswith(("-dev", ":dev"))}
    rng = random.Random(13)
    tried = [dict(zip(SPACE, values, strict=True)) for values in itertools.product(*SPACE.values())]
    rng.shuffle(tried)
    results = []
    for settings in tried[:samples]:
        settings["merge_threshold"] = settings["threshold"]
        scores = {name: measure(rows, **settings)["f1"] for name, rows in dev.items()}
        results.append((sum(scores.values()) / len(scores), settings, scores))
    for mean, settings, scores in sorted(results, key=lambda item: -item[0])[:20]:
        print(round(mean, 4), settings, {k: round(v, 4) for k, v in scores.items()}, flush=True)


if __name__ == "__main__":
    main()
