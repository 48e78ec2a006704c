"""The agents' queue: conversations matching the filters, their risk signals, ranked by risk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from app.review.filters import QueueFilters
from app.review.ranking import RiskScore, RiskSignals, risk_score
from app.store.models import (
    Conversation,
    Feedback,
    GuardDecisionRow,
    HandoffStatus,
    Turn,
    TurnAspect,
)
from app.store.review_models import TurnCorrection, TurnLabel

MAX_CANDIDATES = 2000  # most recent matching conversations ranked per request
PAGE_SIZE = 50
_IN_CHUNK = 500


@dataclass
class QueueItem:
    """One conversation in the queue: what it is, why it is risky, whether it was reviewed."""

    conversation: Conversation
    signals: RiskSignals
    risk: RiskScore
    first_message: str = ""
    aspects: dict[str, str] = field(default_factory=dict)  # aspect -> latest polarity
    last_review_at: datetime | None = None

    @property
    def reviewed(self) -> bool:
        """Whether an agent labelled or corrected something since the latest turn."""
        return self.last_review_at is not None and self.last_review_at >= _aware(
            self.conversation.updated_at
        )


@dataclass(frozen=True)
class QueuePage:
    """One page of the ranked queue."""

    items: list[QueueItem]
    total: int
    page: int
    pages: int


def ranked_queue(session: Session, filters: QueueFilters) -> QueuePage:
    """Conversations matching `filters`, riskiest first (newest activity breaks ties)."""
    conversations = list(session.exec(_candidates(filters)).all())
    items = _items(session, conversations)
    if filters.review is not None:
        want = filters.review == "reviewed"
        items = [item for item in items if item.reviewed == want]
    items.sort(key=lambda i: (-i.risk.score, -_aware(i.conversation.updated_at).timestamp()))
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(filters.page, pages)
    start = (page - 1) * PAGE_SIZE
    return QueuePage(items[start : start + PAGE_SIZE], len(items), page, pages)


def queue_choices(session: Session) -> dict[str, list[str]]:
    """Values the filter menus offer: prompt versions and backends seen in the log."""
    prompts = session.exec(select(Turn.prompt_name, Turn.prompt_version).distinct()).all()
    backends = session.exec(select(Turn.backend).distinct()).all()
    return {
        "prompts": sorted(f"{name}@v{version}" for name, version in prompts),
        "backends": sorted(backends),
    }


def _candidates(filters: QueueFilters) -> Any:
    query = select(Conversation)
    start, end = filters.window()
    if start is not None:
        query = query.where(col(Conversation.updated_at) >= start)
    if end is not None:
        query = query.where(col(Conversation.updated_at) < end)
    if filters.handoff is not None:
        query = query.where(Conversation.handoff_status == filters.handoff)
    turn_filter = _turn_conditions(filters)
    if turn_filter is not None:
        query = query.where(
            col(Conversation.id).in_(select(Turn.conversation_id).where(turn_filter))
        )
    if filters.q:
        query = query.where(_search(filters.q))
    if filters.aspect is not None:
        with_aspect = (
            select(Turn.conversation_id)
            .join(TurnAspect, col(TurnAspect.turn_id) == col(Turn.id))
            .where(TurnAspect.aspect == filters.aspect.value)
        )
        query = query.where(col(Conversation.id).in_(with_aspect))
    return query.order_by(col(Conversation.updated_at).desc()).limit(MAX_CANDIDATES)


def _turn_conditions(filters: QueueFilters) -> ColumnElement[bool] | None:
    conditions: list[ColumnElement[bool]] = []
    if filters.prompt is not None:
        name, version = filters.prompt
        conditions.append(and_(col(Turn.prompt_name) == name, col(Turn.prompt_version) == version))
    if filters.backend is not None:
        conditions.append(col(Turn.backend) == filters.backend)
    return and_(*conditions) if conditions else None


def _search(q: str) -> ColumnElement[bool]:
    """Conversations whose id starts with `q` or with a message or answer containing it."""
    needle = q.lower()
    in_turns = select(Turn.conversation_id).where(
        or_(
            func.lower(col(Turn.user_text)).contains(needle, autoescape=True),
            func.lower(func.coalesce(col(Turn.answer), "")).contains(needle, autoescape=True),
        )
    )
    return or_(
        col(Conversation.id).startswith(q, autoescape=True),
        col(Conversation.id).in_(in_turns),
    )


def _items(session: Session, conversations: Sequence[Conversation]) -> list[QueueItem]:
    ids = [c.id for c in conversations]
    turns = _turn_facts(session, ids)
    thumbs_down = _thumbs_down(session, ids)
    failures = _other_guard_failures(session, ids)
    reviews = _last_reviews(session, ids)
    aspects = _aspects(session, ids)
    items = []
    for conversation in conversations:
        facts = turns.get(conversation.id, [])
        signals = _signals(conversation, facts, thumbs_down[conversation.id], failures)
        items.append(
            QueueItem(
                conversation=conversation,
                signals=signals,
                risk=risk_score(signals),
                first_message=facts[0]["user_text"] if facts else "",
                aspects=aspects.get(conversation.id, {}),
                last_review_at=reviews.get(conversation.id),
            )
        )
    return items


def _signals(
    conversation: Conversation,
    facts: list[dict[str, Any]],
    thumbs_down: int,
    failures: dict[str, int],
) -> RiskSignals:
    trusts = [f["conversation_trust"] for f in facts if f["conversation_trust"] is not None]
    confidences = [f["answer_confidence"] for f in facts if f["answer_confidence"] is not None]
    return RiskSignals(
        trust=conversation.trust_score if conversation.trust_score is not None else _last(trusts),
        peak_trust=max(trusts[:-1]) if len(trusts) > 1 else None,
        thumbs_down=thumbs_down,
        flagged_turns=sum(1 for f in facts if f["flagged_for_agent"]),
        blocked_turns=sum(1 for f in facts if f["blocked_by"]),
        other_guard_failures=failures.get(conversation.id, 0),
        handoff_requested=conversation.handoff_status == HandoffStatus.REQUESTED,
        min_confidence=min(confidences) if confidences else None,
    )


def _turn_facts(session: Session, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    columns = (
        col(Turn.conversation_id),
        col(Turn.number),
        col(Turn.user_text),
        col(Turn.conversation_trust),
        col(Turn.answer_confidence),
        col(Turn.flagged_for_agent),
        col(Turn.blocked_by),
    )
    facts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    connection = session.connection()
    for chunk in _chunks(ids):
        query = (
            sa_select(*columns)
            .where(col(Turn.conversation_id).in_(chunk))
            .order_by(col(Turn.number), col(Turn.created_at))
        )
        for row in connection.execute(query).mappings():
            facts[row["conversation_id"]].append(dict(row))
    return facts


def _thumbs_down(session: Session, ids: list[str]) -> defaultdict[str, int]:
    latest: dict[str, tuple[str, int]] = {}  # turn id -> (conversation id, latest score)
    for chunk in _chunks(ids):
        query = (
            select(Feedback.turn_id, Turn.conversation_id, Feedback.score)
            .join(Turn, col(Turn.id) == col(Feedback.turn_id))
            .where(col(Turn.conversation_id).in_(chunk))
            .order_by(col(Feedback.id))
        )
        for turn_id, conversation_id, score in session.exec(query).all():
            latest[turn_id] = (conversation_id, score)
    counts: defaultdict[str, int] = defaultdict(int)
    for conversation_id, score in latest.values():
        counts[conversation_id] += score == 0
    return counts


def _other_guard_failures(session: Session, ids: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for chunk in _chunks(ids):
        query = (
            select(Turn.conversation_id, func.count())
            .select_from(GuardDecisionRow)
            .join(Turn, col(Turn.id) == col(GuardDecisionRow.turn_id))
            .where(
                col(Turn.conversation_id).in_(chunk),
                col(GuardDecisionRow.passed).is_(False),
                col(Turn.flagged_for_agent).is_(False),
                col(Turn.blocked_by).is_(None),
            )
            .group_by(col(Turn.conversation_id))
        )
        counts.update({cid: int(n) for cid, n in session.exec(query).all()})
    return counts


def _last_reviews(session: Session, ids: list[str]) -> dict[str, datetime]:
    last: dict[str, datetime] = {}
    for table in (TurnLabel, TurnCorrection):
        for chunk in _chunks(ids):
            query = (
                select(Turn.conversation_id, func.max(col(table.created_at)))
                .join(Turn, col(Turn.id) == col(table.turn_id))
                .where(col(Turn.conversation_id).in_(chunk))
                .group_by(col(Turn.conversation_id))
            )
            for conversation_id, when in session.exec(query).all():
                when = _aware(when)
                if conversation_id not in last or when > last[conversation_id]:
                    last[conversation_id] = when
    return last


def _aspects(session: Session, ids: list[str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for chunk in _chunks(ids):
        query = (
            select(Turn.conversation_id, TurnAspect.aspect, TurnAspect.polarity)
            .join(Turn, col(Turn.id) == col(TurnAspect.turn_id))
            .where(col(Turn.conversation_id).in_(chunk))
            .order_by(col(Turn.number), col(TurnAspect.id))
        )
        for conversation_id, aspect, polarity in session.exec(query).all():
            found[conversation_id][aspect] = polarity
    return found


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _IN_CHUNK):
        yield ids[start : start + _IN_CHUNK]


def _last(values: list[float]) -> float | None:
    return values[-1] if values else None


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were stored in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
