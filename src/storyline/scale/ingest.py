"""Resumable ingest: plan on the driver, analyse on an engine, commit in input order.

The order of commits is the input order whatever the engine, and the progress of a file is advanced
after each record's outcome is committed. A ``kill -9`` at any moment therefore leaves a prefix of
every input committed; a rerun skips that prefix (``ingest_progress.records_done``) and does the
rest. Every write is idempotent (articles by id, sources by a key of their values, fingerprints by
article id), so the one record that may be redone after a crash cannot be stored twice.
"""

from __future__ import annotations

import resource
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from storyline.errors import Problem, StorylineError
from storyline.model import Analysis, Article
from storyline.pipeline import DEFAULT_BATCH_SIZE, STAGES
from storyline.scale.plan import PlanOptions, Work, plan
from storyline.store import Store
from storyline.store.progress import Ledger

ENGINES = ("local", "ray")

#: An engine: articles in, one Analysis or Problem per article out, in input order.
Analyser = Callable[[Iterable[Article]], Iterator[Analysis | Problem]]


@dataclass(slots=True)
class IngestOptions:
    """Everything ``storyline ingest`` can be told; the defaults are a one-process local ingest."""

    engine: str = "local"
    workers: int = 1
    address: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    stages: tuple[str, ...] = STAGES
    plan: PlanOptions = field(default_factory=PlanOptions)


@dataclass(slots=True)
class IngestReport:
    """Counts by outcome (``stored``, ``duplicate``, ``skipped: language fr``...) and the problems."""

    tally: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    peak_rss_mb: float = 0.0


def local_analyser(options: IngestOptions) -> Analyser:
    """Analyse in this process, or in ``options.workers`` forked processes sharing the loaded pipeline."""
    from storyline.pipeline import analyze_many, load

    nlp = load(stages=options.stages)

    def analyse(articles: Iterable[Article]) -> Iterator[Analysis | Problem]:
        return analyze_many(nlp, articles, batch_size=options.batch_size, n_process=options.workers)

    return analyse


def make_analyser(options: IngestOptions) -> Analyser:
    """The engine's analyser, started only when a first article needs it (a rerun may need none)."""
    if options.engine not in ENGINES:
        raise StorylineError("E129", engine=options.engine)
    if options.engine == "ray":
        from storyline.scale.ray_job import require_ray

        require_ray()  # fail before reading anything when the scale extra is missing

    def analyse(articles: Iterable[Article]) -> Iterator[Analysis | Problem]:
        source = iter(articles)
        first = next(source, None)
        if first is None:
            return iter(())
        if options.engine == "ray":
            from storyline.scale.ray_job import ray_analyser

            engine = ray_analyser(options)
        else:
            engine = local_analyser(options)
        return engine(chain([first], source))

    return analyse


def ordered(works: Iterable[Work], analyse: Analyser) -> Iterator[tuple[Work, Analysis | Problem | None]]:
    """Each work with its analysis (None when nothing was analysed), in input order.

    The engine sees only the articles to analyse; the works between them wait in ``pending`` and
    come out as soon as every article before them has its result.
    """
    pending: deque[Work] = deque()

    def articles() -> Iterator[Article]:
        for work in works:
            pending.append(work)
            if work.kind == "analyse" and work.article is not None:
                yield work.article

    for result in analyse(articles()):
        while pending and pending[0].kind != "analyse":
            yield pending.popleft(), None
        yield pending.popleft(), result
    while pending:
        yield pending.popleft(), None


def _problem_key(problem: Problem) -> str:
    if problem.code == "E120":
        return f"skipped: language {problem.fields.get('language')}"
    return "failed"


def commit(
    store: Store, ledger: Ledger, work: Work, result: Analysis | Problem | None, report: IngestReport
) -> None:
    """Make one record's outcome durable, then advance its file's progress past it."""
    tally = report.tally
    if work.kind == "file_done":
        if work.input is not None:
            ledger.advance(work.input, work.record, "done")
        return
    tally["read" if work.article is not None else "unread"] += 1
    problem: Problem | None = work.problem
    if work.kind == "analyse" and isinstance(result, Analysis):
        status = store.upsert(result)
        tally["skipped as duplicate" if status == "unchanged" else status] += 1
        article = result.article
        if work.signature:
            ledger.add_fingerprint(article.id, work.content_hash, work.signature)
        ledger.add_source(article.id, article.url, article.published, work.where)
    elif work.kind == "analyse":
        problem = (
            result if isinstance(result, Problem) else Problem("E007", work.where, article="?", reason="lost")
        )
    elif work.kind == "unchanged" and work.article is not None:
        tally["skipped as duplicate"] += 1
        ledger.add_source(work.article.id, work.article.url, work.article.published, work.where)
    elif work.kind == "duplicate" and work.article is not None and work.match is not None:
        match = work.match
        if ledger.article_exists(match.article_id):
            tally["duplicate"] += 1
            article = work.article
            ledger.add_source(
                match.article_id, article.url, article.published, work.where, match.kind, match.similarity
            )
        else:
            problem = Problem("E131", work.where, path=work.where, offset="", article=match.article_id)
    if problem is not None:
        tally[_problem_key(problem)] += 1
        report.problems.append(problem)
        if work.input is not None:
            ledger.add_problem(work.input, work.record, problem.code, problem.where, str(problem))
    if work.input is not None:
        ledger.advance(work.input, work.record + 1)


def run_ingest(
    paths: Iterable[str | Path],
    db: str | None,
    options: IngestOptions,
    on_record: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into the store at ``db``; resumable, deduplicating, in input order."""
    report = IngestReport()
    with Store(db) as store:
        ledger = Ledger(store)
        analyse = make_analyser(options)
        works = plan(paths, ledger, options.plan)
        for work, result in ordered(works, analyse):
            commit(store, ledger, work, result, report)
            if on_record is not None:
                on_record(report)
    for key, value in options.plan.stats.items():
        report.tally[key] = value
    report.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report
