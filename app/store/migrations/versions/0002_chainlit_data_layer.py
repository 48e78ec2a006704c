"""Tables of Chainlit's SQLAlchemy data layer (threads, steps, elements, feedbacks, users).

Follows the schema documented for chainlit 2.x, plus the columns that
chainlit/data/sql_alchemy.py writes but the documentation lacks: steps."autoCollapse"
(without it every step INSERT fails and Chainlit only logs a warning) and
elements."autoPlay"/"playerConfig". feedbacks."threadId" is nullable because the
feedback request does not always carry it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Native types on PostgreSQL (as documented), portable equivalents on SQLite.
UUID = sa.Uuid(as_uuid=False)
JSONB = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TEXT_ARRAY = sa.Text().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")


def _thread_fk() -> sa.ForeignKey:
    return sa.ForeignKey("threads.id", ondelete="CASCADE")


def upgrade() -> None:
    """Create the Chainlit data-layer tables."""
    op.create_table(
        "users",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("identifier", sa.Text(), nullable=False, unique=True),
        sa.Column("metadata", JSONB, nullable=False),
        sa.Column("createdAt", sa.Text()),
    )
    op.create_table(
        "threads",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("createdAt", sa.Text()),
        sa.Column("name", sa.Text()),
        sa.Column("userId", UUID, sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("userIdentifier", sa.Text()),
        sa.Column("tags", TEXT_ARRAY),
        sa.Column("metadata", JSONB),
    )
    op.create_index("ix_threads_userId", "threads", ["userId"])
    op.create_table(
        "steps",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("threadId", UUID, _thread_fk(), nullable=False),
        sa.Column("parentId", UUID),
        sa.Column("streaming", sa.Boolean(), nullable=False),
        sa.Column("waitForAnswer", sa.Boolean()),
        sa.Column("isError", sa.Boolean()),
        sa.Column("metadata", JSONB),
        sa.Column("tags", TEXT_ARRAY),
        sa.Column("input", sa.Text()),
        sa.Column("output", sa.Text()),
        sa.Column("createdAt", sa.Text()),
        sa.Column("command", sa.Text()),
        sa.Column("modes", JSONB),
        sa.Column("start", sa.Text()),
        sa.Column("end", sa.Text()),
        sa.Column("generation", JSONB),
        sa.Column("showInput", sa.Text()),
        sa.Column("language", sa.Text()),
        sa.Column("indent", sa.Integer()),
        sa.Column("defaultOpen", sa.Boolean()),
        sa.Column("autoCollapse", sa.Boolean()),
    )
    op.create_index("ix_steps_threadId", "steps", ["threadId"])
    op.create_table(
        "elements",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("threadId", UUID, _thread_fk()),
        sa.Column("type", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("chainlitKey", sa.Text()),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("display", sa.Text()),
        sa.Column("objectKey", sa.Text()),
        sa.Column("size", sa.Text()),
        sa.Column("page", sa.Integer()),
        sa.Column("language", sa.Text()),
        sa.Column("forId", UUID),
        sa.Column("mime", sa.Text()),
        sa.Column("props", JSONB),
        sa.Column("autoPlay", sa.Boolean()),
        sa.Column("playerConfig", JSONB),
    )
    op.create_index("ix_elements_threadId", "elements", ["threadId"])
    op.create_table(
        "feedbacks",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("forId", UUID, nullable=False),
        sa.Column("threadId", UUID, _thread_fk()),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text()),
    )
    op.create_index("ix_feedbacks_forId", "feedbacks", ["forId"])


def downgrade() -> None:
    """Drop the Chainlit data-layer tables."""
    for table in ("feedbacks", "elements", "steps", "threads", "users"):
        op.drop_table(table)
