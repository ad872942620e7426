"""Ingest bookkeeping: where each input stopped, every url an article was seen at, dedup fingerprints.

Why it lives beside the store rather than in a file of its own: a resumed ingest must agree with what
the store holds, so both are in the same database (and the same backups). The tables are created by
migration ``0002_ingest_progress``; they are declared here on the store's metadata.

* ``ingest_progress``: one row per input file, keyed by a hash of its path, size and mtime (a changed
  file is a new input). ``records_done`` counts the file's records (each Article or Problem a reader
  yields) whose outcome is committed, so a rerun skips exactly those and continues with the next.
  An ingest commits a batch of records' outcomes and their progress in one transaction
  (:meth:`Store.batch`), and outcomes are idempotent (upserts by article id, sources by a key of
  their values), so a crash can only make a rerun repeat the uncommitted batch, never duplicate rows.
* ``article_sources``: every (url, published) an article was seen at, first sighting first: an
  article syndicated under five urls, or captured three times at one url, is stored once with all.
* ``article_fingerprints``: the content hash and MinHash signature of every kept article, so a later
  ingest finds near-duplicates of what an earlier one stored.
* ``ingest_problems``: what was skipped or failed, per input record (a non-English article, a corrupt
  record), so a resumed run can report the whole input's problems.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from storyline.store.schema import Timestamp, metadata

if TYPE_CHECKING:
    from storyline.store.db import Store

ingest_progress = sa.Table(
    "ingest_progress",
    metadata,
    sa.Column("input_key", sa.Text, primary_key=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("mtime_ns", sa.BigInteger, nullable=False),
    sa.Column("records_done", sa.Integer, nullable=False),
    sa.Column("status", sa.Text, nullable=False),  # running | done
    sa.Column("updated_at", Timestamp, nullable=False),
)

article_sources = sa.Table(
    "article_sources",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),  # sha256 of article id, url and published
    sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.Text),
    sa.Column("first_seen", Timestamp, nullable=False),
    sa.Column("input", sa.Text),  # where it was read: path and record
    sa.Column("match", sa.Text, nullable=False),  # self | exact | near
    sa.Column("similarity", sa.Float),
    sa.Index(None, "article_id"),
    sa.Index(None, "url"),
)

article_fingerprints = sa.Table(
    "article_fingerprints",
    metadata,
    sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("minhash", sa.LargeBinary, nullable=False),
    sa.Index(None, "content_hash"),
)

ingest_problems = sa.Table(
    "ingest_problems",
    metadata,
    sa.Column("input_key", sa.Text, primary_key=True),
    sa.Column("record", sa.Integer, primary_key=True),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("location", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
)

INGEST_TABLES = (ingest_progress, article_sources, article_fingerprints, ingest_problems)


@dataclass(frozen=True, slots=True)
class InputFile:
    """An input file as the ledger knows it: a changed size or mtime makes it a new input."""

    key: str
    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> InputFile:
        stat = path.stat()
        resolved = str(path.resolve())
        basis = f"{resolved}\0{stat.st_size}\0{stat.st_mtime_ns}"
        return cls(hashlib.sha256(basis.encode()).hexdigest(), resolved, stat.st_size, stat.st_mtime_ns)


def source_key(article_id: str, url: str | None, published: str | None) -> str:
    return hashlib.sha256(f"{article_id}\0{url or ''}\0{published or ''}".encode()).hexdigest()


class Ledger:
    """Reads and writes the ingest tables of one :class:`Store`.

    Every write is its own transaction, or part of the store's open :meth:`Store.batch` (and then its
    reads see the batch's uncommitted rows): an ingest groups a record's outcome and its progress.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def records_done(self, item: InputFile) -> tuple[int, str | None]:
        """How many records of the input are committed, and its status (None if never seen)."""
        stmt = sa.select(ingest_progress.c.records_done, ingest_progress.c.status).where(
            ingest_progress.c.input_key == item.key
        )
        with self.store._read() as conn:
            row = conn.execute(stmt).first()
        return (0, None) if row is None else (int(row.records_done), str(row.status))

    def advance(self, item: InputFile, records_done: int, status: str = "running") -> None:
        """Record that the first ``records_done`` records of the input are committed."""
        now = datetime.now(UTC)
        values = {"records_done": records_done, "status": status, "updated_at": now}
        with self.store._write() as conn:
            updated = conn.execute(
                ingest_progress.update().where(ingest_progress.c.input_key == item.key), values
            )
            if updated.rowcount == 0:
                conn.execute(
                    ingest_progress.insert(),
                    {"input_key": item.key, "path": item.path, "size": item.size, "mtime_ns": item.mtime_ns}
                    | values,
                )

    def add_source(  # noqa: PLR0917 - the columns of one row
        self,
        article_id: str,
        url: str | None,
        published: str | None,
        where: str,
        match: str = "self",
        similarity: float | None = None,
    ) -> bool:
        """Record a sighting of an article; False (and nothing written) when it is already recorded."""
        key = source_key(article_id, url, published)
        with self.store._write() as conn:
            exists = conn.execute(sa.select(article_sources.c.id).where(article_sources.c.id == key)).first()
            if exists is not None:
                return False
            conn.execute(
                article_sources.insert(),
                {
                    "id": key,
                    "article_id": article_id,
                    "url": url,
                    "published": published,
                    "first_seen": datetime.now(UTC),
                    "input": where,
                    "match": match,
                    "similarity": similarity,
                },
            )
        return True

    def article_exists(self, article_id: str) -> bool:
        from storyline.store.schema import articles

        with self.store._read() as conn:
            return (
                conn.execute(sa.select(articles.c.id).where(articles.c.id == article_id)).first() is not None
            )

    def add_fingerprint(self, article_id: str, content_hash: str, minhash: bytes) -> None:
        with self.store._write() as conn:
            stmt = sa.select(article_fingerprints.c.article_id).where(
                article_fingerprints.c.article_id == article_id
            )
            values = {"content_hash": content_hash, "minhash": minhash}
            if conn.execute(stmt).first() is None:
                conn.execute(article_fingerprints.insert(), {"article_id": article_id} | values)
            else:
                conn.execute(
                    article_fingerprints.update().where(article_fingerprints.c.article_id == article_id),
                    values,
                )

    def fingerprints(self) -> Iterator[tuple[str, str, bytes]]:
        """(article id, content hash, MinHash bytes) of every kept article, oldest first."""
        stmt = sa.select(
            article_fingerprints.c.article_id,
            article_fingerprints.c.content_hash,
            article_fingerprints.c.minhash,
        ).order_by(article_fingerprints.c.article_id)
        with self.store._read() as conn:
            for row in conn.execute(stmt):
                yield str(row.article_id), str(row.content_hash), bytes(row.minhash)

    def add_problem(self, item: InputFile, record: int, code: str, location: str, message: str) -> None:
        with self.store._write() as conn:
            stmt = sa.select(ingest_problems.c.code).where(
                ingest_problems.c.input_key == item.key, ingest_problems.c.record == record
            )
            if conn.execute(stmt).first() is None:
                conn.execute(
                    ingest_problems.insert(),
                    {
                        "input_key": item.key,
                        "record": record,
                        "code": code,
                        "location": location,
                        "message": message,
                    },
                )
