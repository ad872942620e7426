"""The knowledge base on disk: ``Store`` upserts analyses and answers queries across articles.

Why upserts compare the whole analysis document: ingesting the same input twice must change nothing
(docs/design.md, Storage), and a rerun after a crash must resume cheaply. An article whose canonical
analysis JSON equals the stored one is "unchanged" and costs one indexed read, without taking a write
lock; anything else replaces the article row and every row derived from it in a single transaction,
so a crash leaves either the old analysis or the new one, never a mixture.

Why SQLAlchemy Core and hand-managed transactions on SQLite: the same statements run on PostgreSQL
(psycopg 3) for multi-machine ingests; SQLite needs two adjustments that are made in ``_tune_sqlite``:
Python's sqlite3 driver does not BEGIN before DDL or SELECT (so migrations would not be atomic and
reads not repeatable), and a deferred write transaction that finds another writer has committed
fails at once with SQLITE_BUSY rather than waiting, so writes begin with ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from pydantic import ValidationError
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from storyline.errors import Problem, StorylineError
from storyline.model import Analysis, Entity, Event, Quantity, Story, dump
from storyline.store import progress as _progress  # noqa: F401  (declares the ingest tables, migration 0002)
from storyline.store import search as fulltext
from storyline.store.schema import (
    ARTICLE_CHILDREN,
    articles,
    claims,
    entities,
    events,
    mentions,
    metadata,
    places,
    stories,
    story_articles,
    story_items,
    story_state,
    times,
)

#: Where the store lives when neither an argument nor ``STORYLINE_DB`` says.
DEFAULT_URL = "sqlite:///storyline.db"
ENV_VAR = "STORYLINE_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

UpsertResult = Literal["stored", "unchanged", "updated"]

#: Execution option that makes a SQLite transaction start with BEGIN IMMEDIATE (a write transaction).
_WRITE = "storyline_write"
#: PostgreSQL advisory lock key held while migrating (any constant unique to this application).
_MIGRATION_LOCK = 0x5354_4F52_594C_494E  # "STORYLIN"


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One article in a listing: its metadata and the size of its analysis."""

    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    language: str | None
    n_entities: int
    n_places: int
    n_claims: int
    n_events: int


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One story in a listing: its size and the publication dates of its first and last article."""

    id: str
    title: str | None
    n_articles: int
    first_published: str | None
    last_published: str | None
    updated_at: datetime


#: Story items deleted and inserted per statement: an ``IN`` list well under SQLite's limit of
#: 32,766 bound parameters, and a rebuild of many articles still in few statements.
ITEMS_PER_STATEMENT = 500
#: The key of the clustering's state in ``story_state``.
STORY_INDEX_KEY = "index"


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity name and the number of articles that mention it."""

    name: str
    articles: int


@dataclass(frozen=True, slots=True)
class PlaceCount:
    """A place and the number of articles that mention it; ``geonameid`` is None when unresolved."""

    name: str
    geonameid: int | None
    country: str | None
    articles: int


def resolve_url(url: str | None = None) -> str:
    """The database URL: the argument, else ``$STORYLINE_DB``, else ``sqlite:///storyline.db``."""
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


