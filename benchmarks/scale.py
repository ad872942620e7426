"""Ingest throughput on one machine and on Ray: articles/s with 1 and 2 workers, efficiency, peak RSS.

Each configuration runs in a fresh subprocess (so peak RSS figures are its own) and ingests the whole
corpus end to end into a new SQLite store: read, language check, MinHash dedup, analysis, upsert,
progress. The rate includes loading the pipeline (and, for Ray, starting actors but not ray.init).

    .venv/bin/python benchmarks/scale.py --corpus ../shared/data/corpus/wikinews-2019-2020.jsonl

writes ``benchmarks/results/scale.json``. Other jobs on the machine change the figures: the load
average before each run is recorded with it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {"local-1": ("local", 1), "local-2": ("local", 2), "ray-2": ("ray", 2)}


def pick_stages(requested: str | None) -> tuple[str, ...]:
    """The stages to run: all of them unless they do not load in this tree (then the ones that do)."""
    from storyline.pipeline import STAGES, load

    if requested:
        return tuple(s for s in requested.split(",") if s)
    try:
        load()
        return STAGES
    except Exception as exc:
        print(f"full pipeline does not load here ({type(exc).__name__}); falling back", file=sys.stderr)
    chosen: list[str] = []
    for stage in STAGES:
        try:
            load(stages=(*chosen, stage))
            chosen.append(stage)
        except Exception:
            continue
    return tuple(chosen)


def run_one(config: str, corpus: Path, stages: tuple[str, ...], batch_size: int) -> dict[str, Any]:
    """One configuration in this process: ingest the corpus into a new store, time it."""
    from storyline.scale.ingest import IngestOptions, run_ingest

    engine, workers = CONFIGS[config]
    ray_init_s = 0.0
    if engine == "ray":
        import ray

        start = time.perf_counter()
        ray.init(
            num_cpus=workers, include_dashboard=False, log_to_driver=False, object_store_memory=300 * 1024**2
        )
        ray_init_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        options = IngestOptions(engine=engine, workers=workers, batch_size=batch_size, stages=stages)
        start = time.perf_counter()
        report = run_ingest([corpus], f"sqlite:///{Path(folder) / 'bench.db'}", options)
        seconds = time.perf_counter() - start
    articles = report.tally["stored"]
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_mb = own.ru_maxrss / 1024
    driver_cpu = own.ru_utime + own.ru_stime
    worker_mb: float
    if engine == "ray":
        from storyline.scale import ray_job

        worker_mb = max((rss for rss, _ in ray_job.ACTOR_STATS.values()), default=0.0)
        worker_cpu = sum(cpu for _, cpu in ray_job.ACTOR_STATS.values())
        ray.shutdown()
    elif workers > 1:
        worker_mb = children.ru_maxrss / 1024
        worker_cpu = children.ru_utime + children.ru_stime
    else:
        worker_mb = self_mb
        worker_cpu = 0.0
    return {
        "config": config,
        "engine": engine,
        "workers": workers,
        "articles": articles,
        "tally": dict(report.tally),
        "seconds": round(seconds, 2),
        "articles_per_s": round(articles / seconds, 3) if seconds else None,
        "ray_init_s": round(ray_init_s, 2),
        # CPU seconds: a contention-free view when other jobs share the machine.
        "driver_cpu_s": round(driver_cpu, 1),
        "worker_cpu_s": round(worker_cpu, 1),
        "articles_per_cpu_s": round(articles / (driver_cpu + worker_cpu), 3),
        "driver_peak_rss_mb": round(self_mb, 1),
        "worker_peak_rss_mb": round(worker_mb, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=ROOT.parent / "shared/data/corpus/wikinews-2019-2020.jsonl"
    )
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--stages", default=None, help="comma-separated (default: all that load)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks/results/scale.json")
    args = parser.parse_args()
    if args.one:
        stages = tuple(s for s in args.stages.split(",") if s)
        print(json.dumps(run_one(args.one, args.corpus, stages, args.batch_size)))
        return
    stages = pick_stages(args.stages)
    runs: list[dict[str, Any]] = []
    for config in args.configs.split(","):
        load_before = os.getloadavg()[0]
        command = [
            sys.executable, __file__, "--one", config, "--corpus", str(args.corpus),
            "--stages", ",".join(stages), "--batch-size", str(args.batch_size),
        ]  # fmt: skip
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["load_avg_before"] = round(load_before, 2)
        runs.append(result)
        print(json.dumps(result), flush=True)
    by = {r["config"]: r for r in runs}
    summary: dict[str, Any] = {
        "corpus": str(args.corpus),
        "stages": list(stages),
        "batch_size": args.batch_size,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "runs": runs,
    }
    if "local-1" in by and "local-2" in by:
        summary["local_efficiency_2"] = round(
            by["local-2"]["articles_per_s"] / (2 * by["local-1"]["articles_per_s"]), 3
        )
    if "local-1" in by and "ray-2" in by:
        summary["ray_efficiency_2"] = round(
            by["ray-2"]["articles_per_s"] / (2 * by["local-1"]["articles_per_s"]), 3
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
