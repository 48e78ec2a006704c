"""The SQL turn log: TurnLog implemented on SQLModel tables, written by a background thread."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict
from functools import partial

from sqlalchemy import Engine
from sqlmodel import Session

from app.store import crud
from app.store.models import FeedbackSource, utcnow
from app.store.writer import BackgroundWriter, Write
from app.trust.base import ConversationTrustState
from app.turns import PromptRef, TurnResult

logger = logging.getLogger(__name__)

# Callers that cannot pass a source through ChatService.feedback (the Chainlit data layer) set it
# for the duration of the call instead.
_feedback_source: ContextVar[FeedbackSource] = ContextVar(
    "trustdesk_feedback_source", default=FeedbackSource.API
)

# history() waits this long for earlier queued writes (the previous turn) before reading.
HISTORY_WAIT_S = 2.0


@contextmanager
def feedback_source(source: FeedbackSource) -> Iterator[None]:
    """Attribute feedback recorded inside the block to `source` (e.g. the Chainlit UI)."""
    token = _feedback_source.set(source)
    try:
        yield
    finally:
        _feedback_source.reset(token)


class SqlTurnLog:
    """Records conversations, turns and feedback in SQLite or Postgres without blocking callers."""

    def __init__(self, engine: Engine, *, writer: BackgroundWriter | None = None) -> None:
        self.engine = engine
        self._writer = writer or BackgroundWriter(engine)

    @property
    def lost_writes(self) -> int:
        """Writes that failed for good since start (each logged at ERROR with its data)."""
        return self._writer.lost_writes

    def conversation_opened(
        self,
        *,
        conversation_id: str,
        channel: str,
        user_id: str | None = None,
        user_name: str | None = None,
    ) -> None:
        """Note who is talking and through which channel (before or after the first turn)."""
        apply = partial(
            crud.ensure_conversation,
            conversation_id=conversation_id,
            channel=channel,
            user_id=user_id,
            user_name=user_name,
            now=utcnow(),
        )
        context = {"conversation_id": conversation_id, "channel": channel, "user_id": user_id}
        self._writer.submit(Write("conversation_opened", apply, context))

    def turn_started(
        self,
        *,
        turn_id: str,
        conversation_id: str,
        user_text: str,
        prompt: PromptRef,
        backend: str,
        model: str,
    ) -> None:
        """Record the shopper's message before any later stage can fail."""
        apply = partial(
            crud.create_turn,
            turn_id=turn_id,
            conversation_id=conversation_id,
            user_text=user_text,
            prompt=prompt,
            backend=backend,
            model=model,
            now=utcnow(),
        )
        context = {
            "turn_id": turn_id,
            "conversation_id": conversation_id,
            "user_text": user_text,
            "prompt": str(prompt),
        }
        self._writer.submit(Write("turn_started", apply, context))

    def turn_finished(self, result: TurnResult) -> None:
        """Complete the turn with answer, citations, latencies, tokens and error."""
        apply = partial(crud.finish_turn, result=result, now=utcnow())
        context = {"turn_id": result.turn_id, "conversation_id": result.conversation_id}
        self._writer.submit(Write("turn_finished", apply, {**context, "result": asdict(result)}))

    def feedback(
        self,
        *,
        turn_id: str,
        score: int,
        comment: str | None,
        source: FeedbackSource | None = None,
    ) -> None:
        """Record thumbs up (1) or down (0) with an optional comment."""
        source = source or _feedback_source.get()
        if score not in (0, 1):
            raise ValueError(f"feedback score must be 0 or 1, got {score!r}")
        apply = partial(
            crud.add_feedback,
            turn_id=turn_id,
            score=score,
            comment=comment,
            source=source,
            now=utcnow(),
        )
        context = {"turn_id": turn_id, "score": score, "comment": comment, "source": str(source)}
        self._writer.submit(Write("feedback", apply, context))

    def history(self, conversation_id: str, limit: int = 6) -> list[tuple[str, str]]:
        """Earlier (resolved question, answer) pairs of a conversation, oldest first."""
        if not self._writer.wait(HISTORY_WAIT_S):
            logger.warning(
                "turn-log writes are behind; history may miss the latest turn",
                extra={"conversation_id": conversation_id},
            )
        with Session(self.engine) as session:
            return crud.answered_history(session, conversation_id=conversation_id, limit=limit)

    def trust_state(self, conversation_id: str) -> ConversationTrustState | None:
        """A conversation's stored running trust, scored turns and handoff (None if unknown)."""
        with Session(self.engine) as session:
            return crud.trust_state(session, conversation_id=conversation_id)

    def flush(self) -> None:
        """Block until every queued write is on disk (tests, shutdown, CLI exit)."""
        self._writer.wait()

    def close(self) -> None:
        """Flush, stop the writer thread and release the database connections."""
        self._writer.close()
        self.engine.dispose()