def search_rowid(article_id: str) -> int:
    """A stable non-negative 63-bit integer for an article id (the key of the SQLite FTS5 index).

    Derived from the id rather than allocated so that it needs no coordination between writers and
    survives VACUUM, dumps and copies. Two ids colliding (odds ~n²/2⁶⁴) would fail the second upsert
    on the unique index rather than corrupt the index.
    """
    digest = hashlib.sha256(article_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def canonical_json(analysis: Analysis) -> str:
    """The analysis as canonical JSON: sorted keys, no whitespace, so equal analyses give equal text.

    ``allow_nan=False``: NaN and infinity are not JSON and PostgreSQL's JSON types reject them.
    """
    return json.dumps(
        dump(analysis), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )


def story_state_json(state: dict[str, Any]) -> str:
    """The clustering's state as compact JSON text (NaN refused, as PostgreSQL would)."""
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic configuration for the packaged migrations, built in code (no alembic.ini).

    ``script_location`` is the ``migrations`` folder next to this module, so it works from an installed
    package as well as from a checkout.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _is_sqlite_memory(url: sa.URL) -> bool:
    return url.get_backend_name() == "sqlite" and (
        url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"
    )


#: Attempts, and the pause between them, to switch a new SQLite file to WAL while another
#: connection holds the lock: SQLite answers that switch with SQLITE_BUSY at once, without
#: consulting busy_timeout, so concurrent first opens must retry it themselves.
WAL_ATTEMPTS = 100
WAL_PAUSE_S = 0.05


def _set_wal(cursor: Any) -> None:
    import sqlite3
    import time

    for attempt in range(WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_ATTEMPTS - 1:
                raise
            time.sleep(WAL_PAUSE_S)


def _tune_sqlite(engine: Engine) -> None:
    """Foreign keys and WAL on every connection; SQLAlchemy, not the driver, emits BEGIN.

    WAL lets readers (the API, a search) proceed while an ingest writes. In-memory databases ignore it.
    """

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver must not BEGIN on its own
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            _set_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints; safe under WAL
            cursor.execute("PRAGMA busy_timeout = 30000")
        finally:
            cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """The Storyline database: articles with their analyses, queryable across articles.

    Opening a store migrates its schema to the newest revision, so a database made by an older
    version is upgraded in place and a new file is created ready to use.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        try:
            parsed = sa.make_url(self.url)
            if _is_sqlite_memory(parsed):
                # One shared connection: each new connection to ":memory:" would be a new, empty database.
                engine = sa.create_engine(
                    parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
                )
            else:
                engine = sa.create_engine(parsed)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise StorylineError("E040", url=self._safe_url(), reason=exc) from exc
        if engine.dialect.name == "sqlite":
            _tune_sqlite(engine)
        self.engine: Engine = engine
        self._writer: Engine = engine.execution_options(**{_WRITE: True})
        #: The open :meth:`batch` transaction of each thread (attribute ``conn``), if any.
        self._batched = threading.local()
        try:
            with engine.connect():  # an unreachable server or unwritable path fails here, as E040
                pass
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise StorylineError("E040", url=self._safe_url(), reason=exc) from exc
        try:
            self.migrate()
        except StorylineError:
            engine.dispose()
            raise

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the connections (an in-memory database is gone after this)."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({self._safe_url()!r})"

    def _safe_url(self) -> str:
        try:
            return sa.make_url(self.url).render_as_string(hide_password=True)
        except sa.exc.ArgumentError:
            return "<invalid database URL>"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction: committed on exit, rolled back on any exception.

        Inside :meth:`batch` (on the same thread) it is the batch's transaction instead, committed
        with the batch: that is what lets a caller group many writes without changing them.
        """
        joined = self._batch_connection()
        if joined is not None:
            yield joined
            return
        with self._writer.begin() as conn:
            yield conn

    def _batch_connection(self) -> Connection | None:
        """This thread's open batch transaction, if any."""
        conn: Connection | None = getattr(self._batched, "conn", None)
        return conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection to read with: the batch's, inside :meth:`batch`, so reads see its writes.

        Why not always a new connection: a batch's rows are uncommitted, invisible to other
        connections, and on in-memory SQLite (one shared DBAPI connection) closing a second
        Connection would roll the batch back.
        """
        joined = self._batch_connection()
        if joined is not None:
            yield joined
            return
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def batch(self) -> Iterator[Connection]:
        """One write transaction for every write made inside the block, committed at its end.

        Why: an ingest that commits each record in several transactions spends its time in commits
        (an fsync each on PostgreSQL); grouping a few dozen records in one transaction, with their
        progress, is as crash-safe (all or nothing) and far cheaper. Reads made through the store
        or its ledger inside the block see the batch's uncommitted rows. The batch belongs to the
        calling thread (other threads keep their own transactions); a nested ``batch()`` joins the
        outer one. On any exception everything written in the block is rolled back.
        """
        joined = self._batch_connection()
        if joined is not None:
            yield joined
            return
        with self._writer.begin() as conn:
            self._batched.conn = conn
            try:
                yield conn
            finally:
                self._batched.conn = None

    # -- schema ----------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Upgrade the database to the newest migration (a no-op when it is already there).

        Runs in one write transaction, so concurrent openers of a new database take turns and a failed
        migration leaves the previous schema (on SQLite and PostgreSQL, whose DDL is transactional).
        """
        try:
            with self._write() as conn:
                if conn.dialect.name == "postgresql":
                    # PostgreSQL has no BEGIN IMMEDIATE: without this lock two first openers would both
                    # CREATE TABLE and one would fail.
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
                command.upgrade(alembic_config(conn), "head")
        except (sa.exc.SQLAlchemyError, CommandError, OSError) as exc:
            # CommandError: e.g. the database was migrated by a newer Storyline (an unknown revision).
            raise StorylineError("E044", url=self._safe_url(), reason=exc) from exc

    def revision(self) -> str | None:
        """The migration revision the database is at (None before the first migration)."""
        with self._read() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    @staticmethod
    def head() -> str | None:
        """The newest migration revision shipped with this package."""
        return ScriptDirectory.from_config(alembic_config()).get_current_head()

    # -- writing ---------------------------------------------------------------------------------

    def upsert(self, analysis: Analysis) -> UpsertResult:
        """Store one article's analysis, keyed by its article id.

        Returns "stored" for a new article, "unchanged" when the stored analysis is identical (nothing
        is written), "updated" when the article row and all its derived rows were replaced. The
        replacement is one transaction: on any failure the previously committed state remains.
        """
        document = canonical_json(analysis)
        article_id = analysis.article.id
        with self._read() as conn:  # read-only fast path: reruns take no write lock
            if self._stored_document(conn, article_id) == document:
                return "unchanged"
        if self._batch_connection() is not None:
            # Inside a batch a failed statement has spoilt the whole transaction (PostgreSQL): no
            # retry here, the batch's owner redoes its records one by one.
            return self._replace(analysis, document)
        try:
            return self._replace(analysis, document)
        except sa.exc.IntegrityError:
            # On PostgreSQL two writers can both find the article missing and both insert it (SQLite's
            # BEGIN IMMEDIATE serialises them). If the article exists now, the loser retries once and
            # takes the update path; a genuine constraint violation fails again and propagates.
            with self._read() as conn:
                if self._stored_document(conn, article_id) is None:
                    raise
            return self._replace(analysis, document)

    def _replace(self, analysis: Analysis, document: str) -> UpsertResult:
        """Insert or replace one article and its projection, in one write transaction."""
        article_id = analysis.article.id
        with self._write() as conn:
            stored = self._stored_document(conn, article_id)  # again: another writer may have won
            if stored == document:
                return "unchanged"
            now = datetime.now(UTC)
            row = _article_row(analysis, document, now)
            if stored is None:
                conn.execute(articles.insert(), row)
                result: UpsertResult = "stored"
            else:
                for child in ARTICLE_CHILDREN:
                    conn.execute(child.delete().where(child.c.article_id == article_id))
                del row["created_at"]
                conn.execute(articles.update().where(articles.c.id == article_id), row)
                result = "updated"
            for table, rows in _child_rows(analysis):
                if rows:
                    conn.execute(table.insert(), rows)
        return result

    def upsert_many(
        self, analyses: Iterable[Analysis], *, errors: list[Problem] | None = None
    ) -> Counter[str]:
        """Upsert each analysis in its own transaction; returns how many were stored/unchanged/updated.

        Committing per article means a failure (or a crash) later in the batch loses nothing already
        stored, and a rerun skips what is unchanged. Without ``errors`` the first failure propagates;
        with a list, each failing article is appended to it as a :class:`Problem` (E041), counted
        as "failed", and the batch goes on.
        """
        counts: Counter[str] = Counter()
        for analysis in analyses:
            try:
                counts[self.upsert(analysis)] += 1
            except Exception as exc:
                if errors is None:
                    raise
                article = _article_id_of(analysis)
                errors.append(Problem("E041", where=article, article=article, reason=exc))
                counts["failed"] += 1
        return counts

    def delete(self, article_id: str) -> bool:
        """Delete an article and everything derived from it; False when there was no such article."""
        with self._write() as conn:
            for child in ARTICLE_CHILDREN:
                conn.execute(child.delete().where(child.c.article_id == article_id))
            deleted = conn.execute(articles.delete().where(articles.c.id == article_id))
            return deleted.rowcount > 0

    # -- stories ---------------------------------------------------------------------------------

    def put_story(self, story: Story) -> UpsertResult:
        """Store a ``storyline.story/1`` record and its article memberships, keyed by story id.

        Like :meth:`upsert`, a story equal to the stored one writes nothing ("unchanged", and its
        ``updated_at`` stays), so rebuilding the stories of a rerun changes nothing. The record's
        articles must be stored articles (``story_articles`` references them).
        """
        data = dump(story)
        members = {a.article: a.score for a in story.articles}
        with self._write() as conn:
            row = conn.execute(
                sa.select(stories.c.title, stories.c.data).where(stories.c.id == story.id)
            ).first()
            stored_members = {
                r.article_id: r.score
                for r in conn.execute(
                    sa.select(story_articles.c.article_id, story_articles.c.score).where(
                        story_articles.c.story_id == story.id
                    )
                )
            }
            if (
                row is not None
                and row.data == data
                and row.title == story.title
                and stored_members == members
            ):
                return "unchanged"
            now = datetime.now(UTC)
            values = {"title": story.title, "data": data, "updated_at": now}
            if row is None:
                conn.execute(stories.insert(), {"id": story.id, "created_at": now} | values)
            else:
                conn.execute(stories.update().where(stories.c.id == story.id), values)
            if stored_members != members:
                conn.execute(story_articles.delete().where(story_articles.c.story_id == story.id))
                if members:
                    conn.execute(
                        story_articles.insert(),
                        [{"story_id": story.id, "article_id": a, "score": s} for a, s in members.items()],
                    )
        return "stored" if row is None else "updated"

    def delete_story(self, story_id: str) -> bool:
        """Delete a story and its memberships (its articles stay); False when there was none."""
        with self._write() as conn:
            conn.execute(story_articles.delete().where(story_articles.c.story_id == story_id))
            return conn.execute(stories.delete().where(stories.c.id == story_id)).rowcount > 0

    def clear_stories(self) -> None:
        """Delete every story, membership and the clustering's state (before reclustering)."""
        with self._write() as conn:
            for table in (story_articles, stories, story_state, story_items):
                conn.execute(table.delete())

    def get_story(self, story_id: str) -> Story | None:
        """The stored ``storyline.story/1`` record of a story; None when unknown or stored without one."""
        with self._read() as conn:
            data = conn.execute(
                sa.select(stories.c.data).where(stories.c.id == story_id)
            ).scalar_one_or_none()
        if data is None:
            return None
        try:
            return Story.model_validate(data)
        except ValidationError as exc:
            raise StorylineError("E045", story=story_id, reason=exc) from exc

    def story_ids(self) -> list[str]:
        """Every stored story id, sorted."""
        with self._read() as conn:
            return [str(r) for r in conn.execute(sa.select(stories.c.id).order_by(stories.c.id)).scalars()]

    def list_stories(self, limit: int = 50, offset: int = 0, min_articles: int = 1) -> list[StoryRow]:
        """Stories of at least ``min_articles`` articles, the largest first, then the latest."""
        n = sa.func.count(story_articles.c.article_id).label("n_articles")
        first = sa.func.min(articles.c.published).label("first_published")
        last = sa.func.max(articles.c.published).label("last_published")
        sizes = (
            sa.select(story_articles.c.story_id, n, first, last)
            .join(articles, articles.c.id == story_articles.c.article_id)
            .group_by(story_articles.c.story_id)
            .having(n >= max(0, min_articles))
            .subquery()
        )
        stmt = (
            sa.select(
                stories.c.id,
                stories.c.title,
                stories.c.updated_at,
                sizes.c.n_articles,
                sizes.c.first_published,
                sizes.c.last_published,
            )
            .join(sizes, sizes.c.story_id == stories.c.id)
            .order_by(sizes.c.n_articles.desc(), sizes.c.last_published.desc().nulls_last(), stories.c.id)
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        with self._read() as conn:
            return [
                StoryRow(
                    id=r.id,
                    title=r.title,
                    n_articles=int(r.n_articles),
                    first_published=r.first_published,
                    last_published=r.last_published,
                    updated_at=r.updated_at,
                )
                for r in conn.execute(stmt)
            ]

    def story_state(self) -> dict[str, Any] | None:
        """The clustering's saved state (``StoryIndex.to_state()``); None before the first clustering."""
        with self._read() as conn:
            text = conn.execute(
                sa.select(story_state.c.state).where(story_state.c.key == STORY_INDEX_KEY)
            ).scalar_one_or_none()
        if text is None:
            return None
        try:
            state = json.loads(text)
        except json.JSONDecodeError as exc:
            raise StorylineError("E046", reason=exc) from exc
        if not isinstance(state, dict):
            raise StorylineError("E046", reason=f"a JSON {type(state).__name__}, not an object")
        return state

    def save_story_state(self, state: dict[str, Any] | str) -> None:
        """Save the clustering's state (a dict, or its JSON text), replacing the previous one."""
        text = state if isinstance(state, str) else story_state_json(state)
        now = datetime.now(UTC)
        with self._write() as conn:
            updated = conn.execute(
                story_state.update().where(story_state.c.key == STORY_INDEX_KEY),
                {"state": text, "updated_at": now},
            )
            if updated.rowcount == 0:
                conn.execute(story_state.insert(), {"key": STORY_INDEX_KEY, "state": text, "updated_at": now})

    def story_items(self) -> list[dict[str, Any]]:
        """The clustering's saved per-article items, in arrival order (E046 when one is not JSON)."""
        with self._read() as conn:
            rows = conn.execute(sa.select(story_items.c.data).order_by(story_items.c.seq)).scalars()
            texts = list(rows)
        try:
            return [json.loads(text) for text in texts]
        except json.JSONDecodeError as exc:
            raise StorylineError("E046", reason=f"a story item: {exc}") from exc

    def save_story_items(self, items: Sequence[Mapping[str, Any]]) -> None:
        """Save per-article items (``StoryIndex.unsaved_items()``), replacing an article's earlier one."""
        if not items:
            return
        rows = [
            {
                "article_id": str(item["article"]),
                "seq": int(item["seq"]),
                "data": story_state_json(dict(item)),
            }
            for item in items
        ]
        with self._write() as conn:
            for start in range(0, len(rows), ITEMS_PER_STATEMENT):
                chunk = rows[start : start + ITEMS_PER_STATEMENT]
                ids = [row["article_id"] for row in chunk]
                conn.execute(story_items.delete().where(story_items.c.article_id.in_(ids)))
                conn.execute(story_items.insert(), chunk)

    def article_ids(self) -> list[str]:
        """Every stored article id in the order they were first stored (then by id)."""
        with self._read() as conn:
            stmt = sa.select(articles.c.id).order_by(articles.c.created_at, articles.c.id)
            return [str(r) for r in conn.execute(stmt).scalars()]

    # -- reading ---------------------------------------------------------------------------------

    @staticmethod
    def _stored_document(conn: Connection, article_id: str) -> str | None:
        stmt = sa.select(articles.c.analysis).where(articles.c.id == article_id)
        value: str | None = conn.execute(stmt).scalar_one_or_none()
        return value

    def count(self, table: str) -> int:
        """Number of rows in one of the store's tables (by name)."""
        if table not in metadata.tables:
            raise StorylineError("E042", table=table, choices=", ".join(sorted(metadata.tables)))
        with self._read() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(metadata.tables[table])).scalar_one()
            )

    def counts(self) -> dict[str, int]:
        """Row counts of every table, by name."""
        with self._read() as conn:
            return {
                table.name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                for table in metadata.sorted_tables
            }

    def get_analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article, exactly as upserted; None when the article is unknown."""
        with self._read() as conn:
            document = self._stored_document(conn, article_id)
        if document is None:
            return None
        try:
            return Analysis.model_validate_json(document)
        except ValidationError as exc:
            raise StorylineError("E043", article=article_id, reason=exc) from exc

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[ArticleRow]:
        """Articles newest first (undated ones last), with the number of items found in each."""

        def n_of(table: sa.Table) -> sa.ScalarSelect[int]:
            return (
                sa.select(sa.func.count())
                .select_from(table)
                .where(table.c.article_id == articles.c.id)
                .scalar_subquery()
            )

        stmt = (
            sa.select(
                articles.c.id,
                articles.c.title,
                articles.c.published,
                articles.c.source,
                articles.c.url,
                articles.c.language,
                n_of(entities).label("n_entities"),
                n_of(places).label("n_places"),
                n_of(claims).label("n_claims"),
                n_of(events).label("n_events"),
            )
            .order_by(articles.c.published.desc().nulls_last(), articles.c.id)
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        with self._read() as conn:
            return [
                ArticleRow(
                    id=r.id,
                    title=r.title,
                    published=r.published,
                    source=r.source,
                    url=r.url,
                    language=r.language,
                    n_entities=r.n_entities,
                    n_places=r.n_places,
                    n_claims=r.n_claims,
                    n_events=r.n_events,
                )
                for r in conn.execute(stmt)
            ]

    def search(self, query: str, limit: int = 20) -> list[fulltext.SearchHit]:
        """Articles containing every word of ``query`` (title or text), best first; [] for an empty query.

        Any string is safe to pass: see :mod:`storyline.store.search`.
        """
        with self._read() as conn:
            return fulltext.search(conn, query, limit)

    def top_entities(self, label: str, n: int = 10) -> list[EntityCount]:
        """The ``n`` entity names with this label mentioned in the most articles."""
        n_articles = sa.func.count(sa.distinct(entities.c.article_id)).label("n_articles")
        stmt = (
            sa.select(entities.c.name, n_articles)
            .where(entities.c.label == label)
            .group_by(entities.c.name)
            .order_by(n_articles.desc(), entities.c.name)
            .limit(max(0, n))
        )
        with self._read() as conn:
            return [EntityCount(name=r.name, articles=r.n_articles) for r in conn.execute(stmt)]

    def top_places(self, n: int = 10) -> list[PlaceCount]:
        """The ``n`` places mentioned in the most articles (a resolved place counts by GeoNames id)."""
        n_articles = sa.func.count(sa.distinct(places.c.article_id)).label("n_articles")
        stmt = (
            sa.select(places.c.name, places.c.geonameid, places.c.country, n_articles)
            .group_by(places.c.name, places.c.geonameid, places.c.country)
            .order_by(n_articles.desc(), places.c.name)
            .limit(max(0, n))
        )
        with self._read() as conn:
            return [
                PlaceCount(name=r.name, geonameid=r.geonameid, country=r.country, articles=r.n_articles)
                for r in conn.execute(stmt)
            ]


# -- rows derived from an analysis ---------------------------------------------------------------


def _article_id_of(analysis: object) -> str:
    """The article id for an error report, even from a malformed object."""
    try:
        return str(analysis.article.id)  # type: ignore[attr-defined]
    except Exception:
        return "<unknown article>"


def _article_row(analysis: Analysis, document: str, now: datetime) -> dict[str, Any]:
    article = analysis.article
    return {
        "id": article.id,
        "search_rowid": search_rowid(article.id),
        "url": article.url,
        "title": article.title,
        "published": article.published,
        "source": article.source,
        "author": article.author,
        "language": article.language,
        "text": article.text,
        "content_hash": hashlib.sha256(article.text.encode("utf-8")).hexdigest(),
        "analysis": document,
        "schema_version": analysis.schema_,
        "created_at": now,
        "updated_at": now,
    }


def _child_rows(analysis: Analysis) -> list[tuple[sa.Table, list[dict[str, Any]]]]:
    """The projection rows of every child table, parents before children (the order to insert in)."""
    aid = analysis.article.id
    return [
        (entities, [_entity_row(aid, entity) for entity in analysis.entities]),
        (
            mentions,
            [
                {
                    "article_id": aid,
                    "entity_id": entity.id,
                    "seq": seq,
                    "start": span.start,
                    "end": span.end,
                    "text": span.text,
                    "field": span.field,
                    "kind": span.kind,
                }
                for entity in analysis.entities
                for seq, span in enumerate(entity.mentions)
            ],
        ),
        (
            places,
            [
                {
                    "article_id": aid,
                    "place_id": place.id,
                    "name": place.name,
                    "geonameid": place.geonameid,
                    "country": place.country,
                    "admin1": place.admin1,
                    "lat": place.lat,
                    "lon": place.lon,
                    "type": place.type,
                    "confidence": place.confidence,
                }
                for place in analysis.places
            ],
        ),
        (
            times,
            [
                {
                    "article_id": aid,
                    "time_id": time.id,
                    "start": time.span.start,
                    "end": time.span.end,
                    "text": time.span.text,
                    "type": time.type,
                    "value": time.value,
                    "granularity": time.granularity,
                }
                for time in analysis.times
            ],
        ),
        (
            claims,
            [
                {
                    "article_id": aid,
                    "claim_id": claim.id,
                    "kind": claim.kind,
                    "source_text": claim.source.text if claim.source else None,
                    "source_entity": claim.source.entity if claim.source else None,
                    "cue_start": claim.cue.start if claim.cue else None,
                    "cue_end": claim.cue.end if claim.cue else None,
                    "content_start": claim.content.start,
                    "content_end": claim.content.end,
                    "content_text": claim.content.text,
                    "channel": claim.channel,
                    "confidence": claim.confidence,
                }
                for claim in analysis.claims
            ],
        ),
        (events, [_event_row(aid, event) for event in analysis.events]),
    ]


def _entity_row(article_id: str, entity: Entity) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "entity_id": entity.id,
        "label": entity.label,
        "name": entity.name,
        "titles": list(entity.titles),
        "attributes": dict(entity.attributes),
        "n_mentions": len(entity.mentions),
        "confidence": entity.confidence,
    }


def _figure(quantity: Quantity | None) -> int | None:
    """One number for aggregates: the stated value, else the lower bound ("dozens" -> 24)."""
    if quantity is None:
        return None
    return quantity.value if quantity.value is not None else quantity.low


def _event_row(article_id: str, event: Event) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "event_id": event.id,
        "type": event.type,
        "mode": event.mode,
        "status": event.status,
        "when_value": event.when.value if event.when else None,
        "place_name": event.where.name if event.where else None,
        "lat": event.where.lat if event.where else None,
        "lon": event.where.lon if event.where else None,
        "killed": _figure(event.killed),
        "injured": _figure(event.injured),
        "confidence": event.confidence,
        "data": dump(event),
    }
