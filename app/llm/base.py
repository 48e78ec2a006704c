"""The answer-generation seam: what ChatService hands a backend and what it gets back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.prompts import Prompt
from app.turns import Citation
from rag.schema import RetrievedChunk


@dataclass(frozen=True)
class AnswerRequest:
    """One question to answer from retrieved chunks, with the conversation so far."""

    question: str  # the resolved (standalone) question
    chunks: Sequence[RetrievedChunk]
    prompt: Prompt
    shop_name: str = "the shop"
    history: Sequence[tuple[str, str]] = ()  # (resolved question, answer), oldest first


@dataclass(frozen=True)
class GeneratedAnswer:
    """The finished answer of a backend."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    knows_answer: bool = True
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True)
class AnswerEvent:
    """A streamed piece of answer text, or (last) the finished answer."""

    text: str = ""
    answer: GeneratedAnswer | None = None


class AnswerGenerator(Protocol):
    """A generation backend: streams answer text, then one event carrying the finished answer."""

    uses_history: bool  # whether `AnswerRequest.history` matters (else it is not fetched)

    def stream(self, request: AnswerRequest) -> AsyncIterator[AnswerEvent]:
        """Yield text pieces as produced; the last event has `answer` set."""
        ...


async def generate(generator: AnswerGenerator, request: AnswerRequest) -> GeneratedAnswer:
    """Run a backend to completion and return its finished answer."""
    async for event in generator.stream(request):
        if event.answer is not None:
            return event.answer
    raise RuntimeError("answer generator ended without a finished answer")
