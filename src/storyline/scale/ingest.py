"""Resumable ingest: prepare and analyse on an engine, decide and commit on the driver in input order.

The order of commits is the input order whatever the engine. Outcomes are buffered and committed
``commit_every`` records (or ``commit_seconds``) at a time, each batch in ONE transaction together
with the progress of its files (:meth:`storyline.store.Store.batch`). A ``kill -9`` at any moment
therefore leaves a prefix of every input committed, with its progress; a rerun skips that prefix
(``ingest_progress.records_done``) and redoes the rest, at most one buffer. Every write is also
idempotent (articles by id, sources by a key of their values, fingerprints by article id), so
nothing redone can be stored twice. The transaction is opened only to write a full buffer, never
while the engine is still analysing.

Stories (unless ``IngestOptions.stories`` is off): after a batch's records are written, and in the same
transaction, the batch's analyses are added to the store's clustering index in input order, and the
stories they touched are rebuilt (:class:`storyline.store.stories.StoryKeeper`). The driver does it,
whatever the engine, so the local and Ray engines cluster the same articles in the same order.
"""

from __future__ import annotations

import resource
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import sqlalchemy as sa

from storyline.defaults import DEFAULT_BATCH_SIZE, DEFAULT_COMMIT_EVERY
from storyline.errors import Problem, StorylineError
from storyline.model import Analysis, Article
from storyline.pipeline import STAGES
from storyline.scale.plan import PlanOptions, Work, plan
from storyline.store import Store
from storyline.store.db import UpsertResult
from storyline.store.progress import Ledger
from storyline.store.stories import StoryKeeper
from storyline.stories.clustering import Scorer

ENGINES = ("local", "ray")
#: ...or fewer, once the oldest uncommitted outcome is this old, so a slow engine still commits.
DEFAULT_COMMIT_SECONDS = 10.0
#: Failures of a batch commit that are worth retrying record by record: a constraint violation from
#: a concurrent writer (PostgreSQL), a deadlock or serialisation failure, a lock timeout.
COMMIT_ERRORS: tuple[type[Exception], ...] = (sa.exc.IntegrityError, sa.exc.OperationalError)

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
    commit_every: int = DEFAULT_COMMIT_EVERY
    commit_seconds: float = DEFAULT_COMMIT_SECONDS
    #: Cluster the committed articles into stories and rebuild the stories they touch.
    stories: bool = True
    #: A new clustering scores with sentence embeddings and the learned pair model (embed extra);
    #: None/False: the store's own scorer (a new store: the weighted evidence).
    embed_stories: bool = False


@dataclass(slots=True)
class IngestReport:
    """Counts by outcome (``stored``, ``duplicate``, ``skipped: language fr``...) and the problems."""

    tally: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    #: Ray engine: articles analysed speculatively (before the driver's dedup decision) that the
    #: decision then rejected as duplicates: analysis time spent for nothing.
    speculative_waste: int = 0
    #: Transactions committed, and batches that failed and were redone record by record.
    commits: int = 0
    batch_retries: int = 0
    #: Stories: articles ``clustered``, story records ``written`` (a story rewritten by several
    #: batches counts once per batch) and ``deleted`` (merged into an older story).
    stories: Counter[str] = field(default_factory=Counter)

    def merge(self, other: IngestReport) -> None:
        """Add the counts and problems of ``other`` (one committed batch) to this report."""
        self.tally.update(other.tally)
        self.problems.extend(other.problems)
        self.stories.update(other.stories)


def local_analyser(options: IngestOptions) -> Analyser:
    """Analyse in this process, or in ``options.workers`` forked processes sharing the loaded pipeline."""
    from storyline.pipeline import analyze_many, load

    nlp = load(stages=options.stages)

    def analyse(articles: Iterable[Article]) -> Iterator[Analysis | Problem]:
        return analyze_many(nlp, articles, batch_size=options.batch_size, n_process=options.workers)

    return analyse


def make_analyser(options: IngestOptions) -> Analyser:
    """The local engine's analyser, started only when a first article needs it (a rerun may need none).

    ``--engine ray`` does not come here: it reads and analyses in one Ray Data job
    (:func:`storyline.scale.ray_job.ray_outcomes`).
    """
    if options.engine not in ENGINES:
        raise StorylineError("E129", engine=options.engine)

    def analyse(articles: Iterable[Article]) -> Iterator[Analysis | Problem]:
        source = iter(articles)
        first = next(source, None)
        if first is None:
            return iter(())
        return local_analyser(options)(chain([first], source))

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
) -> UpsertResult | None:
    """Write one record's outcome and advance its file's progress past it, in the open batch.

    Returns what the upsert of its analysis did, None when the record had no analysis to store.
    """
    tally = report.tally
    status: UpsertResult | None = None
    if work.kind == "file_done":
        if work.input is not None:
            ledger.advance(work.input, work.record, "done")
        return None
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
    return status


