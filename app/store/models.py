"""Turn-log tables: conversations, turns and shopper feedback (SQLModel families per entity)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timezone-aware current time in UTC."""
    return datetime.now(UTC)


class TurnStatus(StrEnum):
    """Lifecycle of one turn: logged on arrival, then answered or failed."""

    STARTED = "started"
    ANSWERED = "answered"
    FAILED = "failed"


class HandoffStatus(StrEnum):
    """Whether a person has been asked to take a conversation over."""

    NONE = "none"
    REQUESTED = "requested"
    RESOLVED = "resolved"


class FeedbackSource(StrEnum):
    """Where a thumbs up/down came from."""

    CHAINLIT = "chainlit"
    API = "api"


# --- Conversation -------------------------------------------------------------------------------


class ConversationBase(SQLModel):
    """Fields of a conversation that callers may set."""

    user_id: str | None = Field(default=None, max_length=128, index=True)
    user_name: str | None = Field(default=None, max_length=256)
    channel: str | None = Field(default=None, max_length=32)


class Conversation(ConversationBase, table=True):
    """One chat thread (the Chainlit thread id when it comes from the web UI)."""

    __tablename__ = "conversations"

    id: str = Field(primary_key=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    turn_count: int = 0
    # Running (smoothed) customer trust after the latest scored turn; None before any.
    trust_score: float | None = None
    handoff_status: HandoffStatus = Field(
        default=HandoffStatus.NONE, sa_type=String(16), index=True
    )
    handoff_reason: str | None = Field(default=None, max_length=32)
    handoff_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ConversationPublic(ConversationBase):
    """A conversation as shown to reviewers."""

    id: str
    created_at: datetime
    updated_at: datetime
    turn_count: int
    trust_score: float | None
    handoff_status: HandoffStatus
    handoff_reason: str | None
    handoff_at: datetime | None


# --- Turn ---------------------------------------------------------------------------------------


class TurnBase(SQLModel):
    """What the shopper asked and how the answer was produced."""

    conversation_id: str = Field(
        foreign_key="conversations.id", ondelete="CASCADE", index=True, max_length=64
    )
    user_text: str = Field(sa_type=Text)
    backend: str = Field(max_length=64)
    model: str = Field(max_length=256)
    prompt_name: str = Field(max_length=128)
    prompt_version: int
    prompt_sha256: str = Field(max_length=64)


class Turn(TurnBase, table=True):
    """One shopper message and the answer it got (or the error that stopped it)."""

    __tablename__ = "turns"

    id: str = Field(primary_key=True, max_length=64)
    number: int = 0  # 1-based position in the conversation; orders turns created in one tick
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), index=True
    )
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    status: TurnStatus = Field(default=TurnStatus.STARTED, sa_type=String(16), index=True)
    resolved_question: str | None = Field(default=None, sa_type=Text)
    answer: str | None = Field(default=None, sa_type=Text)
    citations: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    retrieved: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    retrieve_ms: float | None = None
    generate_ms: float | None = None
    total_ms: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    knows_answer: bool | None = None
    error: str | None = Field(default=None, sa_type=Text)
    blocked_by: str | None = Field(default=None, max_length=32)
    flagged_for_agent: bool = Field(default=False, index=True)
    # Trust of the shopper's message, confidence in the reply, conversation trust after it.
    trust_score: float | None = None
    trust_level: str | None = Field(default=None, max_length=8)
    sentiment: str | None = Field(default=None, max_length=8)
    trust_scorer: str | None = Field(default=None, max_length=32)
    answer_confidence: float | None = None
    confidence_detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    conversation_trust: float | None = None


class TurnPublic(TurnBase):
    """A turn as shown to reviewers."""

    id: str
    number: int
    created_at: datetime
    finished_at: datetime | None
    status: TurnStatus
    resolved_question: str | None
    answer: str | None
    citations: list[dict[str, Any]]
    retrieved: list[dict[str, Any]]
    retrieve_ms: float | None
    generate_ms: float | None
    total_ms: float | None
    prompt_tokens: int | None
    completion_tokens: int | None
    knows_answer: bool | None
    error: str | None
    blocked_by: str | None
    flagged_for_agent: bool
    trust_score: float | None
    trust_level: str | None
    sentiment: str | None
    trust_scorer: str | None
    answer_confidence: float | None
    confidence_detail: dict[str, Any]
    conversation_trust: float | None


# --- Aspect sentiment of a turn -----------------------------------------------------------------


class TurnAspectBase(SQLModel):
    """One aspect a shopper's message was about, with the polarity towards it."""

    turn_id: str = Field(foreign_key="turns.id", ondelete="CASCADE", index=True, max_length=64)
    aspect: str = Field(max_length=32, index=True)
    polarity: str = Field(max_length=8)
    confidence: float


class TurnAspect(TurnAspectBase, table=True):
    """A stored aspect sentiment of one turn."""

    __tablename__ = "turn_aspects"

    id: int | None = Field(default=None, primary_key=True)


class TurnAspectPublic(TurnAspectBase):
    """An aspect sentiment as shown to reviewers."""

    id: int


