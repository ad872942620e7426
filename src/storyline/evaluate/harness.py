"""Run a task: read the gold files, analyse every article, adapt the output, score; the same for a baseline.

Storyline runs through :func:`storyline.pipeline.analyze_many` (``nlp.pipe`` batches, the record's
``published`` as the publication date) with only the stages a task reads: the stage it scores and the
stages before it in pipeline order, since a later stage may read what an earlier one assigned (a
summary needs every stage). Nothing is cached between runs.

:func:`evaluate_all` runs every dev set of ../shared/data, Storyline and its baseline, spreading the
(task, file) jobs over worker processes (one spaCy pipeline each) so the full run uses every core.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.defaults import DEFAULT_BATCH_SIZE
from storyline.errors import Problem, StorylineError
from storyline.evaluate import baselines
from storyline.evaluate.data import MAX_EXAMPLES, DataIssues, GoldDoc, Scored, load_corpus, problem_messages
from storyline.model import Analysis
from storyline.pipeline import STAGES

STORYLINE = "storyline"


@dataclass(frozen=True)
class Task:
    """How to score one task: its metrics, the stage it reads, the adapter and the scorer."""

    name: str
    metrics: tuple[str, ...]
    stage: str
    score: Callable[[Sequence[GoldDoc], Sequence[Any]], Scored]
    #: Analysis -> the task's prediction for that article; None for a corpus-level task (stories).
    adapt: Callable[[Analysis], Any] | None
    lower_is_better: frozenset[str] = frozenset()

    @property
    def stages(self) -> tuple[str, ...]:
        """The Storyline stages to run: the scored one and every stage before it."""
        return STAGES[: STAGES.index(self.stage) + 1]

    @property
    def baseline(self) -> str:
        return baselines.baseline_name(self.name)


def tasks() -> dict[str, Task]:
    """Every task, by name."""
    from storyline.evaluate import casualties, fivew1h, geo, quotes, stories, summaries, templates, timex

    return {
        "timex": Task("timex", timex.METRICS, "times", timex.score, timex.from_analysis),
        "geo": Task("geo", geo.METRICS, "places", geo.score, geo.from_analysis, geo.LOWER_IS_BETTER),
        "quotes": Task("quotes", quotes.METRICS, "claims", quotes.score, quotes.from_analysis),
        "casualties": Task(
            "casualties",
            casualties.METRICS,
            "events",
            casualties.score,
            casualties.from_analysis,
            casualties.LOWER_IS_BETTER,
        ),
        "fivew1h": Task("fivew1h", fivew1h.METRICS, "events", fivew1h.score, fivew1h.fivew1h_answers),
        "templates": Task("templates", templates.METRICS, "events", templates.score, templates.from_analysis),
        "stories": Task("stories", stories.METRICS, "highlights", stories.score, None),
        # The same sets clustered by the learned pair model over sentence embeddings (embed extra).
        "stories-embed": Task("stories-embed", stories.METRICS, "highlights", stories.score, None),
        "summaries": Task(
            "summaries", summaries.METRICS, "highlights", summaries.score, summaries.from_analysis
        ),
    }


#: The dev sets ``eval-all`` runs, as (task, path under ../shared/data).
DEV_SETS: tuple[tuple[str, str], ...] = (
    ("timex", "timex/timebank.jsonl"),
    ("timex", "timex/aquaint.jsonl"),
    ("geo", "geo/geowebnews.jsonl"),
    ("quotes", "quotes/polnear-dev.jsonl"),
    ("casualties", "casualties/gva-dev.jsonl"),
    ("fivew1h", "fivew1h/giveme5w1h-dev.jsonl"),
    ("templates", "templates/muc4-dev.jsonl"),
    ("stories", "stories/giveme5w1h-newscluster.jsonl"),
    ("stories-embed", "stories/giveme5w1h-newscluster.jsonl"),
    ("summaries", "summaries/bbc-news-summary.jsonl"),
)


#: Sets ``eval-all`` derives on the fly from a dev set (no such file exists), as (task, name).
DERIVED_SETS: tuple[tuple[str, str], ...] = (
    ("stories", "stories/gva-pairs-heldout (derived)"),
    ("stories-embed", "stories/gva-pairs-heldout (derived)"),
)


def get_task(name: str) -> Task:
    """The task called ``name``; E009 when there is none."""
    known = tasks()
    if name not in known:
        raise StorylineError("E009", task=name, choices=", ".join(known))
    return known[name]


def listing(messages: Sequence[str]) -> dict[str, Any]:
    """Messages for a report: how many, and the first few."""
    return {"count": len(messages), "examples": list(messages[:MAX_EXAMPLES])}


@dataclass
class SystemResult:
    """One system's scores on one task: Storyline or a baseline."""

    name: str
    metrics: dict[str, float | None]
    counts: dict[str, int] = field(default_factory=dict)
    per_doc: list[dict[str, Any]] = field(default_factory=list)
    issues: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    available: bool = True
    note: str | None = None

    def to_json(self, per_doc: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "available": self.available,
            "metrics": self.metrics,
            "counts": self.counts,
            "data_issues": self.issues,
            "failures": listing(self.failures),
            "seconds": round(self.seconds, 1),
        }
        if self.note:
            data["note"] = self.note
        if per_doc:
            data["per_doc"] = self.per_doc
        return data


