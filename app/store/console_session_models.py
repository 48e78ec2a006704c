"""Signed-out console sessions: a session id refused until the session would have expired anyway.

Console session cookies are signed, not stored; signing out records the cookie's session id here
so that a copied cookie is refused afterwards, by every worker and after a restart.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from app.store.models import utcnow


class RevokedConsoleSession(SQLModel, table=True):
    """A console session ended by sign-out (kept until `expires_at`, then pruned)."""

    __tablename__ = "console_revoked_sessions"

    session_id: str = Field(primary_key=True, max_length=64)
    agent: str = Field(max_length=128, index=True)
    revoked_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=DateTime(timezone=True), index=True)
