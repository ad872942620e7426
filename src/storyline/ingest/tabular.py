"""Many articles per file: JSON Lines, a JSON list of records, and CSV.

The record shape is that of ../shared/data/FORMAT.md: ``id``, ``title``, ``published``, ``url``,
``text``, plus ``gold`` and ``meta`` (kept on :class:`Record` for the evaluation harness, ignored by
the Article) and optionally ``source``, ``author`` and ``language``. CSV files use the same names as
columns; other columns go to ``meta``.

JSONL and CSV are streamed a line at a time (a corpus may be far larger than memory), each line
decoded on its own, so that a bad line (invalid JSON or UTF-8, a missing ``text``, a wrong date) is
one Problem E003 naming ``path:line`` and reading goes on with the next. A ``.json`` file is one
document and is parsed whole.
"""

from __future__ import annotations

import codecs
import csv
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import Errors, Problem, StorylineError
from storyline.ingest._files import (
    READ_ERRORS,
    check_published,
    format_suffix,
    io_problem,
    is_iso_published,
    open_binary,
    read_all,
)
from storyline.ingest.base import ReadResult, make_article
from storyline.model import Article

JSONL_SUFFIXES = (".jsonl",)
JSON_SUFFIXES = (".json",)
CSV_SUFFIXES = (".csv",)
TABULAR_SUFFIXES = (*JSONL_SUFFIXES, *JSON_SUFFIXES, *CSV_SUFFIXES)

#: Keys of a record that become Article fields; anything else in a CSV row goes to ``meta``.
ARTICLE_KEYS = ("id", "url", "title", "published", "source", "author", "language", "text")
_OPTIONAL_STRINGS = ("url", "title", "source", "author", "language")

#: The csv module refuses fields over 128 KiB by default; an article body can be longer.
_CSV_FIELD_LIMIT = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a data file: the Article, and what the evaluation harness needs besides it.

    ``gold`` and ``meta`` are the record's own objects (empty when absent); ``line`` is the 1-based
    line where the record starts (for ``.json``, its position in the list), so a score or an error
    can point back at it. Not to be confused with :class:`storyline.model.Record`, the base of the
    output models.
    """

    article: Article
    gold: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    line: int = 0


class _MalformedError(ValueError):
    """Why one record cannot become an Article; becomes Problem E003 with the file and line."""


def _optional_string(obj: Mapping[str, Any], key: str) -> str | None:
    """A string field or None; FORMAT.md says missing is null, but "" is read as missing too."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _MalformedError(f"{key!r} must be a string or null, not {type(value).__name__}")
    return value


