"""Console sign-out: session ids refused after sign-out, until they would have expired.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create console_revoked_sessions."""
    op.create_table(
        "console_revoked_sessions",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("agent", sa.String(128), nullable=False, index=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    """Drop console_revoked_sessions."""
    op.drop_table("console_revoked_sessions")
