"""Delivers a takeover into the shopper's open chat: status changes and the agents' replies.

One feed per chat session polls the store every `POLL_S` seconds (the console writes in another
request, possibly another process, so there is nothing to subscribe to). A reply is marked
delivered only after it was sent, so replies written while the shopper's chat was closed reach
them when they come back; the status a feed last announced survives a restart of its task.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.store.sql_takeover import PendingReply
from app.takeover import TakeoverNotice, TakeoverReplies

logger = logging.getLogger(__name__)

POLL_S = 2.0
AGENT_AUTHOR = "Support agent"
STATUS_AUTHOR = "TrustDesk status"

Say = Callable[[str, str], Awaitable[None]]  # (author, text) -> shown in the chat


class TakeoverSource(Protocol):
    """What the feed reads and writes (app.store.sql_takeover.SqlTakeovers fits)."""

    replies: TakeoverReplies

    def held_by(self, conversation_id: str) -> str | None:
        """The agent holding the conversation, or None."""
        ...

    def pending_replies(self, conversation_id: str) -> list[PendingReply]:
        """Agent replies not yet shown, oldest first."""
        ...

    def mark_delivered(self, reply_ids: Sequence[int]) -> None:
        """Note that these replies were shown."""
        ...


@dataclass
class AgentFeed:
    """The takeover feed of one chat session."""

    source: TakeoverSource
    conversation_id: Callable[[], str]
    say: Say
    holder: str | None = None  # the agent the shopper was last told about
    task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run the feed in the background unless it already runs (call inside the session)."""
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self.run())

    def stop(self) -> None:
        """Stop polling (the chat closed)."""
        if self.task is not None:
            self.task.cancel()

    async def run(self, interval_s: float = POLL_S) -> None:
        """Poll until cancelled; a failed look is logged and retried at the next tick."""
        while True:
            try:
                await self.deliver()
            except Exception:
                logger.exception(
                    "agent feed failed", extra={"conversation_id": self.conversation_id()}
                )
            await asyncio.sleep(interval_s)

    async def deliver(self) -> None:
        """One look: announce a takeover, send pending agent replies, announce a hand-back."""
        conversation_id = self.conversation_id()
        holder = await asyncio.to_thread(self.source.held_by, conversation_id)
        texts = self.source.replies
        if holder is not None and holder != self.holder:
            await self.say(STATUS_AUTHOR, texts.text(TakeoverNotice.JOINED))
            self.holder = holder
        for reply in await asyncio.to_thread(self.source.pending_replies, conversation_id):
            await self.say(AGENT_AUTHOR, reply.text)
            await asyncio.to_thread(self.source.mark_delivered, [reply.id])
        if holder is None and self.holder is not None:
            await self.say(STATUS_AUTHOR, texts.text(TakeoverNotice.HANDED_BACK))
            self.holder = None
