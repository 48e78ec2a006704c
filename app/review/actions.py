"""What an agent can do to the log: label a turn, correct its answer, resolve a handoff.

Every action stores the agent's name and the time; callers own the session (and the commit).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, col, select

from app.store.models import Conversation, HandoffRow, HandoffStatus, Turn, utcnow
from app.store.review_models import LabelKind, TurnCorrection, TurnLabel

logger = logging.getLogger(__name__)

MAX_REASON_CHARS = 2000
MAX_ANSWER_CHARS = 8000


class ReviewError(ValueError):
    """An action that cannot be taken as asked (the message is safe to show the agent)."""


def label_turn(
    session: Session,
    *,
    turn_id: str,
    label: str,
    reason: str,
    agent: str,
    now: datetime | None = None,
) -> TurnLabel:
    """Record an agent's verdict on a turn's answer (correct/incorrect/unsafe/unhelpful)."""
    try:
        kind = LabelKind(label)
    except ValueError as error:
        raise ReviewError(f"unknown label {label!r}") from error
    reason = reason.strip()
    if len(reason) > MAX_REASON_CHARS:
        raise ReviewError(f"the reason is longer than {MAX_REASON_CHARS} characters")
    if kind is not LabelKind.CORRECT and not reason:
        raise ReviewError("say why the answer is not right")
    turn = _turn(session, turn_id)
    row = TurnLabel(
        turn_id=turn.id, label=kind, reason=reason, agent=agent, created_at=now or utcnow()
    )
    session.add(row)
    logger.info(
        "turn labelled",
        extra={"turn_id": turn.id, "conversation_id": turn.conversation_id, "agent": agent},
    )
    return row


def correct_turn(
    session: Session,
    *,
    turn_id: str,
    answer: str,
    agent: str,
    now: datetime | None = None,
) -> TurnCorrection:
    """Record the answer the bot should have given; the latest one replaces it in exports."""
    answer = answer.strip()
    if not answer:
        raise ReviewError("the corrected answer is empty")
    if len(answer) > MAX_ANSWER_CHARS:
        raise ReviewError(f"the corrected answer is longer than {MAX_ANSWER_CHARS} characters")
    turn = _turn(session, turn_id)
    row = TurnCorrection(turn_id=turn.id, answer=answer, agent=agent, created_at=now or utcnow())
    session.add(row)
    logger.info(
        "turn corrected",
        extra={"turn_id": turn.id, "conversation_id": turn.conversation_id, "agent": agent},
    )
    return row


def resolve_handoff(
    session: Session,
    *,
    conversation_id: str,
    agent: str,
    now: datetime | None = None,
) -> list[HandoffRow]:
    """Close a conversation's open handoffs: resolved by `agent` now; returns the rows closed."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise LookupError(f"no conversation {conversation_id!r}")
    if conversation.handoff_status != HandoffStatus.REQUESTED:
        raise ReviewError("this conversation has no open handoff")
    now = now or utcnow()
    open_rows = session.exec(
        select(HandoffRow).where(
            HandoffRow.conversation_id == conversation_id, col(HandoffRow.resolved_at).is_(None)
        )
    ).all()
    for row in open_rows:
        row.resolved_at = now
        row.resolved_by = agent
        session.add(row)
    conversation.handoff_status = HandoffStatus.RESOLVED
    session.add(conversation)
    logger.info("handoff resolved", extra={"conversation_id": conversation_id, "agent": agent})
    return list(open_rows)


def _turn(session: Session, turn_id: str) -> Turn:
    turn = session.get(Turn, turn_id)
    if turn is None:
        raise LookupError(f"no turn {turn_id!r}")
    return turn
