"""Support-agent review: labels and corrected answers per turn, each with the agent and the time.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _turn_id() -> sa.Column[str]:
    return sa.Column(
        "turn_id",
        sa.String(64),
        sa.ForeignKey("turns.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    """Create turn_labels and turn_corrections."""
    op.create_table(
        "turn_labels",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _turn_id(),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("agent", sa.String(128), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_table(
        "turn_corrections",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _turn_id(),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("agent", sa.String(128), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    """Drop turn_corrections and turn_labels."""
    op.drop_table("turn_corrections")
    op.drop_table("turn_labels")
