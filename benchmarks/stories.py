"""What clustering into stories costs an ingest: the same corpus ingested with and without stories.

Issue 10 asks that an ingest of the 293-article Wikinews corpus including clustering stays within
1.3x of the ingest without it. Both ingests run in this process, one after the other, into new
SQLite stores, with one loaded pipeline (its load is in neither figure): read, language check,
dedup, analysis, upsert, progress, and for the second the clustering and the story records of every
batch (``StoryKeeper.update``), in the batch's transaction. The analyses of the first run are kept
and both configurations are replayed without the pipeline too, which isolates the stories' own cost
per article (the part that grows with the store, since every batch rewrites the stories it touched).

    .venv/bin/python benchmarks/stories.py --corpus ../shared/data/corpus/wikinews-2019-2020.jsonl

With ``--embed`` (needs the embed extra) a third ingest clusters with sentence embeddings and the
learned pair model (``storyline ingest --embed``), live and replayed, so the encoder's cost shows too.
Each ingest also records how big the saved clustering is: the state and the per-article item rows.

writes ``benchmarks/results/stories.json``. Other jobs on the machine change the figures: the load
average before each run is recorded with it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 1.3


def ingest(corpus: Path, db: Path, stories: bool, analyse: Any, embed: bool = False) -> dict[str, Any]:
    """One ingest into a new store: wall and CPU seconds, and what it stored."""
    from storyline.scale.ingest import IngestOptions, run_ingest
    from storyline.store import Store
    from storyline.store.db import story_state_json

    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    options = IngestOptions(stories=stories, embed_stories=embed)
    report = run_ingest([corpus], f"sqlite:///{db}", options, analyser=analyse)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    with Store(f"sqlite:///{db}") as store:
        multi = store.list_stories(limit=10_000, min_articles=2)
        n_stories = store.count("stories")
        state = store.story_state()
        items = store.story_items()
    return {
        "stories": stories,
        "embed": embed,
        "state_bytes": len(story_state_json(state)) if state is not None else 0,
        "item_bytes_per_article": round(
            sum(len(story_state_json(item)) for item in items) / max(1, len(items))
        ),
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "stored": report.tally["stored"],
        "commits": report.commits,
        "n_stories": n_stories,
        "multi_article_stories": len(multi),
        "articles_in_multi": sum(r.n_articles for r in multi),
        "load_before": round(load, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "stories.json")
    parser.add_argument("--embed", action="store_true", help="Also ingest with embeddings (embed extra).")
    args = parser.parse_args()

    from storyline.errors import Problem
    from storyline.model import Analysis, Article
    from storyline.pipeline import analyze_many, load

    nlp = load()
    kept: dict[str, Analysis] = {}  # by article id: the live runs' analyses, for the replays

    def live(articles: Iterable[Article]) -> Iterator[Any]:
        for result in analyze_many(nlp, articles):
            if isinstance(result, Analysis):
                kept[result.article.id] = result
            yield result

    def replay(articles: Iterable[Article]) -> Iterator[Any]:
        for article in articles:
            analysis = kept.get(article.id)
            yield (
                analysis
                if analysis is not None
                else Problem("E007", article.id, article=article.id, reason="no analysis")
            )

    with tempfile.TemporaryDirectory(prefix="storyline-bench-stories-") as tmp:
        folder = Path(tmp)
        without = ingest(args.corpus, folder / "without.db", False, live)
        with_stories = ingest(args.corpus, folder / "with.db", True, live)
        replay_without = ingest(args.corpus, folder / "replay-without.db", False, replay)
        replay_with = ingest(args.corpus, folder / "replay-with.db", True, replay)
        if args.embed:
            with_embed = ingest(args.corpus, folder / "with-embed.db", True, live, embed=True)
            replay_embed = ingest(args.corpus, folder / "replay-embed.db", True, replay, embed=True)
    n = max(1, with_stories["stored"])
    stories_ms = (replay_with["wall_s"] - replay_without["wall_s"]) / n * 1000
    result = {
        "corpus": str(args.corpus),
        "articles": with_stories["stored"],
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "without_stories": without,
        "with_stories": with_stories,
        "ratio_wall": round(with_stories["wall_s"] / without["wall_s"], 3),
        "ratio_cpu": round(with_stories["cpu_s"] / without["cpu_s"], 3),
        "limit": LIMIT,
        "replay_without_stories": replay_without,
        "replay_with_stories": replay_with,
        "stories_ms_per_article": round(stories_ms, 2),
        "stories_cpu_ms_per_article": round((replay_with["cpu_s"] - replay_without["cpu_s"]) / n * 1000, 2),
    }
    result["within_limit"] = result["ratio_wall"] <= LIMIT
    if args.embed:
        result["with_embed"] = with_embed
        result["replay_with_embed"] = replay_embed
        result["ratio_wall_embed"] = round(with_embed["wall_s"] / without["wall_s"], 3)
        result["embed_stories_ms_per_article"] = round(
            (replay_embed["wall_s"] - replay_without["wall_s"]) / n * 1000, 2
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
