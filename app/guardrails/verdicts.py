"""What the guards conclude: findings of one validator run, and verdicts on a message or answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.guardrails.base import Action, GuardDecision, PiiSpan, Stage

# Shown and stored instead of a message that could not be checked.
WITHHELD = "[message withheld: it could not be checked]"


@dataclass(frozen=True)
class Finding:
    """What one validator concluded on one text, as the pipeline records it."""

    validator: str
    passed: bool
    score: float
    latency_ms: float
    detail: str = ""
    flag: bool = False  # passed, but worth a human look (mild profanity)
    spans: tuple[PiiSpan, ...] = ()
    fixed: str | None = None  # the corrected text, when the validator has a fix (redaction)
    error: bool = False  # the validator itself failed: the pipeline fails closed


@dataclass
class Trace:
    """Findings of one guard call, in the order the validators ran."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        """Record one validator's finding."""
        self.findings.append(finding)


@dataclass(frozen=True)
class InputVerdict:
    """What the input guards decided about one message."""

    text: str  # what may be logged, retrieved with and sent to a model (redacted)
    decisions: tuple[GuardDecision, ...]
    reply: str | None = None  # the answer to give instead, when the message was stopped
    blocked_by: str | None = None
    flagged_for_agent: bool = False
    pii: tuple[PiiSpan, ...] = ()  # personal data found in the original (kept in memory only)

    @property
    def blocked(self) -> bool:
        """Whether the turn must stop here (no retrieval, no generation)."""
        return self.reply is not None


@dataclass(frozen=True)
class OutputVerdict:
    """What the output guards made of one answer."""

    answer: str  # the text the shopper may see
    decisions: tuple[GuardDecision, ...]
    refused: bool = False  # the answer was replaced by a safe reply
    blocked_by: str | None = None
    reask_reason: str | None = None  # set when the chat model should try once more


@dataclass(frozen=True)
class SentenceVerdict:
    """The output guards' verdict on one streamed sentence."""

    release: bool
    action: Action = "pass"
    validator: str | None = None
    reason: str = ""
    findings: tuple[Finding, ...] = ()


def decision(finding: Finding, stage: Stage, action: Action) -> GuardDecision:
    """The stored form of a finding."""
    return GuardDecision(
        validator=finding.validator,
        stage=stage,
        passed=finding.passed,
        action=action,
        score=finding.score,
        latency_ms=finding.latency_ms,
        detail=finding.detail,
    )


def merge(name: str, findings: Sequence[Finding]) -> Finding:
    """One finding for a guard from its findings on each sentence of a streamed answer."""
    failed = [f for f in findings if not f.passed]
    return Finding(
        validator=name,
        passed=not failed,
        score=max(f.score for f in findings),
        latency_ms=round(sum(f.latency_ms for f in findings), 3),
        detail="; ".join(dict.fromkeys(f.detail for f in failed if f.detail))[:500],
    )
