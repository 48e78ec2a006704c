"""Factory helpers for turn-log tests."""

from __future__ import annotations

import uuid

from app.turns import Citation, PromptRef, StageLatency, TurnResult

PROMPT = PromptRef(name="answer", version=1, sha256="ab" * 32)


def new_id() -> str:
    """A fresh uuid string like the UI's thread and message ids."""
    return str(uuid.uuid4())


def citation(index: int = 1, *, snippet: str = "Returns accepted within 30 days.") -> Citation:
    """A citation of the returns section of the customer-service page."""
    return Citation(
        index=index,
        chunk_id=f"luma_pages.csv#customer-service-{index}",
        source="luma_pages.csv",
        title="Customer Service",
        snippet=snippet,
        anchor="/customer-service#returns-and-replacements",
        score=0.8,
    )


def turn_result(
    *,
    turn_id: str,
    conversation_id: str,
    question: str = "What is your return policy?",
    answer: str = "You can return unworn items within 30 days [1].",
    error: str | None = None,
) -> TurnResult:
    """A finished (or failed, when `error` is given) turn."""
    return TurnResult(
        turn_id=turn_id,
        conversation_id=conversation_id,
        question=question,
        resolved_question=f"{question} (resolved)",
        answer=answer,
        citations=[] if error else [citation()],
        prompt=PROMPT,
        backend="extractive",
        model="extractive",
        latency=StageLatency(retrieve_ms=12.5, generate_ms=30.0, total_ms=45.0),
        retrieved=[("luma_pages.csv#customer-service-1", 0.8), ("luma_pages.csv#about-1", 0.2)],
        prompt_tokens=None if error else 120,
        completion_tokens=None if error else 18,
        knows_answer=error is None,
        error=error,
    )