class Committer:
    """Buffers outcomes and commits them in batches, each in one transaction with its progress.

    Why a buffer and not a transaction held open: the store's write lock (SQLite) or the row locks
    (PostgreSQL) would be held while the engine analyses, blocking every other writer. Outcomes
    are kept in memory and written in one short transaction once ``every`` are waiting or the
    oldest has waited ``seconds``. When a batch fails (a concurrent writer inserted the same
    article on PostgreSQL, a deadlock), it is rolled back whole and redone one record per
    transaction; a record that fails alone too stops the ingest with E130 (a rerun resumes after
    the last commit). The report only counts what was committed.
    """

    def __init__(
        self,
        store: Store,
        report: IngestReport,
        every: int = DEFAULT_COMMIT_EVERY,
        seconds: float = DEFAULT_COMMIT_SECONDS,
        stories: StoryKeeper | None = None,
    ) -> None:
        self.store = store
        self.stories = stories
        self.ledger = Ledger(store)
        self.report = report
        self.every = max(1, every)
        self.seconds = seconds
        self.buffer: list[tuple[Work, Analysis | Problem | None]] = []
        self._oldest = 0.0

    def add(self, work: Work, result: Analysis | Problem | None) -> None:
        """Buffer one record's outcome; commit the buffer when it is full or old enough."""
        if not self.buffer:
            self._oldest = time.monotonic()
        self.buffer.append((work, result))
        if len(self.buffer) >= self.every or time.monotonic() - self._oldest >= self.seconds:
            self.flush()

    def flush(self) -> None:
        """Commit every buffered outcome (in one transaction, else one per record)."""
        if not self.buffer:
            return
        buffered, self.buffer = self.buffer, []
        try:
            self.report.merge(self._commit(buffered))
        except COMMIT_ERRORS:
            self.report.batch_retries += 1
            for one in buffered:
                try:
                    outcome = self._commit([one])
                except COMMIT_ERRORS:
                    try:  # once more: the row a concurrent writer committed is visible now
                        outcome = self._commit([one])
                    except COMMIT_ERRORS as exc:
                        raise StorylineError("E130", where=one[0].where, reason=exc) from exc
                self.report.merge(outcome)

    def _commit(self, outcomes: list[tuple[Work, Analysis | Problem | None]]) -> IngestReport:
        part = IngestReport()
        try:
            with self.store.batch():
                analysed: list[Analysis] = []
                changed: list[str] = []
                for work, result in outcomes:
                    status = commit(self.store, self.ledger, work, result, part)
                    if status is not None and isinstance(result, Analysis):
                        analysed.append(result)
                        if status == "updated":
                            changed.append(result.article.id)
                if self.stories is not None and analysed:
                    changes = self.stories.update(analysed, changed)
                    part.stories.update(
                        clustered=changes.clustered,
                        written=len(changes.written),
                        deleted=len(changes.deleted),
                    )
        except BaseException:
            if self.stories is not None:
                self.stories.rollback()  # the index learnt what the rolled-back batch held
            raise
        self.report.commits += 1
        return part


def run_ingest(
    paths: Iterable[str | Path],
    db: str | None,
    options: IngestOptions,
    on_record: Callable[[IngestReport], None] | None = None,
    *,
    analyser: Analyser | None = None,
) -> IngestReport:
    """Ingest files and folders into the store at ``db``; resumable, deduplicating, in input order.

    ``analyser`` replaces the engine's (the local engine's planning is kept): for tests and for
    callers that bring their own analysis.
    """
    report = IngestReport()
    with Store(db) as store:
        ledger = Ledger(store)
        outcomes: Iterator[tuple[Work, Analysis | Problem | None]]
        if options.engine == "ray" and analyser is None:
            from storyline.scale.ray_job import ray_outcomes, require_ray

            require_ray()  # fail before reading anything when the scale extra is missing
            outcomes = ray_outcomes(paths, ledger, options, report)
        else:
            analyse = analyser if analyser is not None else make_analyser(options)
            outcomes = ordered(plan(paths, ledger, options.plan), analyse)
        scorer: Scorer | None = "learned" if options.embed_stories else None
        keeper = StoryKeeper(store, scorer) if options.stories else None
        if keeper is not None:
            report.stories["caught up"] = keeper.catch_up()
        committer = Committer(store, report, options.commit_every, options.commit_seconds, keeper)
        for work, result in outcomes:
            committer.add(work, result)
            if on_record is not None:
                on_record(report)
        committer.flush()
    for key, value in options.plan.stats.items():
        report.tally[key] = value
    report.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report