def _object_field(obj: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _MalformedError(f"{key!r} must be an object, not {type(value).__name__}")
    return value


def _build(
    obj: object,
    line: int,
    *,
    published: str | None,
    source: str | None,
    extra_meta: Mapping[str, Any] | None = None,
) -> Record:
    """Turn one decoded record into a :class:`Record`, or raise :class:`_MalformedError` saying why.

    The record's own ``published`` and ``source`` win; the caller's values only fill in what it lacks.
    """
    if not isinstance(obj, dict):
        raise _MalformedError(f"expected an object, not {type(obj).__name__}")
    if "text" not in obj or obj["text"] is None:
        raise _MalformedError("no 'text'")
    text = obj["text"]
    if not isinstance(text, str):
        raise _MalformedError(f"'text' must be a string, not {type(text).__name__}")
    if not text.strip():
        raise _MalformedError("'text' is empty")
    own_id = obj.get("id")
    if isinstance(own_id, int) and not isinstance(own_id, bool):
        own_id = str(own_id)
    elif own_id is not None and not isinstance(own_id, str):
        raise _MalformedError(f"'id' must be a string or null, not {type(own_id).__name__}")
    own_published = _optional_string(obj, "published")
    if own_published is not None and not is_iso_published(own_published):
        raise _MalformedError(f"'published': {Errors.E006.format(value=own_published)}")
    fields = {key: _optional_string(obj, key) for key in _OPTIONAL_STRINGS}
    meta = _object_field(obj, "meta")
    if extra_meta:
        meta = {**extra_meta, **meta}
    try:
        article = make_article(
            text,
            id=own_id or None,
            url=fields["url"],
            title=fields["title"],
            published=own_published or published,
            source=fields["source"] or source,
            author=fields["author"],
            language=fields["language"] or "en",
        )
    except StorylineError as exc:  # make_article's own date check; kept in case it grows stricter
        raise _MalformedError(str(exc)) from exc
    return Record(article=article, gold=_object_field(obj, "gold"), meta=meta, line=line)


def _malformed(path: Path, line: int, reason: str) -> Problem:
    return Problem("E003", f"{path}:{line}", path=str(path), line=line, reason=reason)


def _decode_line(raw: bytes, line: int) -> str:
    if line == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _MalformedError(f"not valid UTF-8 ({exc.reason} at byte {exc.start} of the line)") from exc


def read_jsonl(
    path: str | Path, *, published: str | None = None, source: str | None = None
) -> Iterator[Record | Problem]:
    """Stream the records of a JSON Lines file (``.jsonl`` or ``.jsonl.gz``), one line at a time.

    Blank lines are skipped; a file with no record at all is Problem E002. A corrupt or truncated
    gzip stream ends the file with one Problem after every record before the damage.
    """
    check_published(published)
    file = Path(path)
    seen = False
    try:
        with open_binary(file) as stream:
            for line, raw in enumerate(stream, start=1):
                if not raw.strip():
                    continue
                seen = True
                try:
                    obj = json.loads(_decode_line(raw, line))
                    yield _build(obj, line, published=published, source=source)
                except json.JSONDecodeError as exc:
                    yield _malformed(file, line, f"invalid JSON: {exc.msg} at column {exc.colno}")
                except _MalformedError as exc:
                    yield _malformed(file, line, str(exc))
    except READ_ERRORS as exc:
        yield io_problem(file, exc)
        return
    if not seen:
        yield Problem("E002", str(file), path=str(file))


def read_json(
    path: str | Path, *, published: str | None = None, source: str | None = None
) -> Iterator[Record | Problem]:
    """The records of a ``.json`` file holding one list of records (parsed whole: it is one document).

    ``Record.line`` and the Problems count records in the list from 1, as the file has no record lines.
    """
    check_published(published)
    file = Path(path)
    data = read_all(file)
    if isinstance(data, Problem):
        yield data
        return
    if not data.strip():
        yield Problem("E002", str(file), path=str(file))
        return
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield Problem("E008", str(file), path=str(file), reason=f"{exc.reason} at byte {exc.start}")
        return
    except json.JSONDecodeError as exc:
        yield _malformed(file, exc.lineno, f"invalid JSON: {exc.msg} at column {exc.colno}")
        return
    if not isinstance(document, list):
        yield Problem("E022", str(file), path=str(file), kind=type(document).__name__)
        return
    for number, obj in enumerate(document, start=1):
        try:
            yield _build(obj, number, published=published, source=source)
        except _MalformedError as exc:
            yield _malformed(file, number, str(exc))


def _csv_lines(stream: Iterable[bytes], bad: dict[int, str]) -> Iterator[str]:
    """Decode a CSV file line by line for the csv module, noting lines that are not UTF-8 in ``bad``.

    A bad line is passed on with replacement characters (so quoted fields spanning lines stay in
    step) and the row that contains it is reported instead of read.
    """
    for line, raw in enumerate(stream, start=1):
        try:
            yield _decode_line(raw, line)
        except _MalformedError as exc:
            bad[line] = str(exc)
            yield raw.decode("utf-8", "replace")


def read_csv(
    path: str | Path, *, published: str | None = None, source: str | None = None
) -> Iterator[Record | Problem]:
    """Stream the rows of a CSV file with a header row naming the columns (at least ``text``).

    Column names are matched case-insensitively; empty cells are missing values; columns that are
    not Article fields (``gold``/``meta`` included) are kept as strings in ``Record.meta``.
    """
    check_published(published)
    file = Path(path)
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(min(_CSV_FIELD_LIMIT, sys.maxsize))
    bad: dict[int, str] = {}
    header: list[str] | None = None
    try:
        with open_binary(file) as stream:
            reader = csv.reader(_csv_lines(stream, bad))
            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    yield _malformed(file, start, f"invalid CSV: {exc}")
                    continue
                end = reader.line_num
                damaged = [bad[n] for n in range(start, end + 1) if n in bad]
                if not row or not any(cell.strip() for cell in row):
                    continue
                if header is None:
                    header = [cell.strip().lower() for cell in row]
                    if "text" not in header:
                        columns = ", ".join(header)
                        yield Problem("E023", str(file), path=str(file), column="text", columns=columns)
                        return
                    continue
                if damaged:
                    yield _malformed(file, start, damaged[0])
                    continue
                if len(row) != len(header):
                    yield _malformed(file, start, f"expected {len(header)} fields, found {len(row)}")
                    continue
                cells = dict(zip(header, row, strict=True))
                obj = {key: cells.get(key) or None for key in ARTICLE_KEYS}
                extra = {key: value for key, value in cells.items() if key not in ARTICLE_KEYS and value}
                try:
                    yield _build(obj, start, published=published, source=source, extra_meta=extra)
                except _MalformedError as exc:
                    yield _malformed(file, start, str(exc))
    except READ_ERRORS as exc:
        yield io_problem(file, exc)
        return
    if header is None:
        yield Problem("E002", str(file), path=str(file))


def read_records(
    path: str | Path, *, published: str | None = None, source: str | None = None
) -> Iterator[Record | Problem]:
    """The records of a ``.jsonl``, ``.json`` or ``.csv`` file (each optionally gzipped), lazily.

    The entry point of the evaluation harness: every data set in ../shared/data reads through it
    as-is, ``gold`` and ``meta`` included. A suffix it does not know is Problem E004.
    """
    check_published(published)
    file = Path(path)
    suffix = format_suffix(file)
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(file, published=published, source=source)
    if suffix in JSON_SUFFIXES:
        return read_json(file, published=published, source=source)
    if suffix in CSV_SUFFIXES:
        return read_csv(file, published=published, source=source)
    return iter([Problem("E004", str(file), path=str(file), suffix=suffix or file.suffix)])


def read_tabular(
    path: str | Path, *, published: str | None = None, source: str | None = None
) -> Iterator[ReadResult]:
    """The articles of a ``.jsonl``/``.json``/``.csv`` file, for readers that need no gold."""
    for item in read_records(path, published=published, source=source):
        yield item.article if isinstance(item, Record) else item
