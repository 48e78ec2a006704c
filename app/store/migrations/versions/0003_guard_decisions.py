"""Guard decisions per turn; turns record which guard stopped them and whether an agent should look.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create guard_decisions; add turns.blocked_by and turns.flagged_for_agent."""
    op.create_table(
        "guard_decisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "turn_id",
            sa.String(64),
            sa.ForeignKey("turns.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("validator", sa.String(64), nullable=False, index=True),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("blocked_by", sa.String(32), nullable=True))
        batch.add_column(
            sa.Column("flagged_for_agent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_index("ix_turns_flagged_for_agent", ["flagged_for_agent"])


def downgrade() -> None:
    """Drop guard_decisions and the two turn columns."""
    with op.batch_alter_table("turns") as batch:
        batch.drop_index("ix_turns_flagged_for_agent")
        batch.drop_column("flagged_for_agent")
        batch.drop_column("blocked_by")
    op.drop_table("guard_decisions")
