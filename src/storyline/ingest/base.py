"""What every reader shares: the Article factory, ids and the result type of a read."""

from __future__ import annotations

import hashlib

from storyline.errors import Problem, StorylineError
from storyline.model import Article
from storyline.pipeline import parse_published

#: A reader yields articles, or problems for the records and files it could not read.
ReadResult = Article | Problem


def article_id(own_id: str | None, url: str | None, text: str) -> str:
    """The input's own id, else the sha256 of the url, else of the text (docs/design.md)."""
    if own_id:
        return own_id
    basis = url if url else text
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def make_article(
    text: str,
    *,
    id: str | None = None,  # the contract's key name (shadows the builtin on purpose)
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    author: str | None = None,
    language: str | None = "en",
) -> Article:
    """Build an Article, checking the publication date so a bad one fails here with a clear error."""
    if published is not None and parse_published(published) is None:
        raise StorylineError("E006", value=published)
    return Article(
        id=article_id(id, url, text),
        url=url,
        title=title,
        published=published,
        source=source,
        author=author,
        language=language,
        text=text,
    )
