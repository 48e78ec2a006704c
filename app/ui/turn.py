"""One chat turn in the UI: stream ChatService tokens into a Chainlit message, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Protocol

import chainlit as cl

from app.turns import TurnEvent, TurnResult

logger = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on our side and I couldn't answer that. "
    "Please try again in a moment."
)


class TurnStreamer(Protocol):
    """What the UI needs from ChatService."""

    def stream(
        self, *, conversation_id: str, text: str, turn_id: str | None = None
    ) -> AsyncIterator[TurnEvent]:
        """Answer text as it is produced, then the finished result."""
        ...


async def answer_turn(
    chat: TurnStreamer,
    reply: cl.Message,
    *,
    conversation_id: str,
    text: str,
    turn_id: str,
) -> TurnResult | None:
    """Stream the answer into `reply` (not yet sent for good); None when the turn broke."""
    log_extra = {"conversation_id": conversation_id, "turn_id": turn_id}
    result: TurnResult | None = None
    try:
        async for event in chat.stream(conversation_id=conversation_id, text=text, turn_id=turn_id):
            if event.kind == "token":
                await reply.stream_token(event.text)
            elif event.result is not None:
                result = event.result
    except Exception:  # the shopper gets an apology; the traceback goes to our logs only
        logger.exception("chat turn failed", extra=log_extra)
        reply.content = APOLOGY
        return None
    if result is None:
        logger.error("chat stream ended without a result", extra=log_extra)
        reply.content = APOLOGY
        return None
    # The finished answer wins over streamed text (an output guard may have replaced it).
    reply.content = result.answer or APOLOGY
    return result