@dataclass
class TaskResult:
    """Storyline (and optionally its baseline) on the documents of some files."""

    task: str
    files: list[str]
    n_docs: int
    storyline: SystemResult
    baseline: SystemResult | None = None
    read_problems: list[str] = field(default_factory=list)

    def to_json(self, per_doc: bool = True) -> dict[str, Any]:
        """The ``--json`` output: the task, files and Storyline's metrics at the top, the rest below."""
        data: dict[str, Any] = {
            "task": self.task,
            "files": self.files,
            "n_docs": self.n_docs,
            "metrics": self.storyline.metrics,
            "storyline_available": self.storyline.available,
            "counts": self.storyline.counts,
            "data_issues": self.storyline.issues,
            "read_problems": listing(self.read_problems),
            "analysis_failures": listing(self.storyline.failures),
            "seconds": round(self.storyline.seconds, 1),
        }
        if self.storyline.note:
            data["note"] = self.storyline.note
        if per_doc:
            data["per_doc"] = self.storyline.per_doc
        if self.baseline is not None:
            data["baseline"] = self.baseline.to_json(per_doc=per_doc)
        return data


def _result(name: str, scored: Scored, failures: list[str], seconds: float) -> SystemResult:
    return SystemResult(
        name, scored.metrics, scored.counts, scored.per_doc, scored.issues.to_json(), failures, seconds
    )


def run_storyline(
    task: Task, docs: Sequence[GoldDoc], batch_size: int = DEFAULT_BATCH_SIZE, n_process: int = 1
) -> SystemResult:
    """Analyse the documents with the task's stages and score Storyline's output."""
    from storyline.evaluate import stories
    from storyline.pipeline import analyze_many, load
    from storyline.stories import embedding

    started = time.perf_counter()
    unavailable = None
    if task.adapt is None and not stories.is_available():
        unavailable = stories.UNAVAILABLE
    elif task.name == "stories-embed" and not embedding.available():
        unavailable = "the embed extra is not installed (pip install 'storyline[embed]')"
    if unavailable is not None:
        return SystemResult(
            STORYLINE, dict.fromkeys(task.metrics), available=False, note=f"not available: {unavailable}"
        )
    nlp = load(stages=task.stages)
    failures: list[str] = []
    preds: list[Any] = []
    analyses: list[Analysis] = []
    results = analyze_many(nlp, (doc.article for doc in docs), batch_size=batch_size, n_process=n_process)
    for doc, result in zip(docs, results, strict=True):
        if isinstance(result, Problem):
            failures.append(f"{doc.where}: {result}")
            analysis = Analysis(article=doc.article)  # scored as an article where nothing was found
        else:
            analysis = result
        if task.adapt is not None:
            preds.append(task.adapt(analysis))
        else:
            analyses.append(analysis)
    if task.adapt is None:
        scorer = "learned" if task.name == "stories-embed" else "weighted"
        clusters = stories.storyline_clusters(analyses, scorer=scorer)
        preds = clusters if clusters is not None else []
    scored = task.score(docs, preds)
    return _result(STORYLINE, scored, failures, time.perf_counter() - started)


