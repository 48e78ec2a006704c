"""Small keyword-only CRUD functions for agent takeover; callers own the session (and commit)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from app.store.models import Conversation, utcnow
from app.store.takeover_models import AgentReply, Takeover

logger = logging.getLogger(__name__)

MAX_REPLY_CHARS = 4000


class TakeoverError(ValueError):
    """A takeover action that cannot be taken as asked (the message is safe to show the agent)."""


def current_takeover(session: Session, *, conversation_id: str) -> Takeover | None:
    """The open takeover of a conversation (None while the bot answers)."""
    query = (
        select(Takeover)
        .where(Takeover.conversation_id == conversation_id, col(Takeover.ended_at).is_(None))
        .order_by(col(Takeover.id).desc())
    )
    return session.exec(query).first()


def take_over(
    session: Session, *, conversation_id: str, agent: str, now: datetime | None = None
) -> Takeover:
    """Let `agent` hold the conversation; taking over one's own conversation again is a no-op."""
    if session.get(Conversation, conversation_id) is None:
        raise LookupError(f"no conversation {conversation_id!r}")
    held = current_takeover(session, conversation_id=conversation_id)
    if held is not None:
        if held.agent == agent:
            return held
        raise TakeoverError(f"{held.agent} has already taken this conversation over")
    row = Takeover(conversation_id=conversation_id, agent=agent, started_at=now or utcnow())
    session.add(row)
    logger.info(
        "conversation taken over", extra={"conversation_id": conversation_id, "agent": agent}
    )
    return row


def hand_back(
    session: Session, *, conversation_id: str, agent: str, now: datetime | None = None
) -> Takeover:
    """End the open takeover: the bot answers again; `agent` is recorded as who handed back."""
    held = current_takeover(session, conversation_id=conversation_id)
    if held is None:
        raise TakeoverError("no agent holds this conversation")
    held.ended_at = now or utcnow()
    held.ended_by = agent
    session.add(held)
    logger.info(
        "conversation handed back", extra={"conversation_id": conversation_id, "agent": agent}
    )
    return held


def add_agent_reply(
    session: Session,
    *,
    conversation_id: str,
    agent: str,
    text: str,
    now: datetime | None = None,
) -> AgentReply:
    """Store a reply to the shopper; only the agent holding the conversation may write one."""
    text = text.strip()
    if not text:
        raise TakeoverError("the reply is empty")
    if len(text) > MAX_REPLY_CHARS:
        raise TakeoverError(f"the reply is longer than {MAX_REPLY_CHARS} characters")
    held = current_takeover(session, conversation_id=conversation_id)
    if held is None or held.agent != agent:
        raise TakeoverError("take the conversation over before writing to the shopper")
    row = AgentReply(
        conversation_id=conversation_id, agent=agent, text=text, created_at=now or utcnow()
    )
    session.add(row)
    logger.info("agent replied", extra={"conversation_id": conversation_id, "agent": agent})
    return row


def undelivered_replies(session: Session, *, conversation_id: str) -> list[AgentReply]:
    """Agent replies the shopper's chat has not shown yet, oldest first."""
    query = (
        select(AgentReply)
        .where(
            AgentReply.conversation_id == conversation_id, col(AgentReply.delivered_at).is_(None)
        )
        .order_by(col(AgentReply.id))
    )
    return list(session.exec(query).all())


def mark_delivered(
    session: Session, *, reply_ids: Sequence[int], now: datetime | None = None
) -> None:
    """Note that these replies reached the shopper."""
    if not reply_ids:
        return
    now = now or utcnow()
    for row in session.exec(select(AgentReply).where(col(AgentReply.id).in_(reply_ids))).all():
        row.delivered_at = row.delivered_at or now
        session.add(row)


def agent_replies(session: Session, *, conversation_id: str) -> list[AgentReply]:
    """Every agent reply of a conversation, oldest first."""
    query = (
        select(AgentReply)
        .where(AgentReply.conversation_id == conversation_id)
        .order_by(col(AgentReply.id))
    )
    return list(session.exec(query).all())


def takeovers(session: Session, *, conversation_id: str) -> list[Takeover]:
    """Every takeover of a conversation, oldest first."""
    query = (
        select(Takeover)
        .where(Takeover.conversation_id == conversation_id)
        .order_by(col(Takeover.id))
    )
    return list(session.exec(query).all())
