"""HTML pages: the article body and its metadata through trafilatura, offline.

trafilatura removes navigation, footers and comments and finds the title, author, publication date,
canonical url and site name in the page's own metadata. It is given the bytes of a local file and
never a url to fetch, so reading HTML touches no network.

The body is rebuilt as paragraphs separated by a blank line, the shape of the shared corpus
(../shared/data): the sentence splitter then sees paragraph boundaries, and HTML and JSONL inputs
of the same article give the same text. A headline that trafilatura repeats as the first line of
the body is dropped, because the title is analysed separately and would otherwise count twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from storyline.errors import Problem
from storyline.ingest._files import check_published, is_iso_published, read_all
from storyline.ingest.base import ReadResult, make_article

#: Fewer words than this is debris of broken markup or a bare navigation page, not an article.
MIN_BODY_WORDS = 5


def _extract(data: bytes) -> Mapping[str, Any] | None:
    """trafilatura's result as a mapping, whichever shape (Document or dict) the installed version returns."""
    import trafilatura  # deferred: importing it costs time that readers of other formats need not pay
    from trafilatura.settings import Document

    result = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
    )
    if result is None:
        return None
    if isinstance(result, Document):
        return result.as_dict()
    return result


def _field(meta: Mapping[str, Any], key: str) -> str | None:
    """A metadata field as a non-empty string, or None (trafilatura uses None and "" alike)."""
    value = meta.get(key)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _normalise(line: str) -> str:
    return " ".join(line.split()).casefold()


def body_text(extracted: str, title: str | None) -> str:
    """Paragraphs separated by a blank line, without a first line that only repeats the title."""
    lines = [line.strip() for line in extracted.splitlines()]
    paragraphs = [line for line in lines if line]
    if paragraphs and title and _normalise(paragraphs[0]) == _normalise(title):
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def html_article(
    data: bytes,
    where: str,
    *,
    published: str | None = None,
    source: str | None = None,
) -> ReadResult:
    """The article of one HTML page, or Problem E005 when no article body can be found in it.

    The page's own metadata wins; ``published`` and ``source`` fill in only what the page lacks
    (the same rule as for JSONL and CSV records). A date trafilatura finds but that is not ISO 8601
    is dropped rather than failing the page.
    """
    try:
        meta = _extract(data)
    except Exception:  # lxml and trafilatura raise many types on broken input: all mean "no article"
        meta = None
    raw = meta.get("text") if meta is not None else None
    if meta is None or not isinstance(raw, str):
        return Problem("E005", where, path=where)
    title = _field(meta, "title")
    text = body_text(raw, title)
    if len(text.split()) < MIN_BODY_WORDS:
        return Problem("E005", where, path=where)
    date = _field(meta, "date")
    if date is not None and not is_iso_published(date):
        date = None
    return make_article(
        text,
        url=_field(meta, "url"),
        title=title,
        published=date or published,
        source=_field(meta, "sitename") or source,
        author=_field(meta, "author"),
    )


def read_html(
    path: str | Path,
    *,
    published: str | None = None,
    source: str | None = None,
) -> Iterator[ReadResult]:
    """Yield the one article of an ``.html``/``.htm`` (or gzipped) file, or one Problem naming it."""
    check_published(published)
    file = Path(path)
    data = read_all(file)
    if isinstance(data, Problem):
        yield data
        return
    yield html_article(data, str(file), published=published, source=source)
