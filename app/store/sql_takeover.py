"""Agent takeover on the SQL store: who holds a conversation, and agent replies to deliver.

Reads go straight to the database (not through the turn log's writer queue): a takeover or a
reply is written by the console, in another request, and must be seen on the next look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from app.store import takeover_crud
from app.takeover import TakeoverNotice, TakeoverReplies


@dataclass(frozen=True)
class PendingReply:
    """An agent reply not yet shown in the shopper's chat."""

    id: int
    text: str


class SqlTakeovers:
    """Takeover state and agent replies of conversations, for ChatService and the chat UI."""

    def __init__(self, engine: Engine, replies: TakeoverReplies) -> None:
        self._engine = engine
        self.replies = replies

    def held_by(self, conversation_id: str) -> str | None:
        """The agent holding the conversation, or None while the bot answers."""
        with Session(self._engine) as session:
            held = takeover_crud.current_takeover(session, conversation_id=conversation_id)
            return None if held is None else held.agent

    def held_reply(self, conversation_id: str) -> str | None:
        """The reply for a message while an agent holds the conversation; None if the bot may."""
        if self.held_by(conversation_id) is None:
            return None
        return self.replies.text(TakeoverNotice.HELD)

    def pending_replies(self, conversation_id: str) -> list[PendingReply]:
        """Agent replies the shopper has not been shown yet, oldest first."""
        with Session(self._engine) as session:
            rows = takeover_crud.undelivered_replies(session, conversation_id=conversation_id)
            return [PendingReply(row.id, row.text) for row in rows if row.id is not None]

    def mark_delivered(self, reply_ids: Sequence[int]) -> None:
        """Note that these replies were shown in the shopper's chat."""
        with Session(self._engine) as session:
            takeover_crud.mark_delivered(session, reply_ids=reply_ids)
            session.commit()
