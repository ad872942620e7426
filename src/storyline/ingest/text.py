"""Plain-text articles: one ``.txt`` file (or standard input) is one article, its content verbatim.

The content is kept exactly as it is (no stripping, no newline translation) because every offset in
an analysis counts into ``article.text``; a user who opens the file at offset 58 must find what the
analysis says is there. Only a leading UTF-8 byte order mark is dropped: it is an encoding marker,
not text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.errors import Problem
from storyline.ingest._files import check_published, nul_offset, read_all
from storyline.ingest.base import ReadResult, make_article

STDIN_NAME = "<stdin>"


def text_article(
    data: bytes,
    where: str,
    *,
    published: str | None = None,
    source: str | None = None,
    title: str | None = None,
) -> ReadResult:
    """The article held in the bytes of a text file, or the Problem that makes them unusable.

    ``where`` names the input in the Problem (a path or ``<stdin>``). A plain-text file carries no
    metadata, so the publication date, source and title come only from the caller.
    """
    offset = nul_offset(data)
    if offset is not None:
        return Problem("E020", where, path=where, offset=offset)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Problem("E008", where, path=where, reason=f"{exc.reason} at byte {exc.start}")
    if not text.strip():
        return Problem("E002", where, path=where)
    return make_article(text, title=title, published=published, source=source)


def read_text(
    path: str | Path,
    *,
    published: str | None = None,
    source: str | None = None,
    title: str | None = None,
) -> Iterator[ReadResult]:
    """Yield the one article of a ``.txt`` (or ``.txt.gz``) file, or one Problem naming the file.

    A generator like every reader, so that a folder of files is read one file at a time.
    """
    check_published(published)
    file = Path(path)
    data = read_all(file)
    if isinstance(data, Problem):
        yield data
        return
    yield text_article(data, str(file), published=published, source=source, title=title)
