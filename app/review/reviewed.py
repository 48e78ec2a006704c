"""Turns agents approved or corrected, with the answer that should be learnt and what came before.

Rules (the fine-tuning export and its dataset card state them):
- a turn with a correction is taken with the agent's latest corrected answer in place of the
  bot's; the shopper's rating of the replaced answer does not count against it (a thumbs-down
  is usually why it was corrected) unless `corrected_need_good_rating` is set;
- a turn without a correction is taken when its latest label is "correct", it was answered
  (not failed), and the shopper's latest rating is not a thumbs-down;
- every other turn (unreviewed, or labelled incorrect / unsafe / unhelpful and not corrected)
  is left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.store.models import Feedback, Turn, TurnStatus
from app.store.review_models import LabelKind, TurnCorrection, TurnLabel

APPROVED, CORRECTED = "approved", "corrected"
L = TypeVar("L", TurnLabel, TurnCorrection)


@dataclass(frozen=True)
class Reviewed:
    """A turn to learn from: the turn, the answer to learn, where it came from, the history."""

    turn: Turn
    answer: str
    origin: str  # APPROVED or CORRECTED
    history: tuple[tuple[str, str], ...]  # earlier (question, answer) pairs, oldest first


@dataclass
class Selection:
    """The turns taken and why the others were left out."""

    taken: list[Reviewed] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)


def select_reviewed(
    session: Session,
    *,
    since: date | None = None,
    until: date | None = None,
    corrected_need_good_rating: bool = False,
) -> Selection:
    """Reviewed turns created between `since` and `until` (days, inclusive, UTC) by the rules."""
    window = _window(since, until)
    labels = _latest(session, TurnLabel, window)
    corrections = _latest(session, TurnCorrection, window)
    ids = sorted(set(corrections) | set(labels))
    ratings = _latest_ratings(session, ids)
    selection = Selection()
    chosen: list[tuple[Turn, str, str]] = []
    for turn in _turns(session, ids):
        verdict = _verdict(turn, labels, corrections, ratings, corrected_need_good_rating)
        if verdict in (APPROVED, CORRECTED):
            answer = corrections[turn.id].answer if verdict == CORRECTED else turn.answer or ""
            chosen.append((turn, answer, verdict))
        else:
            selection.left_out[verdict] += 1
    histories = _histories(session, [turn for turn, _, _ in chosen])
    selection.taken = [
        Reviewed(turn, answer, origin, histories[turn.id]) for turn, answer, origin in chosen
    ]
    return selection


def _verdict(
    turn: Turn,
    labels: dict[str, TurnLabel],
    corrections: dict[str, TurnCorrection],
    ratings: dict[str, int],
    corrected_need_good_rating: bool,
) -> str:
    rated_down = ratings.get(turn.id) == 0
    if turn.id in corrections:
        return "rated down" if rated_down and corrected_need_good_rating else CORRECTED
    label = labels[turn.id].label
    if label != LabelKind.CORRECT:
        return f"labelled {label}"
    if turn.status != TurnStatus.ANSWERED or not turn.answer:
        return "not answered"
    return "rated down" if rated_down else APPROVED


def _window(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    start = datetime.combine(since, time.min, UTC) if since else None
    end = datetime.combine(until, time.min, UTC) + timedelta(days=1) if until else None
    return start, end


def _latest(
    session: Session, table: type[L], window: tuple[datetime | None, datetime | None]
) -> dict[str, L]:
    query = select(table).join(Turn, col(Turn.id) == col(table.turn_id))
    start, end = window
    if start is not None:
        query = query.where(col(Turn.created_at) >= start)
    if end is not None:
        query = query.where(col(Turn.created_at) < end)
    rows: list[L] = list(session.exec(query.order_by(col(table.id))).all())
    return {row.turn_id: row for row in rows}


def _latest_ratings(session: Session, turn_ids: list[str]) -> dict[str, int]:
    ratings: dict[str, int] = {}
    for chunk in _chunks(turn_ids):
        query = (
            sa_select(col(Feedback.turn_id), col(Feedback.score))
            .where(col(Feedback.turn_id).in_(chunk))
            .order_by(col(Feedback.id))
        )
        ratings.update({str(t): int(s) for t, s in session.connection().execute(query).all()})
    return ratings


def _turns(session: Session, turn_ids: list[str]) -> list[Turn]:
    turns: list[Turn] = []
    for chunk in _chunks(turn_ids):
        turns += session.exec(select(Turn).where(col(Turn.id).in_(chunk))).all()
    return sorted(turns, key=lambda t: (t.created_at, t.conversation_id, t.number))


def _histories(session: Session, turns: list[Turn]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Earlier answered turns of each turn's conversation, corrected answers in place."""
    conversation_ids = sorted({turn.conversation_id for turn in turns})
    earlier: defaultdict[str, list[Turn]] = defaultdict(list)
    for chunk in _chunks(conversation_ids):
        query = select(Turn).where(col(Turn.conversation_id).in_(chunk)).order_by(col(Turn.number))
        for row in session.exec(query).all():
            earlier[row.conversation_id].append(row)
    all_ids = [t.id for rows in earlier.values() for t in rows]
    fixes = _latest_corrections(session, all_ids)
    return {
        turn.id: tuple(
            (t.resolved_question or t.user_text, fixes.get(t.id, t.answer or ""))
            for t in earlier[turn.conversation_id]
            if t.number < turn.number and t.status == TurnStatus.ANSWERED
        )
        for turn in turns
    }


def _latest_corrections(session: Session, turn_ids: list[str]) -> dict[str, str]:
    fixes: dict[str, str] = {}
    for chunk in _chunks(turn_ids):
        query = (
            sa_select(col(TurnCorrection.turn_id), col(TurnCorrection.answer))
            .where(col(TurnCorrection.turn_id).in_(chunk))
            .order_by(col(TurnCorrection.id))
        )
        fixes.update({str(t): str(a) for t, a in session.connection().execute(query).all()})
    return fixes


def _chunks(ids: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
