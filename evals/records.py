"""What an eval run keeps of a case's turn(s): enough to score it again without re-running it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from app.turns import TurnResult


class CitationRecord(BaseModel):
    """A source shown beside the answer."""

    model_config = ConfigDict(frozen=True)

    index: int
    chunk_id: str
    source: str
    title: str = ""
    anchor: str = ""


class RetrievedRecord(BaseModel):
    """A retrieved chunk, best first."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    score: float


class GuardRecord(BaseModel):
    """One guard decision of the turn."""

    model_config = ConfigDict(frozen=True)

    validator: str
    stage: str
    passed: bool
    action: str
    score: float


class AspectRecord(BaseModel):
    """One aspect the trust scorer found in the shopper's message."""

    model_config = ConfigDict(frozen=True)

    aspect: str
    polarity: str
    confidence: float


class TrustRecord(BaseModel):
    """The trust scorer's reading of the shopper's message."""

    model_config = ConfigDict(frozen=True)

    score: float
    level: str
    polarity: str
    scorer: str
    aspects: tuple[AspectRecord, ...] = ()


class TurnRecord(BaseModel):
    """A case's outcome: the last turn's answer and evidence; latency and tokens of all turns."""

    model_config = ConfigDict(frozen=True)

    turn_id: str
    conversation_id: str
    answer: str
    knows_answer: bool = True
    error: str | None = None
    blocked_by: str | None = None
    flagged_for_agent: bool = False
    citations: tuple[CitationRecord, ...] = ()
    retrieved: tuple[RetrievedRecord, ...] = ()
    guards: tuple[GuardRecord, ...] = ()
    retrieve_ms: float = 0.0
    generate_ms: float = 0.0
    total_ms: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    trust: TrustRecord | None = None
    confidence: float | None = None
    handoff: str | None = None
    turns: int = 1

    @classmethod
    def from_results(cls, results: Sequence[TurnResult]) -> TurnRecord:
        """The record of a case that took these turns (one, or several in one conversation)."""
        last = results[-1]
        return cls(
            turn_id=last.turn_id,
            conversation_id=last.conversation_id,
            answer=last.answer,
            knows_answer=last.knows_answer,
            error=next((r.error for r in results if r.error), None),
            blocked_by=last.blocked_by,
            flagged_for_agent=any(r.flagged_for_agent for r in results),
            citations=tuple(
                CitationRecord(
                    index=c.index,
                    chunk_id=c.chunk_id,
                    source=c.source,
                    title=c.title,
                    anchor=c.anchor,
                )
                for c in last.citations
            ),
            retrieved=tuple(RetrievedRecord(chunk_id=i, score=s) for i, s in last.retrieved),
            guards=tuple(
                GuardRecord(
                    validator=d.validator,
                    stage=d.stage,
                    passed=d.passed,
                    action=d.action,
                    score=d.score,
                )
                for d in last.guard_decisions
            ),
            retrieve_ms=sum(r.latency.retrieve_ms for r in results),
            generate_ms=sum(r.latency.generate_ms for r in results),
            total_ms=sum(r.latency.total_ms for r in results),
            prompt_tokens=_total(r.prompt_tokens for r in results),
            completion_tokens=_total(r.completion_tokens for r in results),
            trust=_trust(last),
            confidence=last.confidence.score if last.confidence is not None else None,
            handoff=next((r.handoff.reason.value for r in results if r.handoff), None),
            turns=len(results),
        )


def _total(values: Any) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _trust(result: TurnResult) -> TrustRecord | None:
    trust = result.trust
    if trust is None:
        return None
    return TrustRecord(
        score=trust.score,
        level=trust.level.value,
        polarity=trust.polarity.value,
        scorer=trust.scorer,
        aspects=tuple(
            AspectRecord(aspect=a.aspect.value, polarity=a.polarity.value, confidence=a.confidence)
            for a in trust.aspects
        ),
    )
