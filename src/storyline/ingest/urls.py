"""URL lists: pages saved to disk together with the url each was fetched from.

Format (``.urls``, optionally ``.gz``/``.bz2``), UTF-8, one page per line, tab-separated::

    # comment lines and blank lines are ignored
    <url> TAB <path> [TAB <published>]

``path`` is a saved HTML page (``.html``/``.htm``, gzip allowed) or plain text (``.txt``), relative to
the folder of the list file unless absolute; ``published`` (ISO 8601) is optional and wins over the
page's own date. The url always wins over the page's canonical link: it is what was fetched, and it
keys the article (its id is the sha256 of the url). Nothing is ever fetched from the url.

Each line is one record; a bad line (too few fields, a missing page, a bad date) is one Problem naming
``list:line`` and the rest go on. The list is streamed a line at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.errors import Problem
from storyline.ingest._files import check_published, format_suffix, is_iso_published, read_all
from storyline.ingest.base import ReadResult
from storyline.ingest.html import html_article
from storyline.ingest.text import text_article
from storyline.ingest.warc import MAX_RECORD_BYTES, open_stream, with_url
from storyline.model import Article

URL_LIST_SUFFIXES = (".urls",)


def _bad(path: str, line: int, reason: str) -> Problem:
    return Problem("E124", f"{path}:{line}", path=path, line=line, reason=reason)


def read_url_list(
    path: str | Path, *, published: str | None = None, source: str | None = None
) -> Iterator[ReadResult]:
    """Yield an Article (or Problem) for every line of a URL list, in order."""
    check_published(published)
    file = Path(path)
    shown = str(file)
    base = file.parent
    try:
        with open_stream(file) as stream:
            for line, raw in enumerate(stream, start=1):
                try:
                    text = raw.decode("utf-8-sig" if line == 1 else "utf-8").rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    yield _bad(shown, line, f"not valid UTF-8 ({exc.reason})")
                    continue
                if not text.strip() or text.lstrip().startswith("#"):
                    continue
                fields = text.split("\t")
                if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
                    yield _bad(shown, line, "expected <url> TAB <path> [TAB <published>]")
                    continue
                url, page = fields[0].strip(), fields[1].strip()
                date = fields[2].strip() if len(fields) > 2 and fields[2].strip() else None
                if date is not None and not is_iso_published(date):
                    yield _bad(shown, line, f"published {date!r} is not ISO 8601")
                    continue
                page_path = Path(page) if Path(page).is_absolute() else base / page
                yield _page(page_path, url, f"{shown}:{line}", date, published, source)
    except (OSError, EOFError, ValueError) as exc:
        yield Problem("E001", shown, path=shown, reason=str(exc) or type(exc).__name__)


def _page(  # noqa: PLR0917 - private helper, one call site
    page: Path, url: str, where: str, date: str | None, published: str | None, source: str | None
) -> ReadResult:
    try:
        size = page.stat().st_size
    except OSError as exc:
        return Problem("E001", where, path=str(page), reason=exc.strerror or str(exc))
    if size > MAX_RECORD_BYTES:
        return Problem("E123", where, path=str(page), offset=0, size=size, limit=MAX_RECORD_BYTES)
    data = read_all(page)
    if isinstance(data, Problem):
        return data
    if format_suffix(page) == ".txt":
        result = text_article(data, where, published=date or published, source=source)
    else:
        result = html_article(data, where, published=date or published, source=source)
    if isinstance(result, Article):
        if date is not None:
            result = result.model_copy(update={"published": date})
        result = with_url(result, url)
    return result
