"""Ingest bookkeeping: resumable progress per input, article sources, dedup fingerprints, problems.

Revision ID: 0002_ingest_progress
Revises: 0001_initial
Create Date: 2026-11-25

See ``storyline.store.progress`` for what each table is for. New tables only: nothing in 0001 changes,
so no batch recreation (and the FTS5 triggers of ``articles`` are untouched).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_ingest_progress"
down_revision: str | Sequence[str] | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Timestamp = sa.DateTime(timezone=True)


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"], ["articles.id"], name=f"fk_{table}_article_id_articles", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "ingest_progress",
        sa.Column("input_key", sa.Text, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False),
        sa.Column("records_done", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("input_key", name="pk_ingest_progress"),
    )
    op.create_table(
        "article_sources",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("first_seen", Timestamp, nullable=False),
        sa.Column("input", sa.Text),
        sa.Column("match", sa.Text, nullable=False),
        sa.Column("similarity", sa.Float),
        sa.PrimaryKeyConstraint("id", name="pk_article_sources"),
        _article_fk("article_sources"),
    )
    op.create_index("ix_article_sources_article_id", "article_sources", ["article_id"])
    op.create_index("ix_article_sources_url", "article_sources", ["url"])
    op.create_table(
        "article_fingerprints",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_article_fingerprints"),
        _article_fk("article_fingerprints"),
    )
    op.create_index("ix_article_fingerprints_content_hash", "article_fingerprints", ["content_hash"])
    op.create_table(
        "ingest_problems",
        sa.Column("input_key", sa.Text, nullable=False),
        sa.Column("record", sa.Integer, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("input_key", "record", name="pk_ingest_problems"),
    )


def downgrade() -> None:
    for table in ("ingest_problems", "article_fingerprints", "article_sources", "ingest_progress"):
        op.drop_table(table)
