"""Stories: the clustering's per-article items in rows of their own.

Revision ID: 0004_story_items
Revises: 0003_story_state
Create Date: 2026-11-26

Until now ``story_state`` held every article's item (its vectors, day and, with the learned scorer,
a 384-dimension embedding) inside one JSON text rewritten with every committed batch: megabytes per
batch once a store holds thousands of articles. Items never change once made, so each goes in a row
of ``story_items`` when its batch commits, and the state keeps the rest (settings, document
frequencies, stories). A state saved before this revision still holds its items; the next save moves
them out (``StoryIndex.from_state`` counts them as unsaved).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_story_items"
down_revision: str | Sequence[str] | None = "0003_story_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_items",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_story_items"),
    )
    op.create_index("ix_story_items_seq", "story_items", ["seq"])


def downgrade() -> None:
    op.drop_index("ix_story_items_seq", table_name="story_items")
    op.drop_table("story_items")
