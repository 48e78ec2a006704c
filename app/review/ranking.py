"""Risk score that orders the agents' queue: which conversation should a person read first.

The score is a weighted sum of six parts, each between 0 and 1, so it lies between 0 and 1
(shown as 0-100). Weights sum to 1:

- handoff (0.25): 1 while a person was asked for and nobody resolved it; else 0.
- thumbs_down (0.20): 1 - 0.5^n for n answers whose latest rating is a thumbs-down (one 0.5,
  two 0.75, three 0.875).
- guard (0.15): 1 - 0.5^e for e guard events: a turn flagged for an agent counts 2, a turn a
  guard stopped or whose answer it replaced 1, any other failed guard check 0.5.
- low_trust (0.15): (0.6 - trust) / 0.6, clamped: 0 from the "high" band (0.6) up, 1 at 0.
- falling_trust (0.10): the fall of conversation trust from its peak, 1 from a fall of 0.5.
- low_confidence (0.15): (0.7 - c) / 0.7, clamped, for the lowest answer confidence c.

Unknown values (trust scoring off, no confidence stored) add nothing: the queue ranks on what it
knows. Ties are broken by the newest activity first.
"""

from __future__ import annotations

from dataclasses import dataclass

WEIGHTS: dict[str, float] = {
    "handoff": 0.25,
    "thumbs_down": 0.20,
    "guard": 0.15,
    "low_trust": 0.15,
    "falling_trust": 0.10,
    "low_confidence": 0.15,
}
TRUST_GOOD = 0.6  # app.trust.base.HIGH_FROM: from here on trust is "high" and adds no risk
CONFIDENCE_GOOD = 0.7
FULL_FALL = 0.5  # a fall of this much from the peak counts fully
FLAG_EVENTS, BLOCK_EVENTS, FAILURE_EVENTS = 2.0, 1.0, 0.5


@dataclass(frozen=True)
class RiskSignals:
    """What the turn log says about one conversation, as the ranking needs it."""

    trust: float | None = None  # conversation trust after the latest scored turn
    peak_trust: float | None = None  # highest conversation trust reached before that
    thumbs_down: int = 0  # answers whose latest shopper rating is a thumbs-down
    flagged_turns: int = 0  # turns a guard flagged for an agent (abuse)
    blocked_turns: int = 0  # turns a guard stopped or whose answer it replaced
    other_guard_failures: int = 0  # failed guard checks on the remaining turns
    handoff_requested: bool = False  # asked for a person and not resolved
    min_confidence: float | None = None  # lowest answer confidence in the conversation


@dataclass(frozen=True)
class RiskScore:
    """The score (0-1), its parts (each 0-1, unweighted) and the reasons to show an agent."""

    score: float
    parts: dict[str, float]
    reasons: tuple[str, ...]

    @property
    def percent(self) -> int:
        """The score as a whole number from 0 to 100."""
        return round(self.score * 100)


def risk_parts(signals: RiskSignals) -> dict[str, float]:
    """Each part of the risk, between 0 and 1, before weighting."""
    guard_events = (
        FLAG_EVENTS * signals.flagged_turns
        + BLOCK_EVENTS * signals.blocked_turns
        + FAILURE_EVENTS * signals.other_guard_failures
    )
    fall = 0.0
    if signals.trust is not None and signals.peak_trust is not None:
        fall = _clamp((signals.peak_trust - signals.trust) / FULL_FALL)
    return {
        "handoff": 1.0 if signals.handoff_requested else 0.0,
        "thumbs_down": _saturating(signals.thumbs_down),
        "guard": _saturating(guard_events),
        "low_trust": _shortfall(signals.trust, TRUST_GOOD),
        "falling_trust": fall,
        "low_confidence": _shortfall(signals.min_confidence, CONFIDENCE_GOOD),
    }


def risk_score(signals: RiskSignals) -> RiskScore:
    """The weighted risk of one conversation, with the reasons behind it."""
    parts = risk_parts(signals)
    score = sum(WEIGHTS[name] * value for name, value in parts.items())
    return RiskScore(score=round(score, 6), parts=parts, reasons=_reasons(signals, parts))


def _reasons(signals: RiskSignals, parts: dict[str, float]) -> tuple[str, ...]:
    reasons: list[str] = []
    if parts["handoff"]:
        reasons.append("handoff requested")
    if signals.thumbs_down:
        reasons.append(f"{signals.thumbs_down} thumbs down")
    if signals.flagged_turns:
        reasons.append(_count(signals.flagged_turns, "turn") + " flagged for an agent")
    if signals.blocked_turns:
        reasons.append(_count(signals.blocked_turns, "turn") + " stopped by a guard")
    if signals.other_guard_failures:
        reasons.append(_count(signals.other_guard_failures, "failed guard check"))
    if parts["low_trust"] and signals.trust is not None:
        reasons.append(f"trust {signals.trust:.2f}")
    if parts["falling_trust"] and signals.peak_trust is not None and signals.trust is not None:
        reasons.append(f"trust fell {signals.peak_trust - signals.trust:.2f}")
    if parts["low_confidence"] and signals.min_confidence is not None:
        reasons.append(f"answer confidence {signals.min_confidence:.2f}")
    return tuple(reasons)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _saturating(count: float) -> float:
    # The first event matters most; more keep adding, by half as much each time.
    return 0.0 if count <= 0 else 1.0 - 0.5**count


def _shortfall(value: float | None, good: float) -> float:
    return 0.0 if value is None else _clamp((good - value) / good)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
