"""Trust per turn (aspect sentiment, trust score, answer confidence) and handoffs to people.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TURN_COLUMNS = (
    sa.Column("trust_score", sa.Float(), nullable=True),
    sa.Column("trust_level", sa.String(8), nullable=True),
    sa.Column("sentiment", sa.String(8), nullable=True),
    sa.Column("trust_scorer", sa.String(32), nullable=True),
    sa.Column("answer_confidence", sa.Float(), nullable=True),
    sa.Column("confidence_detail", sa.JSON(), nullable=False, server_default="{}"),
    sa.Column("conversation_trust", sa.Float(), nullable=True),
)


def upgrade() -> None:
    """Add trust columns to turns and conversations; create turn_aspects and handoffs."""
    with op.batch_alter_table("turns") as batch:
        for column in _TURN_COLUMNS:
            batch.add_column(column.copy())
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("trust_score", sa.Float(), nullable=True))
        batch.add_column(
            sa.Column("handoff_status", sa.String(16), nullable=False, server_default="none")
        )
        batch.add_column(sa.Column("handoff_reason", sa.String(32), nullable=True))
        batch.add_column(sa.Column("handoff_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_conversations_handoff_status", ["handoff_status"])
    op.create_table(
        "turn_aspects",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "turn_id",
            sa.String(64),
            sa.ForeignKey("turns.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("aspect", sa.String(32), nullable=False, index=True),
        sa.Column("polarity", sa.String(8), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
    )
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "conversation_id",
            sa.String(64),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("turn_id", sa.String(64), nullable=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("conversation_trust", sa.Float(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(128), nullable=True),
    )


def downgrade() -> None:
    """Drop handoffs, turn_aspects and the trust columns."""
    op.drop_table("handoffs")
    op.drop_table("turn_aspects")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index("ix_conversations_handoff_status")
        for name in ("handoff_at", "handoff_reason", "handoff_status", "trust_score"):
            batch.drop_column(name)
    with op.batch_alter_table("turns") as batch:
        for column in reversed(_TURN_COLUMNS):
            batch.drop_column(column.name)
