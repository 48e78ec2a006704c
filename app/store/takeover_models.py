"""Agent takeover tables: who holds a conversation (and since when), and what agents wrote."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Text
from sqlmodel import Field, SQLModel

from app.store.models import utcnow

# --- Takeover -----------------------------------------------------------------------------------


class TakeoverBase(SQLModel):
    """An agent holding a conversation: while it is open the bot does not answer."""

    conversation_id: str = Field(
        foreign_key="conversations.id", ondelete="CASCADE", index=True, max_length=64
    )
    agent: str = Field(max_length=128, index=True)


class Takeover(TakeoverBase, table=True):
    """A stored takeover; open (ended_at is None) until the agent hands back to the bot."""

    __tablename__ = "takeovers"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    ended_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    ended_by: str | None = Field(default=None, max_length=128)


class TakeoverPublic(TakeoverBase):
    """A takeover as shown to agents."""

    id: int
    started_at: datetime
    ended_at: datetime | None
    ended_by: str | None


# --- Agent reply --------------------------------------------------------------------------------


class AgentReplyBase(SQLModel):
    """A message an agent wrote to the shopper."""

    conversation_id: str = Field(
        foreign_key="conversations.id", ondelete="CASCADE", index=True, max_length=64
    )
    agent: str = Field(max_length=128, index=True)
    text: str = Field(sa_type=Text)


class AgentReply(AgentReplyBase, table=True):
    """A stored agent reply; delivered_at is set once it reached the shopper's open chat."""

    __tablename__ = "agent_replies"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), index=True
    )
    delivered_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class AgentReplyPublic(AgentReplyBase):
    """An agent reply as shown to agents."""

    id: int
    created_at: datetime
    delivered_at: datetime | None
