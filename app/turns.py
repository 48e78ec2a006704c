"""Value types of one chat turn: citations, prompt ref, latencies, result, stream events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from app.guardrails.base import GuardDecision
from app.trust.base import AnswerConfidence, Handoff, MessageTrust


@dataclass(frozen=True)
class PromptRef:
    """Which prompt produced a turn: name, version and sha256 of the template source."""

    name: str
    version: int
    sha256: str

    def __str__(self) -> str:
        return f"{self.name}@v{self.version}"


@dataclass(frozen=True)
class Citation:
    """A source shown to the shopper beside an answer."""

    index: int  # the [n] marker used in the answer text
    chunk_id: str
    source: str  # file the chunk came from
    title: str
    snippet: str
    anchor: str
    score: float


@dataclass
class StageLatency:
    """Milliseconds spent per stage of a turn."""

    retrieve_ms: float = 0.0
    generate_ms: float = 0.0
    total_ms: float = 0.0


@dataclass
class TurnResult:
    """Everything a finished turn produced, as logged and as returned by `trustdesk ask --json`."""

    turn_id: str
    conversation_id: str
    question: str
    resolved_question: str
    answer: str
    citations: list[Citation]
    prompt: PromptRef
    backend: str
    model: str
    latency: StageLatency
    retrieved: list[tuple[str, float]] = field(default_factory=list)  # (chunk id, score)
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    knows_answer: bool = True
    error: str | None = None
    # Guards: every decision of this turn, in the order taken (input first, then output).
    guard_decisions: list[GuardDecision] = field(default_factory=list)
    blocked_by: str | None = None  # the guard that stopped the turn or replaced its answer
    flagged_for_agent: bool = False  # a human should look at this conversation (abuse)
    # Trust: the shopper's message scored, the reply's confidence, the conversation's running
    # trust after this turn, and the handoff to a person this turn caused (if any).
    trust: MessageTrust | None = None
    confidence: AnswerConfidence | None = None
    conversation_trust: float | None = None
    handoff: Handoff | None = None


@dataclass(frozen=True)
class TurnEvent:
    """One item of a streamed turn: answer text as it is produced, then the finished result."""

    kind: Literal["token", "done"]
    text: str = ""
    result: TurnResult | None = None
