"""RSS and Atom feeds saved to disk (``.rss``, ``.atom``, optionally ``.gz``/``.bz2``).

A generic ``.xml`` file is not taken for a feed (it may be anything); rename it or call :func:`read_feed`.

Each entry with a body (``content``, else ``summary``) becomes one article: its link is the url
(and so the id), its ``published`` (else ``updated``) date the publication date, the feed's title the
source. feedparser is only ever given bytes, never a url, so nothing is fetched. Entry bodies are
HTML fragments; they become paragraphs separated by blank lines, like every other input.

A feed is one XML document and is parsed whole, but it is read at most ``MAX_FEED_BYTES`` deep:
a larger file is reported rather than loaded.
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from storyline.errors import Problem
from storyline.ingest._files import check_published
from storyline.ingest.base import ReadResult, make_article
from storyline.ingest.warc import open_stream

FEED_SUFFIXES = (".rss", ".atom")
MAX_FEED_BYTES = 64 * 1024 * 1024
#: Block elements that end a paragraph when an HTML fragment is turned into text.
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section"}


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (or plain text) as paragraphs separated by a blank line."""
    if "<" not in fragment:
        paragraphs = [" ".join(p.split()) for p in fragment.split("\n\n")]
        return "\n\n".join(p for p in paragraphs if p)
    import lxml.html  # type: ignore[import-untyped]

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on broken markup: keep the text as given
        return " ".join(fragment.split())
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n\n" + (element.text or "")
    text: str = root.text_content()
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _iso(parsed: Any) -> str | None:
    if not isinstance(parsed, time.struct_time):
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC).isoformat().replace("+00:00", "Z")


def _string(entry: Mapping[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def entry_article(
    entry: Mapping[str, Any], where: str, *, feed_title: str | None, published: str | None, source: str | None
) -> ReadResult:
    """One feed entry as an Article, or Problem E126 when it has no text."""
    body: str | None = None
    contents = entry.get("content")
    if isinstance(contents, list):
        body = "\n\n".join(c.get("value", "") for c in contents if isinstance(c, Mapping)) or None
    if not body:
        body = _string(entry, "summary")
    offset = where.rsplit("@", 1)[-1]
    if not body:
        return Problem(
            "E126", where, path=where.rsplit("@", 1)[0], offset=offset, reason="no content or summary"
        )
    text = fragment_text(body)
    if not text:
        return Problem("E126", where, path=where.rsplit("@", 1)[0], offset=offset, reason="empty text")
    date = _iso(entry.get("published_parsed")) or _iso(entry.get("updated_parsed"))
    return make_article(
        text,
        url=_string(entry, "link"),
        title=_string(entry, "title"),
        published=date or published,
        source=feed_title or source,
        author=_string(entry, "author"),
    )


def read_feed(
    path: str | Path, *, published: str | None = None, source: str | None = None
) -> Iterator[ReadResult]:
    """Yield one Article (or Problem) per entry of a saved RSS/Atom feed, in document order.

    ``source`` given by the caller wins over the feed's title (it names the publisher, which a feed
    title often does not); offsets in Problems are entry numbers from 0.
    """
    import feedparser

    check_published(published)
    file = Path(path)
    shown = str(file)
    try:
        with open_stream(file) as stream:
            data = stream.read(MAX_FEED_BYTES + 1)
    except (OSError, EOFError, ValueError) as exc:
        yield Problem("E125", shown, path=shown, reason=str(exc) or type(exc).__name__)
        return
    if len(data) > MAX_FEED_BYTES:
        yield Problem(
            "E123", f"{shown}@0", path=shown, offset=0, size=f"> {MAX_FEED_BYTES}", limit=MAX_FEED_BYTES
        )
        return
    if not data.strip():
        yield Problem("E002", shown, path=shown)
        return
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        reason = str(parsed.get("bozo_exception") or "no entries")
        yield Problem("E125", shown, path=shown, reason=reason[:200])
        return
    feed_title = source or _string(parsed.get("feed", {}), "title")
    for number, entry in enumerate(entries):
        yield entry_article(
            entry, f"{shown}@{number}", feed_title=feed_title, published=published, source=source
        )
