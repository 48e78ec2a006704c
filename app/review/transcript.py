"""One conversation as an agent reviews it: every turn with what the log knows about it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import Session, col, select

from app.store.models import (
    Conversation,
    Feedback,
    GuardDecisionRow,
    HandoffRow,
    Turn,
    TurnAspect,
)
from app.store.review_models import TurnCorrection, TurnLabel

R = TypeVar("R", Feedback, GuardDecisionRow, TurnAspect, TurnCorrection, TurnLabel)


@dataclass
class TurnView:
    """A turn with its aspects, guard decisions, shopper feedback, labels and corrections."""

    turn: Turn
    aspects: list[TurnAspect] = field(default_factory=list)
    guards: list[GuardDecisionRow] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    labels: list[TurnLabel] = field(default_factory=list)
    corrections: list[TurnCorrection] = field(default_factory=list)

    @property
    def latest_feedback(self) -> Feedback | None:
        """The shopper's rating that counts (the latest)."""
        return self.feedback[-1] if self.feedback else None

    @property
    def latest_label(self) -> TurnLabel | None:
        """The agents' label that counts (the latest)."""
        return self.labels[-1] if self.labels else None

    @property
    def latest_correction(self) -> TurnCorrection | None:
        """The corrected answer that counts (the latest)."""
        return self.corrections[-1] if self.corrections else None

    @property
    def failed_guards(self) -> list[GuardDecisionRow]:
        """Guard checks that did not pass."""
        return [g for g in self.guards if not g.passed]


@dataclass
class Transcript:
    """A conversation, its turns in order and its handoffs."""

    conversation: Conversation
    turns: list[TurnView]
    handoffs: list[HandoffRow]

    @property
    def open_handoff(self) -> bool:
        """Whether a person was asked for and nobody resolved it yet."""
        return self.conversation.handoff_status == "requested"

    def trust_series(self) -> list[tuple[int, float]]:
        """(turn number, conversation trust after it) for the turns that were scored."""
        return [
            (view.turn.number, view.turn.conversation_trust)
            for view in self.turns
            if view.turn.conversation_trust is not None
        ]


def load_transcript(session: Session, conversation_id: str) -> Transcript | None:
    """The conversation with every turn and what was recorded about it (None if unknown)."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    query = (
        select(Turn)
        .where(Turn.conversation_id == conversation_id)
        .order_by(col(Turn.number), col(Turn.created_at))
    )
    turns = list(session.exec(query).all())
    ids = [turn.id for turn in turns]
    aspects = _by_turn(_rows(session, TurnAspect, ids))
    guards = _by_turn(_rows(session, GuardDecisionRow, ids))
    feedback = _by_turn(_rows(session, Feedback, ids))
    labels = _by_turn(_rows(session, TurnLabel, ids))
    corrections = _by_turn(_rows(session, TurnCorrection, ids))
    views = [
        TurnView(
            turn=turn,
            aspects=aspects[turn.id],
            guards=guards[turn.id],
            feedback=feedback[turn.id],
            labels=labels[turn.id],
            corrections=corrections[turn.id],
        )
        for turn in turns
    ]
    handoffs = session.exec(
        select(HandoffRow)
        .where(HandoffRow.conversation_id == conversation_id)
        .order_by(col(HandoffRow.id))
    ).all()
    return Transcript(conversation=conversation, turns=views, handoffs=list(handoffs))


def _rows(session: Session, table: type[R], turn_ids: Sequence[str]) -> list[R]:
    if not turn_ids:
        return []
    query = select(table).where(col(table.turn_id).in_(turn_ids)).order_by(col(table.id))
    return list(session.exec(query).all())


def _by_turn(rows: list[R]) -> defaultdict[str, list[R]]:
    grouped: defaultdict[str, list[R]] = defaultdict(list)
    for row in rows:
        grouped[row.turn_id].append(row)
    return grouped
