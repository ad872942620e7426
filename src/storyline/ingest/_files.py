"""File access shared by the readers: transparent gzip, format suffixes, and OS errors as Problems.

Every reader reports a file it cannot read as a :class:`~storyline.errors.Problem` instead of raising,
so that one bad file in a folder of thousands costs one line in the report, not the whole run. The
helpers here are the single place where exceptions from the file system and from gzip become codes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath

from storyline.errors import Problem, StorylineError

GZIP_SUFFIX = ".gz"

#: What gzip raises on a corrupt or truncated stream (BadGzipFile is also an OSError: test it first).
_GZIP_ERRORS: tuple[type[BaseException], ...] = (gzip.BadGzipFile, EOFError, zlib.error)


def is_gzip(path: PurePath) -> bool:
    """Whether the file is gzip-compressed, judged by its name (``x.jsonl.gz``)."""
    return path.suffix.lower() == GZIP_SUFFIX


def format_suffix(path: PurePath) -> str:
    """The lower-cased suffix that names the format, looking through ``.gz``: ``x.JSONL.gz`` -> ``.jsonl``."""
    name = path.name.lower()
    if name.endswith(GZIP_SUFFIX):
        name = name[: -len(GZIP_SUFFIX)]
    return PurePath(name).suffix if name else ""


@contextmanager
def open_binary(path: Path) -> Iterator[io.BufferedIOBase]:
    """Open a file for binary reading, decompressing it on the fly when its name ends in ``.gz``.

    Decompression is streamed, so a multi-gigabyte ``.jsonl.gz`` is never held in memory.
    """
    stream: io.BufferedIOBase
    stream = gzip.open(path, "rb") if is_gzip(path) else path.open("rb")  # noqa: SIM115 - closed below
    try:
        yield stream
    finally:
        stream.close()


def io_problem(path: PurePath, exc: BaseException, where: str | None = None) -> Problem:
    """The Problem for an exception raised while opening or reading ``path``.

    A gzip failure gets its own code (E021) because "the file is truncated" is what the user has to
    fix; every other OS error (missing file, permission, a directory) is E001 with the OS's reason.
    """
    shown = str(path)
    if is_gzip(path) and isinstance(exc, _GZIP_ERRORS):
        return Problem("E021", where or shown, path=shown, reason=str(exc) or type(exc).__name__)
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        return Problem("E001", where or shown, path=shown, reason=reason)
    return Problem("E001", where or shown, path=shown, reason=str(exc) or type(exc).__name__)


#: Exceptions that reading a (possibly gzipped) file can raise; the readers turn them into Problems.
READ_ERRORS: tuple[type[BaseException], ...] = (OSError, *_GZIP_ERRORS)


def read_all(path: Path) -> bytes | Problem:
    """The whole content of a file (decompressed), or the Problem that stopped the read.

    Used for formats that hold one article per file (text, HTML), where the whole file is needed anyway.
    """
    try:
        with open_binary(path) as stream:
            return stream.read()
    except READ_ERRORS as exc:
        return io_problem(path, exc)


def is_iso_published(value: str) -> bool:
    """Whether ``value`` is an ISO 8601 date or date-time, as a publication date must be.

    Stricter than :func:`storyline.pipeline.parse_published`, which only looks at the first ten
    characters: a reader should refuse ``"2016-12-23 or so"`` rather than keep it as given.
    """
    try:
        dt.date.fromisoformat(value)
        return True
    except ValueError:
        pass
    try:
        dt.datetime.fromisoformat(value)
        return True
    except ValueError:
        return False


def check_published(value: str | None) -> None:
    """Raise E006 for a publication date option that is not ISO 8601.

    Called eagerly by the public entry points: a wrong ``--published`` is the caller's mistake, to be
    reported once before any file is read, not once per article.
    """
    if value is not None and not is_iso_published(value):
        raise StorylineError("E006", value=value)


def nul_offset(data: bytes) -> int | None:
    """The offset of the first NUL byte, if any: UTF-8 text never contains one, binary files do."""
    offset = data.find(b"\x00")
    return None if offset < 0 else offset
