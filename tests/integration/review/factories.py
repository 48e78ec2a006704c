"""Seed data for the console's tests: conversations written straight into a migrated turn log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from app.guardrails.base import GuardDecision
from app.store import crud
from app.store.models import Conversation, FeedbackSource, TurnAspect, TurnStatus
from app.turns import PromptRef

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
RETURNS_CITATION = {
    "index": 1,
    "chunk_id": "luma_pages.csv#customer-service-1",
    "source": "luma_pages.csv",
    "title": "Customer Service — Returns and Replacements",
    "snippet": (
        "You may return most new, unopened items within 30 days of delivery for a full refund."
    ),
    "anchor": "/customer-service#returns-and-replacements",
    "score": 0.82,
}


@dataclass
class TurnSpec:
    """One turn to seed, with what the trust, guards and shopper recorded about it."""

    user_text: str = "What is your return policy?"
    answer: str | None = "You can return new, unopened items within 30 days of delivery [1]."
    trust: float | None = None
    conversation_trust: float | None = None
    confidence: float | None = None
    sentiment: str | None = None
    aspects: list[tuple[str, str]] = field(default_factory=list)
    feedback: int | None = None  # 1 up, 0 down
    feedback_comment: str | None = None
    flagged: bool = False
    blocked_by: str | None = None
    failed_guards: list[str] = field(default_factory=list)
    prompt_version: int = 1
    backend: str = "extractive"
    failed: bool = False
    citations: list[dict[str, object]] = field(default_factory=lambda: [dict(RETURNS_CITATION)])


@dataclass(frozen=True)
class Seeded:
    """Ids of a seeded conversation and its turns (in order)."""

    id: str
    turn_ids: list[str]


def new_id(prefix: str = "c") -> str:
    """A fresh id like the UI's thread ids."""
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def seed_conversation(
    session: Session,
    turns: list[TurnSpec],
    *,
    conversation_id: str | None = None,
    at: datetime = NOW,
    handoff: str | None = None,
    user_id: str = "shopper-0123456789abcdef01234567",
) -> Seeded:
    """Write a conversation with `turns` one minute apart (and a handoff when given)."""
    conversation_id = conversation_id or new_id()
    crud.ensure_conversation(
        session, conversation_id=conversation_id, channel="web", user_id=user_id, now=at
    )
    turn_ids = [
        _seed_turn(session, conversation_id, spec, at + timedelta(minutes=i))
        for i, spec in enumerate(turns)
    ]
    conversation = session.get(Conversation, conversation_id)
    assert conversation is not None
    trusts = [t.conversation_trust for t in turns if t.conversation_trust is not None]
    conversation.trust_score = trusts[-1] if trusts else None
    if handoff is not None:
        crud.add_handoff(
            session,
            conversation=conversation,
            reason=handoff,
            turn_id=turn_ids[-1],
            conversation_trust=conversation.trust_score,
            now=at + timedelta(minutes=len(turns)),
        )
    session.add(conversation)
    session.commit()
    return Seeded(conversation_id, turn_ids)


def _seed_turn(session: Session, conversation_id: str, spec: TurnSpec, at: datetime) -> str:
    turn_id = new_id("t")
    prompt = PromptRef("answer", spec.prompt_version, "ab" * 32)
    turn = crud.create_turn(
        session,
        turn_id=turn_id,
        conversation_id=conversation_id,
        user_text=spec.user_text,
        prompt=prompt,
        backend=spec.backend,
        model=spec.backend,
        now=at,
    )
    turn.status = TurnStatus.FAILED if spec.failed else TurnStatus.ANSWERED
    turn.finished_at = at + timedelta(seconds=1)
    turn.resolved_question = spec.user_text
    turn.answer = spec.answer
    turn.citations = spec.citations
    turn.retrieve_ms, turn.generate_ms, turn.total_ms = 4.2, 11.5, 17.9
    turn.trust_score = spec.trust
    turn.trust_level = None if spec.trust is None else ("low" if spec.trust < 0.4 else "high")
    turn.sentiment = spec.sentiment
    turn.answer_confidence = spec.confidence
    turn.conversation_trust = spec.conversation_trust
    turn.flagged_for_agent = spec.flagged
    turn.blocked_by = spec.blocked_by
    if spec.confidence is not None:
        turn.confidence_detail = {
            "score": spec.confidence,
            "retrieval": 0.8,
            "grounding": 1.0,
            "guards_passed": not spec.failed_guards,
            "knew_answer": True,
        }
    session.add(turn)
    session.flush()
    _seed_extras(session, turn_id, spec, at)
    return turn_id


def _seed_extras(session: Session, turn_id: str, spec: TurnSpec, at: datetime) -> None:
    session.add_all(
        TurnAspect(turn_id=turn_id, aspect=a, polarity=p, confidence=0.9) for a, p in spec.aspects
    )
    decisions = [GuardDecision("size", "input", True, "pass", 0.0, 0.1)]
    decisions += [
        GuardDecision(name, "output", False, "fix", 0.9, 1.2) for name in spec.failed_guards
    ]
    crud.add_guard_decisions(session, turn_id=turn_id, decisions=decisions, now=at)
    if spec.feedback is not None:
        crud.add_feedback(
            session,
            turn_id=turn_id,
            score=spec.feedback,
            comment=spec.feedback_comment,
            source=FeedbackSource.CHAINLIT,
            now=at + timedelta(seconds=30),
        )
