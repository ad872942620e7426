"""Initial schema: articles and their per-article projection, stories, and the full-text index.

Revision ID: 0001_initial
Revises:
Create Date: 2025-01-01

Why the tables are spelled out here rather than created from ``storyline.store.schema.metadata``:
a migration is a frozen record of one schema version; the metadata moves on with later revisions.
``tests/store/test_migrations.py`` checks the two agree at head.

The full-text index is the one dialect-specific part:

* SQLite: an FTS5 external-content table ``articles_fts(title, text)`` over ``articles`` keyed by
  ``articles.search_rowid`` and kept in sync by triggers, so every writer (not just ``Store``) keeps it
  right, inside the writer's transaction. A later revision that recreates ``articles`` (batch mode)
  drops these triggers and must recreate them and ``INSERT INTO articles_fts(articles_fts)
  VALUES ('rebuild')``.
* PostgreSQL: a generated ``tsvector`` column plus a GIN index. UNTESTED until psycopg is installed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_initial"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Timestamp = sa.DateTime(timezone=True)

SQLITE_FTS = (
    # porter: "killing" finds "killed"; remove_diacritics 2: "zurich" finds "Zürich".
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text,
        content='articles', content_rowid='search_rowid',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.search_rowid, new.title, new.text);
    END""",
    # External content: a delete must repeat the indexed values exactly, hence old.title, old.text.
    """CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.search_rowid, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_au AFTER UPDATE OF search_rowid, title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.search_rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.search_rowid, new.title, new.text);
    END""",
)

# --- PostgreSQL full-text: written for psycopg 3 / PostgreSQL >= 12, NOT YET TESTED -----------------
POSTGRESQL_FTS = (
    """ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'B')) STORED""",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
)


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"], ["articles.id"], name=f"fk_{table}_article_id_articles", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Text, nullable=False),
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
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
    )
    op.create_index("ix_articles_search_rowid", "articles", ["search_rowid"], unique=True)
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])

    op.create_table(
        "entities",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("titles", JSONDoc, nullable=False),
        sa.Column("attributes", JSONDoc, nullable=False),
        sa.Column("n_mentions", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float),
        sa.PrimaryKeyConstraint("article_id", "entity_id", name="pk_entities"),
        _article_fk("entities"),
    )
    op.create_index("ix_entities_label_name", "entities", ["label", "name"])

    op.create_table(
        "mentions",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("field", sa.Text),
        sa.Column("kind", sa.Text),
        sa.PrimaryKeyConstraint("article_id", "entity_id", "seq", name="pk_mentions"),
        sa.ForeignKeyConstraint(
            ["article_id", "entity_id"],
            ["entities.article_id", "entities.entity_id"],
            name="fk_mentions_article_id_entity_id_entities",
            ondelete="CASCADE",
        ),
    )

    op.create_table(
        "places",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("place_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("geonameid", sa.Integer),
        sa.Column("country", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("type", sa.Text),
        sa.Column("confidence", sa.Float),
        sa.PrimaryKeyConstraint("article_id", "place_id", name="pk_places"),
        _article_fk("places"),
    )
    op.create_index("ix_places_name", "places", ["name"])
    op.create_index("ix_places_geonameid", "places", ["geonameid"])

    op.create_table(
        "times",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("time_id", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("granularity", sa.Text),
        sa.PrimaryKeyConstraint("article_id", "time_id", name="pk_times"),
        _article_fk("times"),
    )
    op.create_index("ix_times_value", "times", ["value"])

    op.create_table(
        "claims",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("claim_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("source_text", sa.Text),
        sa.Column("source_entity", sa.Text),
        sa.Column("cue_start", sa.Integer),
        sa.Column("cue_end", sa.Integer),
        sa.Column("content_start", sa.Integer, nullable=False),
        sa.Column("content_end", sa.Integer, nullable=False),
        sa.Column("content_text", sa.Text, nullable=False),
        sa.Column("channel", sa.Text),
        sa.Column("confidence", sa.Float),
        sa.PrimaryKeyConstraint("article_id", "claim_id", name="pk_claims"),
        _article_fk("claims"),
    )

    op.create_table(
        "events",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("mode", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("when_value", sa.Text),
        sa.Column("place_name", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("killed", sa.Integer),
        sa.Column("injured", sa.Integer),
        sa.Column("confidence", sa.Float),
        sa.Column("data", JSONDoc, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "event_id", name="pk_events"),
        _article_fk("events"),
    )
    op.create_index("ix_events_type", "events", ["type"])
    op.create_index("ix_events_when_value", "events", ["when_value"])

    op.create_table(
        "stories",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("data", JSONDoc),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )

    op.create_table(
        "story_articles",
        sa.Column("story_id", sa.Text, nullable=False),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("score", sa.Float),
        sa.PrimaryKeyConstraint("story_id", "article_id", name="pk_story_articles"),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name="fk_story_articles_story_id_stories", ondelete="CASCADE"
        ),
        _article_fk("story_articles"),
    )
    op.create_index("ix_story_articles_article_id", "story_articles", ["article_id"])

    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in POSTGRESQL_FTS:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS articles_fts_au")
        op.execute("DROP TRIGGER IF EXISTS articles_fts_ad")
        op.execute("DROP TRIGGER IF EXISTS articles_fts_ai")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    for table in ("story_articles", "stories", "events", "claims", "times", "places", "mentions", "entities"):
        op.drop_table(table)
    op.drop_table("articles")
