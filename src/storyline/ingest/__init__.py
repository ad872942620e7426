"""Readers: files, folders and standard input in, Articles (and Problems for what failed) out.

One module per format (``text``, ``html``, ``tabular``), and :func:`read_paths` in ``folder``
that dispatches by suffix. Every reader is a generator yielding ``Article | Problem``: a batch
reports what it could not read and goes on, and nothing is read before it is needed.
"""

from __future__ import annotations

from storyline.ingest.base import ReadResult, article_id, make_article
from storyline.ingest.folder import read_file, read_paths
from storyline.ingest.html import read_html
from storyline.ingest.tabular import Record, read_records
from storyline.ingest.text import read_text

__all__ = [
    "ReadResult",
    "Record",
    "article_id",
    "make_article",
    "read_file",
    "read_html",
    "read_paths",
    "read_records",
    "read_text",
]
