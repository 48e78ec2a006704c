"""Reads for the live A/B report: the turns one prompt answered, with feedback and handoffs."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, or_, select

from app.store.models import Conversation, Feedback, HandoffRow, HandoffStatus, Turn

EVAL_CHANNELS = ("eval",)  # conversations opened by `trustdesk eval run`, not by shoppers


@dataclass(frozen=True)
class PromptTurn:
    """One logged turn of a prompt, with what its conversation and the shopper made of it."""

    turn_id: str
    conversation_id: str
    number: int
    created_at: datetime
    prompt_version: int
    trust_score: float | None
    feedback: int | None  # the latest thumbs up (1) / down (0), None when not rated
    handed_off: bool  # the conversation was handed to a person (status or a handoff row)


def prompt_turns(
    session: Session,
    *,
    prompt_name: str,
    since: date | None = None,
    until: date | None = None,
    exclude_channels: Collection[str] = EVAL_CHANNELS,
) -> list[PromptTurn]:
    """Turns answered with any version of `prompt_name` between two UTC days (inclusive)."""
    query = (
        select(Turn, Conversation.handoff_status)
        .join(Conversation, col(Conversation.id) == col(Turn.conversation_id))
        .where(Turn.prompt_name == prompt_name)
        .where(
            or_(
                col(Conversation.channel).is_(None),
                col(Conversation.channel).not_in(list(exclude_channels)),
            )
        )
        .order_by(col(Turn.created_at), col(Turn.number))
    )
    if since is not None:
        query = query.where(col(Turn.created_at) >= datetime.combine(since, time.min, UTC))
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), time.min, UTC)
        query = query.where(col(Turn.created_at) < end)
    rows = list(session.exec(query).all())
    feedback = _latest_feedback(session, [turn.id for turn, _ in rows])
    handed = _handed_off(session, {turn.conversation_id for turn, _ in rows})
    return [
        PromptTurn(
            turn_id=turn.id,
            conversation_id=turn.conversation_id,
            number=turn.number,
            created_at=turn.created_at,
            prompt_version=turn.prompt_version,
            trust_score=turn.trust_score,
            feedback=feedback.get(turn.id),
            handed_off=status != HandoffStatus.NONE or turn.conversation_id in handed,
        )
        for turn, status in rows
    ]


def _latest_feedback(session: Session, turn_ids: list[str]) -> dict[str, int]:
    latest: dict[str, int] = {}
    for chunk in _chunks(turn_ids):
        query = select(Feedback.turn_id, Feedback.score).where(col(Feedback.turn_id).in_(chunk))
        for turn_id, score in session.exec(query.order_by(col(Feedback.id))).all():
            latest[turn_id] = score  # ordered by id: the last one written wins
    return latest


def _handed_off(session: Session, conversation_ids: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(conversation_ids)):
        query = select(HandoffRow.conversation_id).where(col(HandoffRow.conversation_id).in_(chunk))
        found.update(session.exec(query).all())
    return found


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    """Slices small enough for any database's limit on bound parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
