"""The trust seam: the eight shopping aspects, per-message trust, and the TrustScorer protocol.

Aspects and their names follow Kalva (2024), "Integrating DevOps and LLMOps for GenAI-enabled
e-commerce": return process, pricing, refund process, shipping, product features, product
availability, item quality and customer service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Aspect(StrEnum):
    """What a shopper's message is about (several may apply)."""

    SHIPPING = "shipping"
    REFUNDS = "refunds"
    RETURNS = "returns"
    PRICING = "pricing"
    PRODUCT_FEATURES = "product_features"
    AVAILABILITY = "availability"
    ITEM_QUALITY = "item_quality"
    CUSTOMER_SERVICE = "customer_service"


class Polarity(StrEnum):
    """The shopper's sentiment, overall or towards one aspect."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


class TrustLevel(StrEnum):
    """Customer trust in three bands of the 0-1 score."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# Score bands: below LOW_BELOW is low, from HIGH_FROM up is high, medium between.
LOW_BELOW = 0.4
HIGH_FROM = 0.6


def trust_level(score: float) -> TrustLevel:
    """The band a 0-1 trust score falls in."""
    if score < LOW_BELOW:
        return TrustLevel.LOW
    if score >= HIGH_FROM:
        return TrustLevel.HIGH
    return TrustLevel.MEDIUM


@dataclass(frozen=True)
class AspectSentiment:
    """One aspect a message is about, the shopper's polarity towards it, and how sure we are."""

    aspect: Aspect
    polarity: Polarity
    confidence: float  # probability that the message is about this aspect (0-1)


@dataclass(frozen=True)
class MessageTrust:
    """What one shopper message says about their trust in the shop."""

    aspects: tuple[AspectSentiment, ...]
    polarity: Polarity  # the message's overall sentiment
    score: float  # customer trust for this turn, 0 (none) to 1 (full)
    scorer: str  # which scorer produced it ("embedded", "llm")
    latency_ms: float = 0.0
    level: TrustLevel = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", trust_level(self.score))

    def polarity_of(self, aspect: Aspect) -> Polarity | None:
        """The polarity towards `aspect`, or None when the message is not about it."""
        for item in self.aspects:
            if item.aspect == aspect:
                return item.polarity
        return None


class TrustScorer(Protocol):
    """Scores a shopper message (already redacted) for aspects, polarity and trust."""

    name: str

    def score(self, text: str) -> MessageTrust:
        """The message's aspects with polarity, its overall polarity and trust score."""
        ...


@dataclass(frozen=True)
class AnswerConfidence:
    """How far the bot's own reply can be trusted (0-1), and the parts it is made of."""

    score: float
    retrieval: float  # strength of the best retrieved source (fused score, 0-1)
    grounding: float  # share of the answer's sentences the output guards kept as supported
    guards_passed: bool  # no output guard had to change or replace the answer
    knew_answer: bool  # False when the bot said it did not know (or apologised)


class HandoffReason(StrEnum):
    """Why a conversation was handed to a person."""

    ASKED_FOR_HUMAN = "asked_for_human"
    LOW_TRUST = "low_trust"
    ABUSE = "abuse"


@dataclass(frozen=True)
class Handoff:
    """A conversation marked for a human: why, and the trust it had when it happened."""

    reason: HandoffReason
    conversation_trust: float | None
    detail: str = ""


@dataclass
class ConversationTrustState:
    """A conversation's running trust, how many turns were scored, and whether it was handed off."""

    trust: float | None = None
    scored_turns: int = 0
    handed_off: bool = False
