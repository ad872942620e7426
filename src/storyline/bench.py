"""Throughput and memory of the analysis, as ratios against spaCy alone in the same run.

Why ratios: absolute speed depends on the machine; the cost of Storyline's own stages relative to
the spaCy pipeline they sit on does not, so it is what the issues set targets on. Each stage's share
is measured by running it again on the finished Docs (stages are idempotent: they overwrite their
own attributes), so the full-pipeline timing itself carries no instrumentation.
"""

from __future__ import annotations

import platform
import resource
import time
from itertools import islice
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from storyline.defaults import DEFAULT_BATCH_SIZE
from storyline.errors import Problem
from storyline.model import Article
from storyline.pipeline import STAGES, analyze_many, load, make_doc


def _articles(corpus: Path, n: int) -> list[Article]:
    from storyline.ingest import read_paths

    items = (a for a in read_paths([corpus]) if not isinstance(a, Problem))
    return list(islice(items, n))


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_bench(corpus: Path, n: int = 100, batch_size: int = DEFAULT_BATCH_SIZE) -> dict[str, Any]:
    """Analyse ``n`` articles with spaCy alone and with the full pipeline; time each stage too."""
    articles = _articles(corpus, n)
    words = sum(len(a.text.split()) for a in articles)

    t0 = time.perf_counter()
    base = load(stages=())
    full = load()
    load_s = time.perf_counter() - t0

    def run(nlp: Any) -> tuple[float, list[Any]]:
        start = time.perf_counter()
        docs = list(nlp.pipe((make_doc(nlp, a) for a in articles), batch_size=batch_size))
        return time.perf_counter() - start, docs

    run(base)  # warm-up: first batches pay for lazy initialisation
    spacy_s, _ = run(base)
    stages_s, docs = run(full)
    # What ingest runs: the stages plus the title pass and the assembly of each Analysis (incident
    # casualty totals, event ranking, the 5W1H ranker), which nlp.pipe alone leaves out.
    start = time.perf_counter()
    list(analyze_many(full, articles, batch_size=batch_size))
    full_s = time.perf_counter() - start

    stage_s: dict[str, float] = {}
    for stage in STAGES:
        proc = full.get_pipe(f"storyline_{stage}")
        start = time.perf_counter()
        for doc in docs:
            proc(doc)
        stage_s[stage] = time.perf_counter() - start

    return {
        "corpus": str(corpus),
        "articles": len(articles),
        "words": words,
        "batch_size": batch_size,
        "python": platform.python_version(),
        "load_s": round(load_s, 3),
        "spacy_s": round(spacy_s, 3),
        "full_s": round(full_s, 3),
        "ratio_full_to_spacy": round(full_s / spacy_s, 3) if spacy_s else None,
        "spacy_articles_per_s": round(len(articles) / spacy_s, 2) if spacy_s else None,
        "full_articles_per_s": round(len(articles) / full_s, 2) if full_s else None,
        "spacy_words_per_s": round(words / spacy_s) if spacy_s else None,
        "full_words_per_s": round(words / full_s) if full_s else None,
        "pipe_s": round(stages_s, 3),
        "title_and_assembly_s": round(max(0.0, full_s - stages_s), 3),
        "stage_s": {k: round(v, 4) for k, v in stage_s.items()},
        "stage_share_of_full": {k: round(v / full_s, 4) for k, v in stage_s.items()} if full_s else {},
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def print_report(console: Console, report: dict[str, Any]) -> None:
    table = Table(
        "measure", "spaCy alone", "Storyline", title=f"{report['articles']} articles, {report['words']} words"
    )
    table.add_row("seconds", str(report["spacy_s"]), str(report["full_s"]))
    table.add_row("articles/s", str(report["spacy_articles_per_s"]), str(report["full_articles_per_s"]))
    table.add_row("words/s", str(report["spacy_words_per_s"]), str(report["full_words_per_s"]))
    console.print(table)
    console.print(f"ratio full/spaCy: [bold]{report['ratio_full_to_spacy']}[/bold]")
    stages = Table("stage", "seconds", "share of full", title="Storyline stages")
    for stage, secs in report["stage_s"].items():
        stages.add_row(stage, str(secs), f"{report['stage_share_of_full'].get(stage, 0):.1%}")
    console.print(stages)
    if "title_and_assembly_s" in report:
        share = report["title_and_assembly_s"] / report["full_s"] if report["full_s"] else 0.0
        extra = report["title_and_assembly_s"]
        console.print(f"title pass and assembly (5W1H, casualty totals): {extra} s, {share:.1%} of full")
    console.print(f"peak RSS: {report['peak_rss_mb']} MB; pipeline load: {report['load_s']} s")
