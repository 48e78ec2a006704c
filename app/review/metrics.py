"""Numbers behind the dashboards: daily trust, feedback and handoff rates, aspects, drift."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import fmean
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.config import ReviewSettings
from app.review.drift import TRUST_EDGES, DriftCheck, bin_labels, check_drift, histogram
from app.store.models import Feedback, HandoffRow, Turn, TurnAspect
from app.store.review_models import TurnLabel
from app.trust.base import Aspect, Polarity

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Day:
    """One day of activity."""

    day: date
    turns: int
    conversations: int
    mean_trust: float | None
    scored: int  # turns with a trust score
    rated: int  # answers the shopper rated
    thumbs_down: int
    handoffs: int  # conversations handed to a person that day

    @property
    def feedback_rate(self) -> float | None:
        """Share of turns the shopper rated."""
        return self.rated / self.turns if self.turns else None

    @property
    def thumbs_down_rate(self) -> float | None:
        """Share of turns rated down."""
        return self.thumbs_down / self.turns if self.turns else None

    @property
    def handoff_rate(self) -> float | None:
        """Share of the day's conversations handed to a person."""
        return self.handoffs / self.conversations if self.conversations else None


@dataclass(frozen=True)
class PromptStats:
    """How one prompt version did over the window."""

    prompt: str
    turns: int
    conversations: int
    mean_trust: float | None
    thumbs_up_rate: float | None  # of rated answers
    handoff_rate: float | None  # of its conversations
    mean_confidence: float | None
    labelled_correct: float | None  # share of labelled answers agents called correct


@dataclass
class Dashboard:
    """Everything the dashboard page shows."""

    start: datetime
    end: datetime
    days: list[Day]
    aspects: dict[str, Counter[str]] = field(default_factory=dict)  # aspect -> polarity counts
    prompts: list[PromptStats] = field(default_factory=list)
    drift: list[DriftCheck] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, Any]:
        """Headline numbers for the window."""
        turns = sum(d.turns for d in self.days)
        scored = sum(d.scored for d in self.days)
        trust_sum = sum((d.mean_trust or 0.0) * d.scored for d in self.days)
        conversations = sum(d.conversations for d in self.days)
        return {
            "turns": turns,
            "mean_trust": trust_sum / scored if scored else None,
            "feedback_rate": sum(d.rated for d in self.days) / turns if turns else None,
            "thumbs_down": sum(d.thumbs_down for d in self.days),
            "handoff_rate": (
                sum(d.handoffs for d in self.days) / conversations if conversations else None
            ),
        }

    @property
    def drifting(self) -> list[DriftCheck]:
        """The distributions that drifted past the threshold."""
        return [check for check in self.drift if check.alert]


def build_dashboard(
    session: Session, *, days: int, now: datetime, review: ReviewSettings
) -> Dashboard:
    """The dashboard over the `days` days up to `now`, with this week's drift check."""
    end = now.astimezone(UTC)
    start = datetime.combine(end.date() - timedelta(days=days - 1), datetime.min.time(), UTC)
    turns = _turn_rows(session, start, end)
    feedback = _latest_feedback(session, start, end)
    handoffs = _handoffs(session, start, end)
    return Dashboard(
        start=start,
        end=end,
        days=_days(turns, feedback, handoffs, start.date(), end.date()),
        aspects=_aspect_polarity(session, start, end),
        prompts=_prompt_stats(session, turns, feedback, handoffs, start, end),
        drift=drift_checks(session, now=end, review=review),
    )


def drift_checks(session: Session, *, now: datetime, review: ReviewSettings) -> list[DriftCheck]:
    """This week's trust, aspect and sentiment distributions against the weeks before."""
    split = now - WEEK
    begin = split - review.drift_baseline_weeks * WEEK
    rows = _turn_rows(session, begin, now)
    current = [r for r in rows if _aware(r["created_at"]) >= split]
    baseline = [r for r in rows if _aware(r["created_at"]) < split]
    aspects_now, aspects_before = (
        _aspect_counts(session, split, now),
        _aspect_counts(session, begin, split),
    )
    aspect_names = [a.value for a in Aspect]
    compared = [
        ("trust", bin_labels(TRUST_EDGES), _trust_bins(baseline), _trust_bins(current)),
        (
            "aspects",
            aspect_names,
            [aspects_before[a] for a in aspect_names],
            [aspects_now[a] for a in aspect_names],
        ),
        ("sentiment", [p.value for p in Polarity], _sentiments(baseline), _sentiments(current)),
    ]
    return [
        check_drift(
            name,
            labels,
            before,
            after,
            threshold=review.drift_threshold,
            min_samples=review.drift_min_samples,
        )
        for name, labels, before, after in compared
    ]


def _trust_bins(rows: list[dict[str, Any]]) -> list[int]:
    return list(histogram(r["trust_score"] for r in rows if r["trust_score"] is not None))


def _sentiments(rows: list[dict[str, Any]]) -> list[int]:
    counts = Counter(r["sentiment"] for r in rows if r["sentiment"])
    return [counts[p.value] for p in Polarity]


