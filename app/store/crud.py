"""Small keyword-only CRUD functions over the turn-log tables; callers own the session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.guardrails.base import GuardDecision
from app.store.models import (
    Conversation,
    Feedback,
    FeedbackSource,
    GuardDecisionRow,
    HandoffRow,
    HandoffStatus,
    Turn,
    TurnAspect,
    TurnStatus,
    utcnow,
)
from app.trust.base import ConversationTrustState
from app.turns import PromptRef, TurnResult


def ensure_conversation(
    session: Session,
    *,
    conversation_id: str,
    channel: str | None = None,
    user_id: str | None = None,
    user_name: str | None = None,
    now: datetime | None = None,
) -> Conversation:
    """The conversation with this id, created if missing; fills user/channel fields still empty."""
    now = now or utcnow()
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        conversation = Conversation(id=conversation_id, created_at=now, updated_at=now)
    conversation.channel = conversation.channel or channel
    conversation.user_id = conversation.user_id or user_id
    conversation.user_name = conversation.user_name or user_name
    session.add(conversation)
    return conversation


def create_turn(
    session: Session,
    *,
    turn_id: str,
    conversation_id: str,
    user_text: str,
    prompt: PromptRef,
    backend: str,
    model: str,
    now: datetime | None = None,
) -> Turn:
    """Record a shopper message as a started turn (creating its conversation if needed)."""
    now = now or utcnow()
    conversation = ensure_conversation(session, conversation_id=conversation_id, now=now)
    conversation.updated_at = now
    turn = session.get(Turn, turn_id)
    if turn is not None:  # a retried write: the turn is already there
        return turn
    conversation.turn_count += 1
    turn = Turn(
        id=turn_id,
        conversation_id=conversation_id,
        number=conversation.turn_count,
        created_at=now,
        user_text=user_text,
        backend=backend,
        model=model,
        prompt_name=prompt.name,
        prompt_version=prompt.version,
        prompt_sha256=prompt.sha256,
    )
    session.add(turn)
    return turn


def finish_turn(session: Session, *, result: TurnResult, now: datetime | None = None) -> Turn:
    """Complete a turn from its result; creates the turn first if its start was never recorded."""
    now = now or utcnow()
    turn = session.get(Turn, result.turn_id) or create_turn(
        session,
        turn_id=result.turn_id,
        conversation_id=result.conversation_id,
        user_text=result.question,
        prompt=result.prompt,
        backend=result.backend,
        model=result.model,
        now=now,
    )
    turn.finished_at = now
    turn.status = TurnStatus.FAILED if result.error else TurnStatus.ANSWERED
    turn.resolved_question = result.resolved_question
    turn.answer = result.answer
    turn.citations = [asdict(citation) for citation in result.citations]
    turn.retrieved = [{"chunk_id": chunk, "score": score} for chunk, score in result.retrieved]
    turn.retrieve_ms = result.latency.retrieve_ms
    turn.generate_ms = result.latency.generate_ms
    turn.total_ms = result.latency.total_ms
    turn.prompt_tokens = result.prompt_tokens
    turn.completion_tokens = result.completion_tokens
    turn.knows_answer = result.knows_answer
    turn.error = result.error
    turn.blocked_by = result.blocked_by
    turn.flagged_for_agent = result.flagged_for_agent
    _touch_conversation(session, conversation_id=turn.conversation_id, now=now)
    session.add(turn)
    add_guard_decisions(session, turn_id=turn.id, decisions=result.guard_decisions, now=now)
    _record_trust(session, turn=turn, result=result, now=now)
    return turn


def _record_trust(session: Session, *, turn: Turn, result: TurnResult, now: datetime) -> None:
    """Store the turn's trust, its aspects, the conversation's running trust and any handoff."""
    if result.trust is not None:
        turn.trust_score = result.trust.score
        turn.trust_level = result.trust.level.value
        turn.sentiment = result.trust.polarity.value
        turn.trust_scorer = result.trust.scorer
        session.add_all(
            TurnAspect(
                turn_id=turn.id,
                aspect=item.aspect.value,
                polarity=item.polarity.value,
                confidence=item.confidence,
            )
            for item in result.trust.aspects
        )
    if result.confidence is not None:
        turn.answer_confidence = result.confidence.score
        turn.confidence_detail = asdict(result.confidence)
    turn.conversation_trust = result.conversation_trust
    conversation = session.get(Conversation, turn.conversation_id)
    if conversation is None:
        return
    if result.conversation_trust is not None:
        conversation.trust_score = result.conversation_trust
    if result.handoff is not None:
        add_handoff(
            session,
            conversation=conversation,
            turn_id=turn.id,
            reason=result.handoff.reason.value,
            conversation_trust=result.handoff.conversation_trust,
            detail=result.handoff.detail,
            now=now,
        )
    session.add(conversation)


def add_handoff(
    session: Session,
    *,
    conversation: Conversation,
    reason: str,
    turn_id: str | None = None,
    conversation_trust: float | None = None,
    detail: str = "",
    now: datetime | None = None,
) -> HandoffRow:
    """Mark a conversation for a person and record why."""
    now = now or utcnow()
    row = HandoffRow(
        conversation_id=conversation.id,
        turn_id=turn_id,
        reason=reason,
        conversation_trust=conversation_trust,
        detail=detail,
        created_at=now,
    )
    conversation.handoff_status = HandoffStatus.REQUESTED
    conversation.handoff_reason = reason
    conversation.handoff_at = now
    session.add(row)
    return row


def trust_state(session: Session, *, conversation_id: str) -> ConversationTrustState | None:
    """A conversation's stored running trust, scored turns and handoff (None if unknown)."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    scored = session.exec(
        select(func.count())
        .select_from(Turn)
        .where(Turn.conversation_id == conversation_id, col(Turn.trust_score).is_not(None))
    ).one()
    return ConversationTrustState(
        trust=conversation.trust_score,
        scored_turns=int(scored),
        handed_off=conversation.handoff_status == HandoffStatus.REQUESTED,
    )


