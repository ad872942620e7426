"""Storyline: turn news articles into sourced knowledge.

>>> from storyline import analyze
>>> analysis = analyze("Twelve people were killed in Berlin on Monday.", published="2016-12-23")
>>> analysis.article.published
'2016-12-23'
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.model import Analysis, Article

if TYPE_CHECKING:
    from spacy.language import Language

__version__ = "0.1.0"
__all__ = ["Analysis", "Article", "__version__", "analyze", "get_nlp"]


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The full pipeline, loaded once per process."""
    from storyline.pipeline import load

    return load()


def analyze(
    text: str,
    published: str | None = None,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Analysis:
    """Analyse one article. For many articles use :func:`storyline.pipeline.analyze_many`."""
    from storyline.errors import Problem
    from storyline.ingest.base import make_article
    from storyline.pipeline import analyze_many

    article = make_article(text=text, published=published, source=source, title=title, url=url)
    (result,) = analyze_many(get_nlp(), [article])
    if isinstance(result, Problem):
        raise result
    return result
