"""Ingest throughput on one machine and on Ray: articles/s with 1 and 2 workers, efficiency, peak RSS.

Each configuration runs in a fresh subprocess (so peak RSS figures are its own) and ingests the whole
corpus end to end into a new SQLite store: read, language check, MinHash dedup, analysis, upsert,
progress. The rate includes loading the pipeline (and, for Ray, starting actors but not ray.init).

    .venv/bin/python benchmarks/scale.py --corpus ../shared/data/corpus/wikinews-2019-2020.jsonl

writes ``benchmarks/results/scale.json``. Other jobs on the machine change the figures: the load
average before each run is recorded with it. Two narrower measurements:

    .venv/bin/python benchmarks/scale.py --driver-cost /tmp/wikinews.warc.gz   # driver CPU per WARC record
    .venv/bin/python benchmarks/scale.py --commit-cost sqlite                  # or a PostgreSQL URL

The first (``benchmarks/results/scale_driver.json``) says whether one driver can feed a cluster;
the second what batching the commits saves.
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


def driver_cost(corpus: Path, warc: Path) -> dict[str, Any]:
    """CPU milliseconds the driver spends per record of a WARC, before and after shard reading on Ray.

    Before (the local engine, and ``--engine ray`` until shards were read on the workers): the driver
    reads the WARC, extracts the HTML with trafilatura, identifies the language, computes the MinHash
    and decides (:func:`storyline.scale.plan.plan`). After: a worker does all but the decision
    (:func:`storyline.scale.ray_job.read_shards`, not timed here); the driver decodes each row and
    decides. The analysis JSON that comes back is decoded in both designs and is left out of both.
    ``warc`` is built from the corpus (one HTML page per article, with the scale tests' junk records).
    """
    sys.path.insert(0, str(ROOT))
    from tests.scale.support import build_warc

    from storyline.ingest.dedup import DedupIndex
    from storyline.scale.plan import PlanOptions, decide, plan
    from storyline.scale.ray_job import prepared_of, read_shards
    from storyline.store import Store
    from storyline.store.progress import InputFile, Ledger

    with corpus.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    build_warc(warc, records)
    item = InputFile.of(warc)
    with Store("sqlite://") as store:
        start = time.process_time()
        works = [work for work in plan([warc], Ledger(store), PlanOptions()) if work.kind != "file_done"]
        before = time.process_time() - start
    batch = {"shard": [0], "found": [str(warc)], "path": [item.path], "done": [0]}
    start = time.process_time()
    rows = [
        dict(zip(block, values, strict=True))
        for block in read_shards(batch, PlanOptions(), 64)
        for values in zip(*block.values(), strict=True)
    ]
    worker = time.process_time() - start
    index = DedupIndex()
    start = time.process_time()
    decided = [decide(item, prepared_of(row)[0], index) for row in rows if row["kind"] != "end"]
    after = time.process_time() - start
    assert [(w.kind, w.where) for w in decided] == [(w.kind, w.where) for w in works]
    n = len(works)
    return {
        "warc": str(warc),
        "records": n,
        "articles": sum(w.kind == "analyse" for w in works),
        "driver_ms_per_record_before": round(1000 * before / n, 3),
        "driver_ms_per_record_after": round(1000 * after / n, 3),
        "worker_ms_per_record_after": round(1000 * worker / n, 3),
    }


def commit_cost(corpus: Path, stages: tuple[str, ...], url: str | None) -> dict[str, Any]:
    """Seconds to commit an ingest's outcomes: a transaction per write (before) vs batches of 64.

    The corpus is read, decided and analysed once (not timed); then its outcomes are committed into
    a new store twice: as the ingest did before batching (upsert, fingerprint, source and progress
    each in its own transaction, per record) and through :class:`storyline.scale.ingest.Committer`.
    ``url`` is an empty database (PostgreSQL: emptied before each run); default a SQLite file.
    """
    from storyline.defaults import DEFAULT_COMMIT_EVERY
    from storyline.pipeline import analyze_many, load
    from storyline.scale.ingest import Committer, IngestReport, commit, ordered
    from storyline.scale.plan import PlanOptions, plan
    from storyline.store import Store
    from storyline.store.progress import Ledger

    nlp = load(stages=stages)
    with Store("sqlite://") as scratch:
        outcomes = list(
            ordered(plan([corpus], Ledger(scratch), PlanOptions()), lambda a: analyze_many(nlp, a))
        )
    figures: dict[str, Any] = {"records": len(outcomes), "stages": list(stages)}
    with tempfile.TemporaryDirectory() as folder:
        for name in ("per_write", "batched"):
            target = url or f"sqlite:///{Path(folder) / (name + '.db')}"
            if url:
                from tests.store.conftest import _reset_postgresql

                _reset_postgresql(url)
            report = IngestReport()
            with Store(target) as store:
                ledger = Ledger(store)
                wall, cpu = time.perf_counter(), time.process_time()
                if name == "per_write":
                    for work, result in outcomes:
                        commit(store, ledger, work, result, report)
                else:
                    committer = Committer(store, report, DEFAULT_COMMIT_EVERY, 3600.0)
                    for work, result in outcomes:
                        committer.add(work, result)
                    committer.flush()
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            figures[name] = {
                "stored": report.tally["stored"],
                "wall_ms_per_record": round(1000 * wall / len(outcomes), 2),
                "cpu_ms_per_record": round(1000 * cpu / len(outcomes), 2),
            }
    return figures


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
    parser.add_argument(
        "--driver-cost",
        type=Path,
        default=None,
        metavar="WARC",
        help="only measure the driver's CPU per record on a WARC built from the corpus at this path",
    )
    parser.add_argument(
        "--commit-cost",
        default=None,
        metavar="URL",
        help="only measure committing per write vs in batches ('sqlite' for a temporary SQLite file)",
    )
    args = parser.parse_args()
    if args.commit_cost:
        sys.path.insert(0, str(ROOT))
        stages = tuple(s for s in (args.stages or "entities").split(",") if s)
        url = None if args.commit_cost == "sqlite" else args.commit_cost
        print(json.dumps(commit_cost(args.corpus, stages, url), indent=2))
        return
    if args.driver_cost:
        result = driver_cost(args.corpus, args.driver_cost)
        print(json.dumps(result, indent=2))
        out = args.json.with_name("scale_driver.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        return
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
