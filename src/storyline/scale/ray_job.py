"""The Ray Data engine: shards read on the workers, analysed by actors, decided and committed by the driver.

One streaming Ray Data job per ingest:

1. ``map_batches(read_shards)``: a task per input file (shard) reads its records, extracts the text
   (trafilatura for WARC), identifies the language and computes the content hash and MinHash
   (:func:`storyline.scale.plan.prepare_file`), and emits rows in blocks of about one analysis
   batch, so the actors start on a shard long before it is read to the end and no shard is ever
   held whole in memory.
2. ``map_batches(ArticleAnalyser)``: ``concurrency`` actors, one CPU and one loaded pipeline each,
   analyse every row that passed the language and size checks. Duplicates are not known yet, so
   they are analysed too (speculatively); the driver throws those analyses away and counts them
   (``IngestReport.speculative_waste``).
3. The driver iterates the rows in input order (``preserve_order``) and takes the only decisions
   that depend on earlier records (:func:`storyline.scale.plan.decide`: duplicate or not, against
   every article kept before), then the committer writes them in batches.

Why this split: reading, extraction, language and MinHash cost the driver several milliseconds an
article; on a cluster of a hundred analysing CPUs one driver doing them would be the bottleneck.
Left on the driver are a JSON decode and a dictionary look-up per article. Rows and analyses travel
as JSON; the decisions are the same functions as the local engine's, in the same order, so the store
ends up byte-identical to a local ingest of the same input.

Readers run without a CPU reservation (``READ_CPUS``): the actors hold every CPU, and reading is a
few percent of the work; at most ``readers`` shards are read at a time. Ray Data's streaming executor
applies back-pressure between the stages, so the memory in flight is bounded by a few blocks per
operator, not by the input.

Ray is optional (the ``scale`` extra) and imported only here; without it ``--engine ray`` is E128.
Connect to a cluster with ``address`` (``auto`` inside a cluster); without it a local Ray instance
with ``workers`` CPUs is started.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.errors import Problem, StorylineError
from storyline.model import Analysis, Article, dump
from storyline.scale.plan import (
    FileEnd,
    PlanOptions,
    Prepared,
    Shard,
    Work,
    decide,
    load_index,
    prepare_file,
    shards,
)
from storyline.store.progress import Ledger

if TYPE_CHECKING:
    from storyline.scale.ingest import IngestOptions, IngestReport

#: Bytes of rows a reader task gathers before it emits them as a block (Ray Data's default is
#: 128 MB: a whole shard of news text, which the actors would receive at once, only when it is all
#: read, and on one actor). About 30-60 articles: the actors start on a shard after its first few
#: dozen articles, and blocks spread over all of them.
BLOCK_BYTES = 256 * 1024
#: CPUs reserved by a reader task: none, see the module's docstring.
READ_CPUS = 0.0
#: Analysing actors per concurrent reader task (at least one reader).
ACTORS_PER_READER = 8
#: Per actor process (pid): its peak RSS in MB and CPU seconds, as reported with its last batch in
#: this process's Ray jobs. Read by benchmarks/scale.py.
ACTOR_STATS: dict[int, tuple[float, float]] = {}

_COLUMNS = ("shard", "record", "kind", "where", "article", "problem", "content_hash", "signature", "analyse")


def require_ray() -> Any:
    """The ``ray`` module, or E128 when the scale extra is not installed."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise StorylineError("E128") from exc
    return ray


def _problem_json(problem: Problem) -> str:
    return json.dumps(problem.to_data(), ensure_ascii=False)


def _problem_of(doc: str) -> Problem:
    return Problem.from_data(json.loads(doc))


