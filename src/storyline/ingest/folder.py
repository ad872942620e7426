"""Any mix of files, folders and standard input: dispatch each file to its reader by suffix.

This is what ``storyline extract`` and ``storyline ingest`` call. It never stops at a bad input:
an unreadable, empty, binary or unsupported file is one Problem naming it, and the rest are read.
Folders are walked recursively in sorted order so that two runs over the same tree yield the same
sequence (and so the same ids in the same order in the store and in exports).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storyline.errors import Problem
from storyline.ingest._files import check_published, format_suffix, io_problem
from storyline.ingest.base import ReadResult
from storyline.ingest.feeds import FEED_SUFFIXES, read_feed
from storyline.ingest.html import read_html
from storyline.ingest.tabular import TABULAR_SUFFIXES, read_tabular
from storyline.ingest.text import STDIN_NAME, read_text, text_article
from storyline.ingest.urls import URL_LIST_SUFFIXES, read_url_list
from storyline.ingest.warc import WARC_SUFFIXES, data_suffix, read_warc

STDIN = "-"

_Reader = Callable[..., Iterator[ReadResult]]

#: The reader of every supported format, by the suffix that names it (``.gz`` looked through).
READERS: dict[str, _Reader] = {
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
    **dict.fromkeys(TABULAR_SUFFIXES, read_tabular),
    # Archives, feeds and URL lists (issue 9); their names may also end in .bz2.
    **dict.fromkeys(WARC_SUFFIXES, read_warc),
    **dict.fromkeys(FEED_SUFFIXES, read_feed),
    **dict.fromkeys(URL_LIST_SUFFIXES, read_url_list),
}

#: Formats whose readers also decompress ``.bz2`` (the others look through ``.gz`` only).
BZ2_SUFFIXES = (*WARC_SUFFIXES, *FEED_SUFFIXES, *URL_LIST_SUFFIXES)

#: Files that sit next to data in a folder but are not articles: skipped in folders without a word.
#: ``LICENSE*``/``README*`` as such files are spelled (upper case, or capitalised), as a whole word:
#: ``LICENSE``, ``LICENSE-wikinews.md``, ``Readme.txt``, but not ``license-plate-fraud.txt``.
_SKIPPED_NAME = re.compile(r"^(?:LICEN[CS]E|README|COPYING|Licen[cs]e|Readme)(?![A-Za-z])")
_SKIPPED_SUFFIXES = (".md",)


def is_skipped(name: str) -> bool:
    """Whether a folder walk passes over this file or folder name silently.

    Hidden entries (``.git``, ``.DS_Store``), licences, READMEs and Markdown notes are what a
    data folder usually carries besides its articles; reporting each as unsupported would bury the
    real problems. A file named explicitly is never skipped.
    """
    if name.startswith("."):
        return True
    if _SKIPPED_NAME.match(name):
        return True
    return format_suffix(Path(name)) in _SKIPPED_SUFFIXES


def _is_dir(path: Path) -> bool:
    """Whether ``path`` is a folder, never raising.

    ``Path.is_dir`` raises on some OS errors (a permission denied on a parent); such a path counts as
    a file, so that reading it reports the error as a Problem instead of ending the whole run.
    """
    try:
        return path.is_dir()
    except OSError:
        return False


def walk(folder: Path) -> Iterator[Path | Problem]:
    """The files under ``folder``, depth first, entries of each folder in name order.

    A folder reached twice through symbolic links is walked once, so a link cycle cannot loop;
    a folder that cannot be listed is one Problem.
    """
    seen: set[str] = set()

    def visit(current: Path) -> Iterator[Path | Problem]:
        real = os.path.realpath(current)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(current.iterdir(), key=lambda entry: entry.name)
        except OSError as exc:
            yield io_problem(current, exc)
            return
        for entry in entries:
            if is_skipped(entry.name):
                continue
            if _is_dir(entry):
                yield from visit(entry)
            else:
                yield entry

    yield from visit(folder)


def read_file(
    path: str | Path, *, published: str | None = None, source: str | None = None
) -> Iterator[ReadResult]:
    """The articles of one file, by its suffix; an unsupported suffix is Problem E004."""
    file = Path(path)
    suffix = data_suffix(file)  # like format_suffix, and looks through .bz2 too
    reader = READERS.get(suffix)
    if file.name.lower().endswith(".bz2") and suffix not in BZ2_SUFFIXES:
        reader = None  # only the archive, feed and URL-list readers decompress bzip2
    if reader is None:
        shown = suffix or "".join(file.suffixes[-2:]) or file.name
        return iter([Problem("E004", str(file), path=str(file), suffix=shown)])
    return reader(file, published=published, source=source)


def _read_stdin(published: str | None, source: str | None) -> ReadResult:
    """Standard input, read as one plain-text article."""
    try:
        data = sys.stdin.buffer.read()
    except (OSError, AttributeError) as exc:
        return Problem("E001", STDIN_NAME, path=STDIN_NAME, reason=str(exc) or type(exc).__name__)
    return text_article(data, STDIN_NAME, published=published, source=source)


def _read_all(paths: Iterable[str | Path], published: str | None, source: str | None) -> Iterator[ReadResult]:
    for item in paths:
        if str(item) == STDIN:
            yield _read_stdin(published, source)
            continue
        path = Path(item)
        if _is_dir(path):
            for found in walk(path):
                if isinstance(found, Problem):
                    yield found
                else:
                    yield from read_file(found, published=published, source=source)
        elif not os.path.lexists(path):
            yield Problem("E001", str(path), path=str(path), reason="No such file or directory")
        else:
            yield from read_file(path, published=published, source=source)


def read_paths(
    paths: Iterable[str | Path] | str | Path, *, published: str | None = None, source: str | None = None
) -> Iterator[ReadResult]:
    """Read files, folders and ``-`` (standard input, as text) in order, yielding Articles and Problems.

    ``published`` and ``source`` apply to every article whose input does not carry its own (a text
    file never does; a record or an HTML page may). A bad ``published`` raises E006 here, at the
    call, before anything is read; everything else that goes wrong is a yielded Problem.
    Reading is lazy: nothing is opened until the result is iterated, one file at a time.
    """
    check_published(published)
    if isinstance(paths, str | Path):  # one path given bare: a str is also an Iterable of characters
        paths = [paths]
    return _read_all(paths, published, source)