def run_baseline(task: Task, docs: Sequence[GoldDoc]) -> SystemResult:
    """Run and score the task's baseline on the documents."""
    started = time.perf_counter()
    issues = DataIssues()
    preds = baselines.run(task.name, docs, issues)
    scored = task.score(docs, preds)
    scored.issues.merge(issues)  # what the baseline itself failed on, beside the gold's issues
    return _result(task.baseline, scored, [], time.perf_counter() - started)


def evaluate(
    task_name: str,
    files: Sequence[str | Path],
    *,
    limit: int | None = None,
    baseline: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
) -> TaskResult:
    """Read the files, score Storyline (and the named baseline) on the task."""
    task = get_task(task_name)
    if baseline is not None:
        baselines.check(task.name, baseline)
    corpus = load_corpus(files, limit)
    names = [str(path) for path in files]
    if not corpus.docs:
        details = "; ".join(str(p) for p in corpus.problems[:3])
        raise StorylineError("E068", files=", ".join(names) + (f" ({details})" if details else ""))
    return TaskResult(
        task=task.name,
        files=names,
        n_docs=len(corpus.docs),
        storyline=run_storyline(task, corpus.docs, batch_size, n_process),
        baseline=run_baseline(task, corpus.docs) if baseline is not None else None,
        read_problems=problem_messages(corpus.problems),
    )


def _dev_job(task: str, path: str, limit: int | None, batch_size: int) -> TaskResult:
    try:
        return evaluate(
            task, [path], limit=limit, baseline=baselines.baseline_name(task), batch_size=batch_size
        )
    except StorylineError as exc:  # its keyword fields do not survive the trip back from a worker
        raise RuntimeError(str(exc)) from None


def evaluate_all(
    data_dir: Path,
    *,
    limit: int | None = None,
    jobs: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[str, str, TaskResult], None] | None = None,
) -> dict[tuple[str, str], TaskResult]:
    """Every dev set (:data:`DEV_SETS`, then :data:`DERIVED_SETS`): Storyline and its baseline, ``jobs``
    worker processes at a time.

    Keys are (task, path relative to ``data_dir``). The largest files start first so the workers end
    together. A missing file is E061. A derived set is written to a temporary folder first
    (:func:`storyline.evaluate.stories.write_derived`).
    """
    import tempfile

    from storyline.evaluate import stories

    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as scratch:
        return _evaluate_all(
            data_dir,
            Path(scratch),
            stories.write_derived,
            limit=limit,
            jobs=jobs,
            batch_size=batch_size,
            progress=progress,
        )


def _evaluate_all(
    data_dir: Path,
    scratch: Path,
    derive: Callable[[str, Path, Path], Path],
    *,
    limit: int | None,
    jobs: int,
    batch_size: int,
    progress: Callable[[str, str, TaskResult], None] | None,
) -> dict[tuple[str, str], TaskResult]:
    todo = []
    for task, relative in (*DEV_SETS, *DERIVED_SETS):
        derived = (task, relative) in DERIVED_SETS
        file = derive(relative, data_dir, scratch) if derived else data_dir / relative
        if not file.is_file():
            raise StorylineError("E061", path=file, task=task, expected=relative)
        todo.append((file.stat().st_size, task, relative, str(file)))
    todo.sort(reverse=True)
    results: dict[tuple[str, str], TaskResult] = {}
    if jobs <= 1:
        for _, task, relative, path in todo:
            results[task, relative] = _dev_job(task, path, limit, batch_size)
            if progress is not None:
                progress(task, relative, results[task, relative])
    else:
        context = multiprocessing.get_context("spawn")  # a clean interpreter per worker, no forked state
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {
                pool.submit(_dev_job, task, path, limit, batch_size): (task, relative)
                for _, task, relative, path in todo
            }
            for future in as_completed(futures):
                key = futures[future]
                results[key] = future.result()
                if progress is not None:
                    progress(*key, results[key])
    order = [*DEV_SETS, *DERIVED_SETS]
    return {key: results[key] for key in sorted(results, key=order.index)}