def read_shards(batch: dict[str, Any], options: PlanOptions, rows: int) -> Iterator[dict[str, list[Any]]]:
    """A Ray Data task: the prepared records of the shards in ``batch``, ``rows`` to a yielded block.

    Each shard ends with a row of kind ``end`` whose ``record`` is the shard's number of records.

    A record whose text is an exact copy (same content hash) of an earlier record of the same shard
    is not sent to analysis: whatever the driver decided for the earlier one, the copy comes out
    unchanged or a duplicate, never to analyse (see :meth:`storyline.ingest.dedup.DedupIndex.find`),
    so analysing it would be waste. Near copies and copies across shards still are analysed.
    """
    out: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    for shard, found, path, done in zip(
        batch["shard"], batch["found"], batch["path"], batch["done"], strict=True
    ):
        seen: set[str] = set()
        for prepared in prepare_file(Path(str(found)), str(path), int(done), options):
            out["shard"].append(int(shard))
            if isinstance(prepared, FileEnd):
                _end_row(out, prepared.records)
            else:
                copy = bool(prepared.content_hash) and prepared.content_hash in seen
                _record_row(out, prepared, analyse=not copy)
                if prepared.content_hash and prepared.problem is None:
                    seen.add(prepared.content_hash)
            if len(out["shard"]) >= rows:
                yield out
                out = {name: [] for name in _COLUMNS}
    if out["shard"]:
        yield out


def _end_row(out: dict[str, list[Any]], records: int) -> None:
    for name, value in (
        ("record", records),
        ("kind", "end"),
        ("where", ""),
        ("article", ""),
        ("problem", ""),
        ("content_hash", ""),
        ("signature", ""),
        ("analyse", False),
    ):
        out[name].append(value)


def _record_row(out: dict[str, list[Any]], prepared: Prepared, *, analyse: bool = True) -> None:
    article, problem = prepared.article, prepared.problem
    for name, value in (
        ("record", prepared.record),
        ("kind", "record"),
        ("where", prepared.where),
        ("article", article.model_dump_json() if article is not None else ""),
        ("problem", _problem_json(problem) if problem is not None else ""),
        ("content_hash", prepared.content_hash),
        ("signature", prepared.signature.hex()),  # text: numpy's bytes dtype drops trailing NULs
        ("analyse", analyse and article is not None and problem is None),
    ):
        out[name].append(value)


class ArticleAnalyser:
    """A Ray actor's work: load the pipeline once, then analyse the rows that need it.

    Rows that need no analysis (problems, other languages, shard ends) pass through. An analysed
    row's ``article`` is emptied: the analysis carries the article, and the driver need not receive
    it twice.
    """

    def __init__(self, stages: tuple[str, ...], batch_size: int) -> None:
        from storyline.pipeline import load

        self.nlp = load(stages=stages)
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        from storyline.pipeline import analyze_many

        out: dict[str, list[Any]] = {name: list(batch[name]) for name in _COLUMNS}
        size = len(out["shard"])
        analyses = [""] * size
        failures = [""] * size
        todo = [i for i in range(size) if bool(out["analyse"][i])]
        articles = [Article.model_validate_json(str(out["article"][i])) for i in todo]
        for i, result in zip(todo, analyze_many(self.nlp, articles, batch_size=self.batch_size), strict=True):
            if isinstance(result, Problem):
                failures[i] = _problem_json(result)
            else:
                analyses[i] = json.dumps(dump(result), ensure_ascii=False)
                out["article"][i] = ""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        stats = json.dumps([os.getpid(), usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime])
        return out | {"analysis": analyses, "failure": failures, "stats": [stats] * size}


def start_ray(options: IngestOptions) -> int:
    """Connect to (or start) Ray; the number of analysing actors to run."""
    ray = require_ray()
    if not ray.is_initialized():
        if options.address:
            ray.init(address=options.address, log_to_driver=False)
        else:
            ray.init(num_cpus=max(1, options.workers), include_dashboard=False, log_to_driver=False)
    concurrency = max(1, options.workers)
    if options.address:
        concurrency = max(concurrency, int(ray.cluster_resources().get("CPU", concurrency)))
    return concurrency


