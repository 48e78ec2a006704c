"""An in-memory TurnLog: the answering tests' double of our own persistence seam."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.turns import PromptRef, TurnResult


@dataclass
class StartedTurn:
    """What turn_started recorded."""

    turn_id: str
    conversation_id: str
    user_text: str
    prompt: PromptRef
    backend: str
    model: str


@dataclass
class MemoryTurnLog:
    """Keeps turns in lists; `fail_writes` makes every write raise, like a broken database."""

    started: list[StartedTurn] = field(default_factory=list)
    finished: list[TurnResult] = field(default_factory=list)
    feedbacks: list[tuple[str, int, str | None]] = field(default_factory=list)
    fail_writes: bool = False

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
        """Record the shopper's message."""
        self._check()
        self.started.append(
            StartedTurn(turn_id, conversation_id, user_text, prompt, backend, model)
        )

    def turn_finished(self, result: TurnResult) -> None:
        """Record the finished turn."""
        self._check()
        self.finished.append(result)

    def feedback(self, *, turn_id: str, score: int, comment: str | None) -> None:
        """Record feedback."""
        self._check()
        self.feedbacks.append((turn_id, score, comment))

    def history(self, conversation_id: str, limit: int = 6) -> list[tuple[str, str]]:
        """Earlier (resolved question, answer) pairs, oldest first."""
        self._check()
        pairs = [
            (r.resolved_question, r.answer)
            for r in self.finished
            if r.conversation_id == conversation_id
        ]
        return pairs[-limit:]

    def flush(self) -> None:
        """Nothing is queued in memory."""

    def _check(self) -> None:
        if self.fail_writes:
            raise OSError("turn log database is unavailable")
