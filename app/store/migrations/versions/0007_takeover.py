"""Agent takeover: who holds a conversation, and the replies agents write to the shopper.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _conversation_id() -> sa.Column[str]:
    return sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    """Create takeovers and agent_replies."""
    op.create_table(
        "takeovers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _conversation_id(),
        sa.Column("agent", sa.String(128), nullable=False, index=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(128), nullable=True),
    )
    op.create_table(
        "agent_replies",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _conversation_id(),
        sa.Column("agent", sa.String(128), nullable=False, index=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    """Drop agent_replies and takeovers."""
    op.drop_table("agent_replies")
    op.drop_table("takeovers")
