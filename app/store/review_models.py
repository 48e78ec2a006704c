"""Support-agent review tables: labels and corrected answers per turn, each with who and when."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, String, Text
from sqlmodel import Field, SQLModel

from app.store.models import utcnow


class LabelKind(StrEnum):
    """An agent's verdict on one answer of the bot."""

    CORRECT = "correct"
    INCORRECT = "incorrect"
    UNSAFE = "unsafe"
    UNHELPFUL = "unhelpful"


# --- Label --------------------------------------------------------------------------------------


class TurnLabelBase(SQLModel):
    """What an agent said about a turn's answer, and why."""

    turn_id: str = Field(foreign_key="turns.id", ondelete="CASCADE", index=True, max_length=64)
    label: LabelKind = Field(sa_type=String(16))
    reason: str = Field(default="", sa_type=Text)
    agent: str = Field(max_length=128, index=True)


class TurnLabel(TurnLabelBase, table=True):
    """A stored label; a turn may collect several (the latest one counts)."""

    __tablename__ = "turn_labels"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), index=True
    )


class TurnLabelPublic(TurnLabelBase):
    """A label as shown to agents."""

    id: int
    created_at: datetime


# --- Correction ---------------------------------------------------------------------------------


class TurnCorrectionBase(SQLModel):
    """The answer an agent says the bot should have given."""

    turn_id: str = Field(foreign_key="turns.id", ondelete="CASCADE", index=True, max_length=64)
    answer: str = Field(sa_type=Text)
    agent: str = Field(max_length=128, index=True)


class TurnCorrection(TurnCorrectionBase, table=True):
    """A stored correction; the latest one replaces the bot's answer in fine-tuning exports."""

    __tablename__ = "turn_corrections"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), index=True
    )


class TurnCorrectionPublic(TurnCorrectionBase):
    """A correction as shown to agents."""

    id: int
    created_at: datetime
