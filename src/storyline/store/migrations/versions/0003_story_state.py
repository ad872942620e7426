"""Stories: the clustering's state, so a later ingest continues the clustering of an earlier one.

Revision ID: 0003_story_state
Revises: 0002_ingest_progress
Create Date: 2026-11-26

``stories`` and ``story_articles`` exist since 0001; the ``storyline.story/1`` record goes in
``stories.data``. The one new table holds the :class:`storyline.stories.StoryIndex` state as a JSON
text (one row, key ``index``): text rather than JSON/JSONB because it is only ever read and written
whole, and JSONB would reorder and re-encode a document that may run to megabytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_story_state"
down_revision: str | Sequence[str] | None = "0002_ingest_progress"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "story_state",
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_story_state"),
    )


def downgrade() -> None:
    op.drop_table("story_state")