def list_turn_aspects(session: Session, *, turn_id: str) -> list[TurnAspect]:
    """The aspects a turn's message was about, with polarity."""
    query = select(TurnAspect).where(TurnAspect.turn_id == turn_id).order_by(col(TurnAspect.id))
    return list(session.exec(query).all())


def list_handoffs(session: Session, *, conversation_id: str) -> list[HandoffRow]:
    """A conversation's handoffs, oldest first."""
    query = (
        select(HandoffRow)
        .where(HandoffRow.conversation_id == conversation_id)
        .order_by(col(HandoffRow.id))
    )
    return list(session.exec(query).all())


def add_guard_decisions(
    session: Session,
    *,
    turn_id: str,
    decisions: Sequence[GuardDecision],
    now: datetime | None = None,
) -> list[GuardDecisionRow]:
    """Store a turn's guard decisions in the order the guards ran."""
    now = now or utcnow()
    rows = [
        GuardDecisionRow(
            turn_id=turn_id,
            validator=d.validator,
            stage=d.stage,
            passed=d.passed,
            action=d.action,
            score=d.score,
            latency_ms=d.latency_ms,
            detail=d.detail,
            created_at=now,
        )
        for d in decisions
    ]
    session.add_all(rows)
    return rows


def list_guard_decisions(session: Session, *, turn_id: str) -> list[GuardDecisionRow]:
    """A turn's guard decisions, in the order the guards ran."""
    query = (
        select(GuardDecisionRow)
        .where(GuardDecisionRow.turn_id == turn_id)
        .order_by(col(GuardDecisionRow.id))
    )
    return list(session.exec(query).all())


def _touch_conversation(session: Session, *, conversation_id: str, now: datetime) -> None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is not None:
        conversation.updated_at = now
        session.add(conversation)


def add_feedback(
    session: Session,
    *,
    turn_id: str,
    score: int,
    comment: str | None,
    source: FeedbackSource = FeedbackSource.API,
    now: datetime | None = None,
) -> Feedback:
    """Store a thumbs up (1) or down (0) for a turn; refuses other scores and unknown turns."""
    if score not in (0, 1):
        raise ValueError(f"feedback score must be 0 or 1, got {score!r}")
    if session.get(Turn, turn_id) is None:
        raise LookupError(f"no turn {turn_id!r} to attach feedback to")
    feedback = Feedback(
        turn_id=turn_id,
        score=score,
        comment=(comment or "").strip() or None,
        source=source,
        created_at=now or utcnow(),
    )
    session.add(feedback)
    return feedback


def get_turn(session: Session, *, turn_id: str) -> Turn | None:
    """One turn by id."""
    return session.get(Turn, turn_id)


def list_turns(session: Session, *, conversation_id: str, limit: int | None = None) -> list[Turn]:
    """Turns of a conversation, oldest first (the last `limit` when given)."""
    query = (
        select(Turn)
        .where(Turn.conversation_id == conversation_id)
        .order_by(col(Turn.number).desc(), col(Turn.created_at).desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(reversed(session.exec(query).all()))


def list_feedback(session: Session, *, turn_id: str) -> list[Feedback]:
    """Feedback given on a turn, oldest first."""
    query = select(Feedback).where(Feedback.turn_id == turn_id).order_by(col(Feedback.id))
    return list(session.exec(query).all())


def answered_history(
    session: Session, *, conversation_id: str, limit: int
) -> list[tuple[str, str]]:
    """The last `limit` answered (resolved question, answer) pairs, oldest first."""
    query = (
        select(Turn)
        .where(Turn.conversation_id == conversation_id, Turn.status == TurnStatus.ANSWERED)
        .order_by(col(Turn.number).desc(), col(Turn.created_at).desc())
        .limit(limit)
    )
    turns = reversed(session.exec(query).all())
    return [(turn.resolved_question or turn.user_text, turn.answer or "") for turn in turns]