# --- Handoff to a person ------------------------------------------------------------------------


class HandoffBase(SQLModel):
    """A conversation handed to a person: why and when (and, once done, by whom)."""

    conversation_id: str = Field(
        foreign_key="conversations.id", ondelete="CASCADE", index=True, max_length=64
    )
    turn_id: str | None = Field(default=None, max_length=64)
    reason: str = Field(max_length=32)
    conversation_trust: float | None = None
    detail: str = Field(default="", sa_type=Text)


class HandoffRow(HandoffBase, table=True):
    """A stored handoff; the conversation's handoff_status mirrors the latest one."""

    __tablename__ = "handoffs"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    resolved_by: str | None = Field(default=None, max_length=128)


class HandoffPublic(HandoffBase):
    """A handoff as shown to agents."""

    id: int
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None


# --- Guard decision -----------------------------------------------------------------------------


class GuardDecisionBase(SQLModel):
    """One guard's verdict on one turn (input or output stage)."""

    turn_id: str = Field(foreign_key="turns.id", ondelete="CASCADE", index=True, max_length=64)
    validator: str = Field(max_length=64, index=True)
    stage: str = Field(max_length=16)
    passed: bool
    action: str = Field(max_length=16)
    score: float
    latency_ms: float
    detail: str = Field(default="", sa_type=Text)


class GuardDecisionRow(GuardDecisionBase, table=True):
    """A stored guard decision; `id` keeps the order in which the guards ran."""

    __tablename__ = "guard_decisions"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class GuardDecisionPublic(GuardDecisionBase):
    """A guard decision as shown to reviewers."""

    id: int
    created_at: datetime


# --- Feedback -----------------------------------------------------------------------------------


class FeedbackBase(SQLModel):
    """A shopper's verdict on one answer."""

    turn_id: str = Field(foreign_key="turns.id", ondelete="CASCADE", index=True, max_length=64)
    score: int = Field(ge=0, le=1)  # 1 = thumbs up, 0 = thumbs down
    comment: str | None = Field(default=None, sa_type=Text)
    source: FeedbackSource = Field(default=FeedbackSource.API, sa_type=String(16))


class Feedback(FeedbackBase, table=True):
    """Stored feedback; a turn may collect several (the latest one counts)."""

    __tablename__ = "turn_feedback"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class FeedbackPublic(FeedbackBase):
    """Feedback as shown to reviewers."""

    id: int
    created_at: datetime


# --- Offline eval runs --------------------------------------------------------------------------


class EvalRunStatus(StrEnum):
    """Lifecycle of an eval run: running until every case has a result, or stopped early."""

    RUNNING = "running"
    FINISHED = "finished"
    INTERRUPTED = "interrupted"
    FAILED = "failed"


class EvalRunBase(SQLModel):
    """What an eval run ran: dataset, prompt, backend, model and settings, exactly."""

    dataset: str = Field(max_length=128, index=True)
    dataset_sha256: str = Field(max_length=64)
    prompt_ref: str = Field(max_length=128, index=True)  # "answer@v1"
    prompt_sha256: str = Field(max_length=64)
    backend: str = Field(max_length=64)
    model: str = Field(max_length=256)
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # secrets masked
    settings_sha256: str = Field(max_length=64)
    overrides: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # --prompt/--set...
    knowledge_sha256: str = Field(max_length=64)  # the indexed chunks (ids carry content hashes)


class EvalRun(EvalRunBase, table=True):
    """One run of a dataset through ChatService; `summary` holds its metrics once finished."""

    __tablename__ = "eval_runs"

    id: str = Field(primary_key=True, max_length=32)
    started_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    status: EvalRunStatus = Field(default=EvalRunStatus.RUNNING, sa_type=String(16), index=True)
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class EvalRunPublic(EvalRunBase):
    """An eval run as shown in reports."""

    id: str
    started_at: datetime
    finished_at: datetime | None
    status: EvalRunStatus
    summary: dict[str, Any]


class EvalResultBase(SQLModel):
    """One case of a run: what was asked, what came back, and its metrics."""

    run_id: str = Field(foreign_key="eval_runs.id", ondelete="CASCADE", index=True, max_length=32)
    case_id: str = Field(max_length=256)
    input: str = Field(sa_type=Text)
    answer: str | None = Field(default=None, sa_type=Text)
    turn_id: str | None = Field(default=None, max_length=64)  # the logged turn that answered
    citations: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    record: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # evals.records.TurnRecord
    metrics: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    latency_ms: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    error: str | None = Field(default=None, sa_type=Text)
    cache_key: str = Field(max_length=64, index=True)
    cached: bool = False  # reused from an earlier run with the same cache key


class EvalResult(EvalResultBase, table=True):
    """A stored case result; a run holds at most one per case."""

    __tablename__ = "eval_results"
    __table_args__ = (UniqueConstraint("run_id", "case_id", name="uq_eval_results_run_case"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class EvalResultPublic(EvalResultBase):
    """A case result as shown in reports."""

    id: int
    created_at: datetime