def shard_rows(to_read: list[tuple[int, Shard]], options: IngestOptions) -> Iterator[dict[str, Any]]:
    """Run the Ray Data job over the shards; its rows, analysed, in input order."""
    import ray.data

    concurrency = start_ray(options)
    items = [{"shard": k, "found": str(s.found), "path": s.item.path, "done": s.done} for k, s in to_read]
    reader_options = dataclasses.replace(options.plan, stats={})
    context = ray.data.DataContext.get_current()
    saved = context.execution_options.preserve_order, context.target_max_block_size
    context.execution_options.preserve_order = True  # the driver's decisions need input order
    context.target_max_block_size = BLOCK_BYTES
    try:
        readers = max(1, min(len(items), concurrency // ACTORS_PER_READER))
        dataset = (
            ray.data.from_items(items, override_num_blocks=len(items))
            .map_batches(
                partial(read_shards, options=reader_options, rows=options.batch_size),
                batch_size=1,
                concurrency=readers,
                num_cpus=READ_CPUS,
                batch_format="default",
            )
            .map_batches(
                ArticleAnalyser,
                fn_constructor_kwargs={"stages": tuple(options.stages), "batch_size": options.batch_size},
                batch_size=options.batch_size,
                concurrency=concurrency,
                num_cpus=1,
                batch_format="default",
            )
        )
        for row in dataset.iter_rows():
            pid, rss, cpu = json.loads(str(row["stats"]))
            old_rss, old_cpu = ACTOR_STATS.get(int(pid), (0.0, 0.0))
            ACTOR_STATS[int(pid)] = (max(old_rss, float(rss)), max(old_cpu, float(cpu)))
            yield row
    finally:
        context.execution_options.preserve_order, context.target_max_block_size = saved


def prepared_of(row: dict[str, Any]) -> tuple[Prepared, Analysis | Problem | None]:
    """A row back as the record it was prepared from, and its analysis (if it was analysed)."""
    result: Analysis | Problem | None = None
    article: Article | None = None
    if row.get("analysis"):
        result = Analysis.model_validate_json(str(row["analysis"]))
        article = result.article
    elif row.get("failure"):
        result = _problem_of(str(row["failure"]))
    if article is None and row["article"]:
        article = Article.model_validate_json(str(row["article"]))
    prepared = Prepared(
        int(row["record"]),
        str(row["where"]),
        article=article,
        problem=_problem_of(str(row["problem"])) if row["problem"] else None,
        content_hash=str(row["content_hash"]),
        signature=bytes.fromhex(str(row["signature"])),
    )
    return prepared, result


def ray_outcomes(
    paths: Iterable[str | Path], ledger: Ledger, options: IngestOptions, report: IngestReport
) -> Iterator[tuple[Work, Analysis | Problem | None]]:
    """Every record's work and analysis, in input order, from shards read and analysed on Ray.

    The same outcomes as :func:`storyline.scale.ingest.ordered` over :func:`storyline.scale.plan.plan`
    with the local engine: the inputs that cannot be read come out where they stand, each shard's
    records in order, then its ``file_done``.
    """
    plan_options = options.plan
    index = load_index(ledger, plan_options.threshold) if plan_options.dedup else None
    entries = list(shards(paths, ledger, plan_options))  # one per input file: paths, never records
    to_read = [(k, entry) for k, entry in enumerate(entries) if isinstance(entry, Shard)]
    position = 0  # the next entry whose outcomes are due
    if to_read:
        for row in shard_rows(to_read, options):
            k = int(row["shard"])
            for entry in entries[position:k]:
                if isinstance(entry, Work):
                    yield entry, None
            position = k
            shard = entries[k]
            assert isinstance(shard, Shard)
            if row["kind"] == "end":
                yield Work("file_done", shard.item, int(row["record"]), str(shard.found)), None
                position = k + 1
                continue
            prepared, result = prepared_of(row)
            work = decide(shard.item, prepared, index)
            if work.kind != "analyse":
                if result is not None:
                    report.speculative_waste += 1
                result = None
            yield work, result
    for entry in entries[position:]:
        if isinstance(entry, Work):
            yield entry, None
