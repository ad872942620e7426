"""WARC and ARC archives (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``, and ``.bz2`` of them).

Every HTTP response record holding HTML becomes one article through the same trafilatura path as a
saved page (:func:`storyline.ingest.html.html_article`); its url is the record's target URI (what was
fetched, not the page's canonical link), and its publication date is the date of the capture
(``WARC-Date``), which the article was certainly published by. Why not the page's own date: for pages
without date metadata trafilatura guesses one from the text (a year the story mentions), which is
worse than the capture date; the page's date is used only when the record has none (some ARC files).
Records that are not HTML responses (requests, metadata, images, robots.txt) are passed over
silently: a crawl is mostly those.

Streaming: warcio decompresses one record at a time (a ``.warc.gz`` is one gzip member per record),
and a payload is read at most ``MAX_RECORD_BYTES`` + 1 bytes deep, so memory stays bounded whatever
the archive's size. Every Problem names the file and the record's byte offset (``path@offset``);
truncated or corrupt data ends the file with one Problem (E121) after every record before it.
"""

from __future__ import annotations

import bz2
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

from storyline.errors import Problem
from storyline.ingest._files import check_published, is_iso_published
from storyline.ingest.base import ReadResult, article_id
from storyline.ingest.html import html_article
from storyline.model import Article

WARC_SUFFIXES = (".warc", ".arc")
COMPRESSED_SUFFIXES = (".gz", ".bz2")
#: An HTML payload over this size is reported (E123) and skipped, never read whole.
MAX_RECORD_BYTES = 8 * 1024 * 1024
_CHUNK = 64 * 1024


def data_suffix(path: PurePath) -> str:
    """The format suffix looking through ``.gz`` and ``.bz2``: ``x.warc.bz2`` -> ``.warc``."""
    name = path.name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return PurePath(name).suffix if name else ""


@contextmanager
def open_stream(path: Path, *, raw_gzip: bool = False) -> Iterator[io.BufferedIOBase]:
    """Open a file for streaming reads, decompressing ``.bz2`` and (unless ``raw_gzip``) ``.gz``."""
    import gzip

    name = path.name.lower()
    stream: io.BufferedIOBase
    if name.endswith(".bz2"):
        stream = bz2.open(path, "rb")  # noqa: SIM115 - closed below
    elif name.endswith(".gz") and not raw_gzip:
        stream = gzip.open(path, "rb")  # noqa: SIM115 - closed below
    else:
        stream = path.open("rb")
    try:
        yield stream
    finally:
        stream.close()


def _is_html(content_type: str | None) -> bool:
    if not content_type:
        return False
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml")


def with_url(article: Article, url: str) -> Article:
    """The article keyed by ``url`` (what was fetched), its id derived from it as for any input."""
    return article.model_copy(update={"url": url, "id": article_id(None, url, article.text)})


def warc_published(value: str | None) -> str | None:
    """The capture date of a WARC (ISO 8601) or ARC (``YYYYMMDDhhmmss``) record, as ISO 8601."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit() and len(value) >= 8:
        value = f"{value[:4]}-{value[4:6]}-{value[6:8]}"
    return value if is_iso_published(value) else None


def _read_limited(stream: Any, limit: int) -> bytes:
    """Up to ``limit`` + 1 bytes of a payload, in chunks (warcio's readers return short reads)."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_warc(
    path: str | Path,
    *,
    published: str | None = None,
    source: str | None = None,
    max_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[ReadResult]:
    """Yield an Article (or a Problem) for every HTML response record of a WARC/ARC file, in order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    check_published(published)
    file = Path(path)
    shown = str(file)
    offset = 0
    seen = False
    records: Any = None
    last: Any = None
    try:
        with open_stream(file, raw_gzip=True) as stream:
            # arc2warc only for ARC files: with it, warcio reads any text line as an ARC header.
            is_warc = data_suffix(file) == ".warc"
            records = ArchiveIterator(stream, arc2warc=not is_warc)
            for record in records:
                if _truncated(last) or records.err_count:
                    yield _cut(shown, offset)
                    return
                last = record
                offset = int(records.offset)  # where this record starts (get_record_offset reads it)
                where = f"{shown}@{offset}"
                if is_warc and not str(getattr(record, "format", "warc")).startswith("warc"):
                    reason = "not a WARC record (no WARC/1.x header)"
                    yield Problem("E121", where, path=shown, offset=offset, reason=reason)
                    return
                if record.rec_type != "response":
                    continue
                seen = True
                http = record.http_headers
                if http is None:
                    continue  # a response to a non-HTTP fetch (dns:, ftp:)
                if not _is_html(http.get_header("Content-Type")):
                    continue
                status = http.get_statuscode()
                if status != "200":
                    yield Problem("E122", where, path=shown, offset=offset, reason=f"HTTP status {status}")
                    continue
                data = _read_limited(record.content_stream(), max_bytes)
                records.read_to_end()
                if _truncated(record):
                    yield _cut(shown, offset)
                    return
                if len(data) > max_bytes:
                    yield Problem(
                        "E123", where, path=shown, offset=offset, size=f"> {max_bytes}", limit=max_bytes
                    )
                    continue
                if not data.strip():
                    yield Problem("E122", where, path=shown, offset=offset, reason="empty payload")
                    continue
                headers = record.rec_headers
                url = headers.get_header("WARC-Target-URI")
                date = warc_published(headers.get_header("WARC-Date"))
                result = html_article(data, where, published=published or date, source=source)
                if isinstance(result, Article):
                    if date is not None:
                        result = result.model_copy(update={"published": date})
                    if url:
                        result = with_url(result, url)
                yield result
    except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
        if records is not None:
            offset = int(records.offset)
        reason = str(exc).strip() or type(exc).__name__
        yield Problem("E121", f"{shown}@{offset}", path=shown, offset=offset, reason=reason[:200])
        return
    if _truncated(last) or (records is not None and records.err_count):
        yield _cut(shown, offset)
        return
    if not seen:
        yield Problem("E002", shown, path=shown)


def _truncated(record: Any) -> bool:
    """Whether a record's data ended before its Content-Length (warcio stops without an error)."""
    remaining = getattr(getattr(record, "raw_stream", None), "limit", 0)
    return isinstance(remaining, int) and remaining > 0


def _cut(shown: str, offset: int) -> Problem:
    reason = "a record ends before its Content-Length, or is not followed by a blank line"
    return Problem("E121", f"{shown}@{offset}", path=shown, offset=offset, reason=reason)
