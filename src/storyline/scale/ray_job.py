"""The Ray Data engine: actors that each hold one loaded pipeline analyse batches of articles.

The driver (``storyline.scale.ingest``) reads the inputs and takes the dedup and language decisions,
as for the local engine; this module turns its stream of articles into windows of ``WINDOW``
articles, runs each window as a Ray Data job (``map_batches`` with the callable class
:class:`ArticleAnalyser`, ``concurrency`` actors, one CPU each) and yields the results in input order, so the
driver commits them exactly as the local engine would. Articles travel as JSON and analyses come
back as JSON: the output is byte-identical to the local engine's on the same input.

Why windows: a window is a finite Dataset, so the driver's memory is bounded by one window, and the
store is written in input order as each window completes. Each window starts its actors afresh
(about the cost of loading the pipeline, a few seconds), so windows are large.

Ray is optional (the ``scale`` extra) and imported only here; without it ``--engine ray`` is E128.
Connect to a cluster with ``address`` (``auto`` inside a cluster); without it a local Ray instance
with ``workers`` CPUs is started.
"""

from __future__ import annotations

import json
import os
import resource
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from storyline.errors import Problem, StorylineError
from storyline.model import Analysis, Article, dump

if TYPE_CHECKING:
    from storyline.scale.ingest import Analyser, IngestOptions

#: Articles per Ray Data job.
WINDOW = 2048
#: Per actor process (pid): its peak RSS in MB and CPU seconds, as reported with its last batch in
#: this process's Ray jobs. Read by benchmarks/scale.py.
ACTOR_STATS: dict[int, tuple[float, float]] = {}


def require_ray() -> Any:
    """The ``ray`` module, or E128 when the scale extra is not installed."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise StorylineError("E128") from exc
    return ray


class ArticleAnalyser:
    """A Ray actor's work: load the pipeline once, then analyse batches of JSON articles."""

    def __init__(self, stages: tuple[str, ...], batch_size: int) -> None:
        from storyline.pipeline import load

        self.nlp = load(stages=stages)
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        from storyline.pipeline import analyze_many

        seqs = [int(s) for s in batch["seq"]]
        articles = [Article.model_validate_json(str(doc)) for doc in batch["article"]]
        kinds: list[str] = []
        docs: list[str] = []
        for result in analyze_many(self.nlp, articles, batch_size=self.batch_size):
            if isinstance(result, Problem):
                kinds.append("problem")
                fields = {key: str(value) for key, value in result.fields.items()}
                docs.append(json.dumps({"code": result.code, "where": result.where, "fields": fields}))
            else:
                kinds.append("analysis")
                docs.append(json.dumps(dump(result), ensure_ascii=False))
        usage = resource.getrusage(resource.RUSAGE_SELF)
        stats = json.dumps([os.getpid(), usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime])
        return {"seq": seqs, "kind": kinds, "doc": docs, "stats": [stats] * len(seqs)}


def _decode(kind: str, doc: str) -> Analysis | Problem:
    if kind == "analysis":
        return Analysis.model_validate_json(doc)
    data = json.loads(doc)
    return Problem(data["code"], data["where"], **data["fields"])


def ray_analyser(options: IngestOptions) -> Analyser:
    """An engine function for :func:`storyline.scale.ingest.run_ingest` backed by Ray Data."""
    ray = require_ray()
    if not ray.is_initialized():
        if options.address:
            ray.init(address=options.address, log_to_driver=False)
        else:
            ray.init(num_cpus=max(1, options.workers), include_dashboard=False, log_to_driver=False)
    concurrency = max(1, options.workers)
    if options.address:
        concurrency = max(concurrency, int(ray.cluster_resources().get("CPU", concurrency)))

    def analyse(articles: Iterable[Article]) -> Iterator[Analysis | Problem]:
        source = iter(articles)
        while True:
            window = list(islice(source, WINDOW))
            if not window:
                return
            yield from analyse_window(window, options, concurrency)

    return analyse


def analyse_window(
    window: list[Article], options: IngestOptions, concurrency: int
) -> Iterator[Analysis | Problem]:
    """One Ray Data job over a window of articles; results in the window's order."""
    import ray.data

    items = [{"seq": seq, "article": article.model_dump_json()} for seq, article in enumerate(window)]
    # Blocks of about one batch per actor call, so every actor gets work even for small windows.
    blocks = max(1, min(len(items), (len(items) + options.batch_size - 1) // options.batch_size))
    dataset = ray.data.from_items(items, override_num_blocks=blocks).map_batches(
        ArticleAnalyser,
        fn_constructor_kwargs={"stages": tuple(options.stages), "batch_size": options.batch_size},
        batch_size=options.batch_size,
        concurrency=min(concurrency, blocks),
        num_cpus=1,
        batch_format="default",
    )
    results: dict[int, Analysis | Problem] = {}
    for row in dataset.iter_rows():
        results[int(row["seq"])] = _decode(str(row["kind"]), str(row["doc"]))
        pid, rss, cpu = json.loads(str(row["stats"]))
        old_rss, old_cpu = ACTOR_STATS.get(int(pid), (0.0, 0.0))
        ACTOR_STATS[int(pid)] = (max(old_rss, float(rss)), max(old_cpu, float(cpu)))
    for seq in range(len(window)):
        found = results.get(seq)
        if found is None:
            article = window[seq]
            found = Problem("E007", article.id, article=article.id, reason="no result from the Ray job")
        yield found
