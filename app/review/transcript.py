"""One conversation as an agent reviews it: every turn with what the log knows about it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
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
from app.store.takeover_crud import agent_replies, takeovers
from app.store.takeover_models import AgentReply, Takeover

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


@dataclass(frozen=True)
class TimelineEntry:
    """One thing in the conversation, in time order: a turn, an agent reply or a takeover step."""

    at: datetime
    turn: TurnView | None = None
    reply: AgentReply | None = None
    took_over: Takeover | None = None  # an agent took the conversation over here
    handed_back: Takeover | None = None  # ... and handed it back to the bot here
    held_by: str | None = None  # for a turn: the agent who held the conversation (bot quiet)


@dataclass
class Transcript:
    """A conversation, its turns in order, its handoffs, takeovers and agent replies."""

    conversation: Conversation
    turns: list[TurnView]
    handoffs: list[HandoffRow]
    takeovers: list[Takeover] = field(default_factory=list)
    agent_replies: list[AgentReply] = field(default_factory=list)

    @property
    def open_handoff(self) -> bool:
        """Whether a person was asked for and nobody resolved it yet."""
        return self.conversation.handoff_status == "requested"

    @property
    def takeover(self) -> Takeover | None:
        """The open takeover: the agent who holds the conversation now (None: the bot answers)."""
        return next((t for t in reversed(self.takeovers) if t.ended_at is None), None)

    def timeline(self) -> list[TimelineEntry]:
        """Turns, agent replies and takeover steps in the order they happened."""
        entries = [TimelineEntry(t.started_at, took_over=t) for t in self.takeovers]
        entries += [TimelineEntry(t.ended_at, handed_back=t) for t in self.takeovers if t.ended_at]
        entries += [TimelineEntry(r.created_at, reply=r) for r in self.agent_replies]
        entries += [
            TimelineEntry(v.turn.created_at, turn=v, held_by=self._holder_at(v.turn.created_at))
            for v in self.turns
        ]
        # A takeover step comes before a turn or reply of the same instant; turns keep their order.
        return sorted(entries, key=lambda e: (e.at, e.turn is not None or e.reply is not None))

    def _holder_at(self, when: datetime) -> str | None:
        for held in self.takeovers:
            if held.started_at <= when and (held.ended_at is None or when < held.ended_at):
                return held.agent
        return None

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
    return Transcript(
        conversation=conversation,
        turns=views,
        handoffs=list(handoffs),
        takeovers=takeovers(session, conversation_id=conversation_id),
        agent_replies=agent_replies(session, conversation_id=conversation_id),
    )


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
