"""API latency (p50/p95) of ``/v1/search`` and ``/v1/events`` at 10k stored articles, SQLite and PostgreSQL.

The corpus (293 Wikinews articles) is analysed once and cached; the store is then filled by upserting
copies of those analyses under new article ids (``{id}~{k}``), so 10k articles cost 293 analyses, not
10k. The app runs under uvicorn on 127.0.0.1 and is queried over HTTP by one client, sequentially.

    .venv/bin/python benchmarks/api_latency.py --n 10000 \
        --pg postgresql+psycopg://root@/storyline_bench
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn

from storyline.api import create_app
from storyline.errors import Problem
from storyline.model import Analysis, Argument, Event, EventPlace, EventTime, Quantity, dump
from storyline.store import Store

ROOT = Path(__file__).resolve().parent
CORPUS = ROOT.parent.parent / "shared/data/corpus/wikinews-2019-2020.jsonl"
CACHE = Path(tempfile.gettempdir()) / "storyline-api-bench-analyses.jsonl"

SEARCHES = [
    "police", "election", "protest", "Hong Kong", "earthquake", "president", "killed", "football",
    "climate change", "United States", "court ruling", "fire", "minister said", "Brexit", "vote",
]  # fmt: skip
EVENT_QUERIES: list[dict[str, str]] = [
    {},
    {"type": "ASSAULT"},
    {"type": "PROTEST"},
    {"since": "2019-06", "until": "2019-12"},
    {"near": "51.5,-0.12,500"},
    {"near": "40.7,-74.0,300", "type": "ASSAULT"},
    {"entity": "Donald Trump"},
    {"offset": "1000"},
]


def analyses(corpus: Path, cache: Path) -> list[Analysis]:
    """The corpus analysed once (cached as JSONL between runs)."""
    if cache.exists():
        return [Analysis.model_validate_json(line) for line in cache.read_text("utf-8").splitlines() if line]
    from storyline import get_nlp
    from storyline.ingest import read_paths
    from storyline.pipeline import analyze_many

    started = time.perf_counter()
    articles = [a for a in read_paths([corpus]) if not isinstance(a, Problem)]
    done = [r for r in analyze_many(get_nlp(), articles) if not isinstance(r, Problem)]
    print(f"analysed {len(done)} articles in {time.perf_counter() - started:.0f} s")
    cache.write_text("".join(json.dumps(dump(a), ensure_ascii=False) + "\n" for a in done), "utf-8")
    return done


EVENT_TYPES = ("ASSAULT", "PROTEST", "COERCE", "ACCUSE", "CONSULT")


def with_stand_in_events(a: Analysis) -> Analysis:
    """For timing only, while the events stage is not in the pipeline: one stand-in event per resolved
    place (at most 3), typed in rotation, dated at publication, located at the place, its trigger the
    place's first mention. Marked ``mode="bench-stand-in"``; never written to a real store."""
    if a.events:
        return a
    made = []
    located = [p for p in a.places if p.lat is not None and p.lon is not None and p.mentions]
    for i, place in enumerate(located[:3]):
        made.append(
            Event(
                id=f"v{i + 1}",
                type=EVENT_TYPES[(len(a.article.text) + i) % len(EVENT_TYPES)],
                mode="bench-stand-in",
                trigger=place.mentions[0],
                status="occurred",
                who=[Argument(text=e.name, entity=e.id) for e in a.entities[:1]],
                when=EventTime(value=a.article.published) if a.article.published else None,
                where=EventPlace(place=place.id, name=place.name, lat=place.lat, lon=place.lon),
                killed=Quantity(value=i, text=f"{i} killed") if i else None,
            )
        )
    return a.model_copy(update={"events": made})


def copies(base: list[Analysis], n: int, stand_in_events: bool) -> Iterator[Analysis]:
    for i in range(n):
        a = base[i % len(base)]
        if stand_in_events:
            a = with_stand_in_events(a)
        k = i // len(base)
        if k == 0:
            yield a
        else:
            yield a.model_copy(update={"article": a.article.model_copy(update={"id": f"{a.article.id}~{k}"})})


def reset_postgresql(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def fill(url: str, base: list[Analysis], n: int, stand_in_events: bool) -> float:
    started = time.perf_counter()
    with Store(url) as store:
        counts = store.upsert_many(copies(base, n, stand_in_events))
        with store.engine.begin() as conn:  # fresh planner statistics after the bulk load
            conn.exec_driver_sql("ANALYZE")
    print(f"  filled {dict(counts)} in {time.perf_counter() - started:.0f} s")
    return time.perf_counter() - started


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def measure(url: str, rounds: int) -> dict[str, Any]:
    store = Store(url)
    port = free_port()
    config = uvicorn.Config(create_app(store=store), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    rng = random.Random(7)
    results: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for name, path, choices in (
                ("search", "/v1/search", [{"q": q, "limit": "20"} for q in SEARCHES]),
                ("events", "/v1/events", [{**p, "limit": "50"} for p in EVENT_QUERIES]),
            ):
                for params in choices:  # warm-up: every distinct query once
                    client.get(path, params=params).raise_for_status()
                times: list[float] = []
                by_query: dict[str, list[float]] = {}
                for _ in range(rounds):
                    params = rng.choice(choices)
                    t0 = time.perf_counter()
                    client.get(path, params=params).raise_for_status()
                    ms = (time.perf_counter() - t0) * 1000
                    times.append(ms)
                    label = "&".join(f"{k}={v}" for k, v in params.items() if k != "limit") or "(none)"
                    by_query.setdefault(label, []).append(ms)
                results[name] = {**summary(times), "by_query": {k: summary(v) for k, v in by_query.items()}}
                print(f"  {path}: {json.dumps(results[name], indent=1)}")
            results["articles"] = client.get("/v1/articles", params={"limit": 1}).json()["total"]
            results["events_total"] = client.get("/v1/events", params={"limit": 1}).json()["total"]
    finally:
        server.should_exit = True
        thread.join()
        store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--cache", type=Path, default=CACHE, help="Analyses of the corpus (made if missing).")
    parser.add_argument("--n", type=int, default=10_000, help="Articles to store.")
    parser.add_argument("--rounds", type=int, default=200, help="Timed requests per endpoint.")
    parser.add_argument("--sqlite", default=None, help="SQLite URL (default: a file in a temp folder).")
    parser.add_argument("--pg", default=None, help="PostgreSQL URL of a throw-away database (reset first).")
    parser.add_argument(
        "--stand-in-events",
        action="store_true",
        help="Give analyses without events stand-in events (for timing /v1/events before the events stage).",
    )
    parser.add_argument("--no-fill", action="store_true", help="Reuse the stores a previous run filled.")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "api_latency.json")
    args = parser.parse_args()

    base = analyses(args.corpus, args.cache)
    report: dict[str, Any] = {
        "n_articles": args.n,
        "corpus_articles": len(base),
        "corpus_events": sum(len(a.events) for a in base),
        "stand_in_events": args.stand_in_events,
        "rounds": args.rounds,
    }
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("sqlite", args.sqlite or f"sqlite:///{Path(tmp) / 'bench.db'}")]
        if args.pg:
            targets.append(("postgresql", args.pg))
        for name, url in targets:
            print(f"{name}:")
            figures: dict[str, Any] = {}
            if not args.no_fill:
                if name == "postgresql":
                    reset_postgresql(url)
                figures["fill_seconds"] = round(fill(url, base, args.n, args.stand_in_events), 1)
            report[name] = {**figures, **measure(url, args.rounds)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
