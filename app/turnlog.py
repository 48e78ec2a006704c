"""The turn log seam: what ChatService and the UI need from persistence."""

from __future__ import annotations

from typing import Protocol

from app.turns import PromptRef, TurnResult


class TurnLog(Protocol):
    """Records conversations, turns and feedback; writes must not block the caller."""

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

    def turn_finished(self, result: TurnResult) -> None:
        """Complete the turn with answer, citations, latencies, tokens and error."""

    def feedback(self, *, turn_id: str, score: int, comment: str | None) -> None:
        """Record thumbs up (1) or down (0) with an optional comment."""

    def history(self, conversation_id: str, limit: int = 6) -> list[tuple[str, str]]:
        """Earlier (resolved question, answer) pairs of a conversation, oldest first."""

    def flush(self) -> None:
        """Block until every queued write is on disk (tests, shutdown, CLI exit)."""
