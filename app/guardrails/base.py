"""Shared vocabulary of the guards: detections, PII spans and the detector seam."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

Stage = Literal["input", "output"]
Action = Literal["pass", "block", "redact", "fix", "refrain", "reask", "flag"]


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data found in a text (character offsets, end exclusive)."""

    start: int
    end: int
    entity: str  # EMAIL, PHONE, CREDIT_CARD, IBAN, ADDRESS, PERSON, ...
    text: str
    score: float = 1.0


@dataclass(frozen=True)
class Detection:
    """What one detector concluded about one text."""

    detector: str  # "injection", "toxicity", "off_topic", "pii", "size", ...
    flagged: bool
    score: float  # 0..1, higher means more likely a violation
    detail: str = ""
    spans: tuple[PiiSpan, ...] = field(default_factory=tuple)


class TextDetector(Protocol):
    """A detector that scores one text (input guards and `trustdesk eval guards` call these)."""

    name: str

    def detect(self, text: str) -> Detection:
        """Score `text`; never raises on odd input (empty, huge, binary)."""
        ...


@dataclass(frozen=True)
class GuardDecision:
    """One guard's verdict on one turn, as stored with the turn."""

    validator: str
    stage: Stage
    passed: bool
    action: Action
    score: float
    latency_ms: float
    detail: str = ""
