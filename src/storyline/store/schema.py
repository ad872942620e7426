"""The relational schema of the store, as SQLAlchemy Core tables.

Why two representations of one analysis: ``articles.analysis`` keeps the whole ``storyline.analysis/1``
document, which is the source of truth (``Store.get_analysis`` reads only it, so nothing is lost to
the flattening); the child tables (entities, mentions, places, times, claims, events) are a
flattened, indexed projection of it for queries across articles (top entities, events by type and
date, places on a map). The projection is rebuilt from the document on every changed upsert, so it
can never drift from it.

Why no database-specific types beyond a JSONB variant: the same metadata must create and describe the
schema on SQLite and PostgreSQL. The full-text index is the one part that differs (an FTS5 virtual
table on SQLite, a generated tsvector column on PostgreSQL); it is created by the migrations only and
left out of this metadata on purpose, see :func:`include_object`.

This metadata must agree with what the migrations build: ``tests/store/test_migrations.py`` compares
the two with Alembic's autogenerate. Change both together, in a new migration.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

#: Deterministic constraint and index names, so migrations can refer to them on every dialect.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

#: JSON documents: plain JSON (stored as text) on SQLite, JSONB on PostgreSQL so they can be indexed.
JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

#: Timestamps are stored in UTC.
Timestamp = sa.DateTime(timezone=True)

#: Names of the full-text objects the migrations create outside this metadata.
FTS_TABLE = "articles_fts"
PG_SEARCH_COLUMN = "search_vector"
PG_SEARCH_INDEX = "ix_articles_search_vector"

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    # A stable integer key derived from ``id`` (see ``db.search_rowid``). SQLite's FTS5 external-content
    # index needs an integer key into this table, and the implicit rowid of a table with a TEXT primary
    # key may be renumbered by VACUUM, which would silently point the index at the wrong articles.
    sa.Column("search_rowid", sa.BigInteger, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("analysis", sa.Text, nullable=False),
    sa.Column("schema_version", sa.Text, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index(None, "search_rowid", unique=True),
    sa.Index(None, "published"),
    sa.Index(None, "content_hash"),
)


def _article_fk() -> sa.ForeignKey:
    """Every per-article row goes with its article: deleting an article deletes its projection."""
    return sa.ForeignKey("articles.id", ondelete="CASCADE")


entities = sa.Table(
    "entities",
    metadata,
    sa.Column("article_id", sa.Text, _article_fk(), primary_key=True),
    sa.Column("entity_id", sa.Text, primary_key=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("titles", JSONDoc, nullable=False),
    sa.Column("attributes", JSONDoc, nullable=False),
    sa.Column("n_mentions", sa.Integer, nullable=False),
    sa.Column("confidence", sa.Float),
    sa.Index(None, "label", "name"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("article_id", sa.Text, primary_key=True),
    sa.Column("entity_id", sa.Text, primary_key=True),
    # The mention's position in the entity's list: mentions have no id of their own.
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    # "title" when the offsets point into the article's title rather than its text.
    sa.Column("field", sa.Text),
    # name | nominal ("the suspect") | pronoun ("he"): lets queries count only named mentions.
    sa.Column("kind", sa.Text),
    sa.ForeignKeyConstraint(
        ["article_id", "entity_id"],
        ["entities.article_id", "entities.entity_id"],
        ondelete="CASCADE",
    ),
)

places = sa.Table(
    "places",
    metadata,
    sa.Column("article_id", sa.Text, _article_fk(), primary_key=True),
    sa.Column("place_id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("geonameid", sa.Integer),
    sa.Column("country", sa.Text),
    sa.Column("admin1", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("type", sa.Text),
    sa.Column("confidence", sa.Float),
    sa.Index(None, "name"),
    sa.Index(None, "geonameid"),
)

times = sa.Table(
    "times",
    metadata,
    sa.Column("article_id", sa.Text, _article_fk(), primary_key=True),
    sa.Column("time_id", sa.Text, primary_key=True),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("value", sa.Text),
    sa.Column("granularity", sa.Text),
    sa.Index(None, "value"),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("article_id", sa.Text, _article_fk(), primary_key=True),
    sa.Column("claim_id", sa.Text, primary_key=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("source_text", sa.Text),
    # The analysis-local entity id ("e2"); no foreign key, since a claim may name an unlinked source.
    sa.Column("source_entity", sa.Text),
    sa.Column("cue_start", sa.Integer),
    sa.Column("cue_end", sa.Integer),
    sa.Column("content_start", sa.Integer, nullable=False),
    sa.Column("content_end", sa.Integer, nullable=False),
    sa.Column("content_text", sa.Text, nullable=False),
    sa.Column("channel", sa.Text),
    sa.Column("confidence", sa.Float),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("article_id", sa.Text, _article_fk(), primary_key=True),
    sa.Column("event_id", sa.Text, primary_key=True),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("mode", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("when_value", sa.Text),
    sa.Column("place_name", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    # One figure per count for aggregates: the stated value, else its lower bound ("dozens" -> 24).
    # The full quantity (value, low, high, text) stays in ``data``.
    sa.Column("killed", sa.Integer),
    sa.Column("injured", sa.Integer),
    sa.Column("confidence", sa.Float),
    sa.Column("data", JSONDoc, nullable=False),
    sa.Index(None, "type"),
    sa.Index(None, "when_value"),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("data", JSONDoc),
)

story_articles = sa.Table(
    "story_articles",
    metadata,
    sa.Column("story_id", sa.Text, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("article_id", sa.Text, _article_fk(), primary_key=True),
    sa.Column("score", sa.Float),
    sa.Index(None, "article_id"),
)

#: The clustering's state (``StoryIndex.to_state()`` as JSON text, key ``index``), so a later ingest
#: continues the clustering of an earlier one (migration 0003). Text, not JSONB: read and written whole.
story_state = sa.Table(
    "story_state",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)

#: The clustering's per-article items (``StoryIndex.unsaved_items()``, one JSON text each: vectors,
#: day, embedding), apart from the state so a batch writes its new articles' rows, not every article's
#: (migration 0004). No foreign key: the index keeps an article that was deleted from the store.
story_items = sa.Table(
    "story_items",
    metadata,
    sa.Column("article_id", sa.Text, primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Index(None, "seq"),
)

#: The per-article projection tables, children first (the order to delete them in).
ARTICLE_CHILDREN: tuple[sa.Table, ...] = (mentions, entities, places, times, claims, events)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any | None) -> bool:
    """Alembic autogenerate filter: leave the dialect-specific full-text objects out of comparisons.

    They are not in :data:`metadata` (they cannot be expressed dialect-neutrally), so without this
    filter autogenerate would propose dropping them.
    """
    if name is None:
        return True
    if type_ == "table" and name.startswith(FTS_TABLE):
        return False  # the FTS5 virtual table and its shadow tables (_data, _idx, _docsize, _config)
    if type_ == "column" and name == PG_SEARCH_COLUMN:
        return False
    return not (type_ == "index" and name == PG_SEARCH_INDEX)
