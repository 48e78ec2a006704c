"""A turn log whose conversations follow a known rule: which aspects went well -> trust."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlmodel import Session

from app.store import make_engine, upgrade_database
from app.store.crud import finish_turn
from app.trust.base import AnswerConfidence, Aspect, AspectSentiment, MessageTrust, Polarity
from tests.integration.store.factories import turn_result

HIGH, LOW = 0.8, 0.2
POS, NEG, NEU = Polarity.POSITIVE, Polarity.NEGATIVE, Polarity.NEUTRAL
# Polarity sequences that code as good (raised, not ended negative) and as not good.
GOOD: list[list[Polarity]] = [[POS], [NEG, POS], [NEU]]
NOT_GOOD: list[list[Polarity]] = [[], [NEG], [POS, NEG], [NEG, NEU]]
CONDITIONS = (Aspect.SHIPPING, Aspect.REFUNDS, Aspect.CUSTOMER_SERVICE)


@dataclass(frozen=True)
class Conversation:
    """What each turn of one conversation said about each aspect, and how it ended."""

    conversation_id: str
    aspects: dict[Aspect, list[Polarity]]
    trust: float
    answered: bool  # the bot knew every answer (else: one "I don't know" turn)


def rule(shipping: int, refunds: int, service: int) -> bool:
    """The rule the seeded log follows: good shipping AND clear refunds, OR helpful service."""
    return bool((shipping and refunds) or service)


def conversations() -> list[Conversation]:
    """Every configuration of the three aspects and `answered` once; trust from `rule`."""
    seeded = []
    for index, bits in enumerate(itertools.product((0, 1), repeat=4)):
        *aspects, answered = bits
        sequences = {
            aspect: (GOOD if good else NOT_GOOD)[(index + k) % (3 if good else 4)]
            for k, (aspect, good) in enumerate(zip(CONDITIONS, aspects, strict=True))
        }
        trust = HIGH if rule(*aspects) else LOW
        seeded.append(Conversation(f"conv-{index:02d}", sequences, trust, bool(answered)))
    # Pricing comes up once only: too rare to be a condition.
    first = seeded[0]
    seeded[0] = replace(first, aspects={**first.aspects, Aspect.PRICING: [POS]})
    return seeded


def seed(database_url: str, items: Sequence[Conversation]) -> None:
    """Write the conversations through the turn log's CRUD, as the chat service logs turns."""
    upgrade_database(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        for item in items:
            for number in range(max([1, *(len(p) for p in item.aspects.values())])):
                _write_turn(session, item, number)
        session.commit()
    engine.dispose()


def _write_turn(session: Session, item: Conversation, number: int) -> None:
    aspects = tuple(
        AspectSentiment(aspect=aspect, polarity=polarities[number], confidence=0.9)
        for aspect, polarities in item.aspects.items()
        if number < len(polarities)
    )
    knew = item.answered or number > 0
    result = turn_result(
        turn_id=f"{item.conversation_id}-t{number}", conversation_id=item.conversation_id
    )
    result.knows_answer = knew
    result.trust = MessageTrust(aspects=aspects, polarity=NEU, score=item.trust, scorer="embedded")
    result.confidence = AnswerConfidence(
        score=0.8 if knew else 0.1,
        retrieval=0.8,
        grounding=1.0,
        guards_passed=True,
        knew_answer=knew,
    )
    result.conversation_trust = item.trust
    finish_turn(session, result=result)


def unscored(database_url: str, conversation_id: str = "unscored") -> None:
    """A conversation logged with trust scoring off: no trust, no aspects."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        finish_turn(
            session,
            result=turn_result(turn_id=f"{conversation_id}-t0", conversation_id=conversation_id),
        )
        session.commit()
    engine.dispose()