def _turn_rows(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    columns = (
        col(Turn.id),
        col(Turn.conversation_id),
        col(Turn.created_at),
        col(Turn.trust_score),
        col(Turn.sentiment),
        col(Turn.answer_confidence),
        col(Turn.prompt_name),
        col(Turn.prompt_version),
    )
    query = sa_select(*columns).where(col(Turn.created_at) >= start, col(Turn.created_at) < end)
    return [dict(row) for row in session.connection().execute(query).mappings()]


def _latest_feedback(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    query = (
        sa_select(col(Feedback.turn_id), col(Feedback.score))
        .join(Turn, col(Turn.id) == col(Feedback.turn_id))
        .where(col(Turn.created_at) >= start, col(Turn.created_at) < end)
        .order_by(col(Feedback.id))
    )
    return {str(t): int(score) for t, score in session.connection().execute(query).all()}


def _handoffs(session: Session, start: datetime, end: datetime) -> dict[str, date]:
    """Conversation id -> day of its first handoff in the window."""
    query = (
        sa_select(col(HandoffRow.conversation_id), col(HandoffRow.created_at))
        .where(col(HandoffRow.created_at) >= start, col(HandoffRow.created_at) < end)
        .order_by(col(HandoffRow.id))
    )
    first: dict[str, date] = {}
    for conversation_id, created in session.connection().execute(query).all():
        first.setdefault(conversation_id, _aware(created).date())
    return first


def _days(
    turns: list[dict[str, Any]],
    feedback: dict[str, int],
    handoffs: dict[str, date],
    first: date,
    last: date,
) -> list[Day]:
    by_day: defaultdict[date, list[dict[str, Any]]] = defaultdict(list)
    for row in turns:
        by_day[_aware(row["created_at"]).date()].append(row)
    handoffs_by_day = Counter(handoffs.values())
    out = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        rows = by_day.get(day, [])
        trusts = [r["trust_score"] for r in rows if r["trust_score"] is not None]
        scores = [feedback[r["id"]] for r in rows if r["id"] in feedback]
        out.append(
            Day(
                day=day,
                turns=len(rows),
                conversations=len({r["conversation_id"] for r in rows}),
                mean_trust=fmean(trusts) if trusts else None,
                scored=len(trusts),
                rated=len(scores),
                thumbs_down=scores.count(0),
                handoffs=handoffs_by_day.get(day, 0),
            )
        )
    return out


def _aspect_polarity(session: Session, start: datetime, end: datetime) -> dict[str, Counter[str]]:
    query = (
        sa_select(col(TurnAspect.aspect), col(TurnAspect.polarity))
        .join(Turn, col(Turn.id) == col(TurnAspect.turn_id))
        .where(col(Turn.created_at) >= start, col(Turn.created_at) < end)
    )
    counts: dict[str, Counter[str]] = {a.value: Counter() for a in Aspect}
    for aspect, polarity in session.connection().execute(query).all():
        counts.setdefault(aspect, Counter())[polarity] += 1
    return counts


def _aspect_counts(session: Session, start: datetime, end: datetime) -> Counter[str]:
    return Counter(
        {aspect: sum(c.values()) for aspect, c in _aspect_polarity(session, start, end).items()}
    )


def _prompt_stats(
    session: Session,
    turns: list[dict[str, Any]],
    feedback: dict[str, int],
    handoffs: dict[str, date],
    start: datetime,
    end: datetime,
) -> list[PromptStats]:
    labels = _latest_labels(session, start, end)
    groups: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in turns:
        groups[f"{row['prompt_name']}@v{row['prompt_version']}"].append(row)
    return [
        _one_prompt(name, rows, feedback, handoffs, labels) for name, rows in sorted(groups.items())
    ]


def _one_prompt(
    name: str,
    rows: list[dict[str, Any]],
    feedback: dict[str, int],
    handoffs: dict[str, date],
    labels: dict[str, str],
) -> PromptStats:
    conversations = {r["conversation_id"] for r in rows}
    scores = [feedback[r["id"]] for r in rows if r["id"] in feedback]
    verdicts = [labels[r["id"]] for r in rows if r["id"] in labels]
    return PromptStats(
        prompt=name,
        turns=len(rows),
        conversations=len(conversations),
        mean_trust=_mean(r["trust_score"] for r in rows),
        thumbs_up_rate=sum(scores) / len(scores) if scores else None,
        handoff_rate=len(conversations & handoffs.keys()) / len(conversations),
        mean_confidence=_mean(r["answer_confidence"] for r in rows),
        labelled_correct=verdicts.count("correct") / len(verdicts) if verdicts else None,
    )


def _latest_labels(session: Session, start: datetime, end: datetime) -> dict[str, str]:
    query = (
        sa_select(col(TurnLabel.turn_id), col(TurnLabel.label))
        .join(Turn, col(Turn.id) == col(TurnLabel.turn_id))
        .where(col(Turn.created_at) >= start, col(Turn.created_at) < end)
        .order_by(col(TurnLabel.id))
    )
    return {str(t): str(label) for t, label in session.connection().execute(query).all()}


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return fmean(present) if present else None


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were stored in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
