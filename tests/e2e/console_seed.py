"""A lived-in turn log for the console's browser tests: urgent, risky, calm and hostile threads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from app.store import make_engine, upgrade_database
from tests.integration.review.factories import TurnSpec, seed_conversation

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
SHIPPING = {
    "index": 1,
    "chunk_id": "luma_pages.csv#shipping-1",
    "source": "luma_pages.csv",
    "title": "Shipping — Standard delivery",
    "snippet": "Standard shipping takes 3-5 business days; orders over $100 ship free.",
    "anchor": "/shipping#standard-delivery",
    "score": 0.77,
}


@dataclass(frozen=True)
class ConsoleSeed:
    """Ids of the conversations the browser tests look for."""

    urgent: str
    falling: str
    rated_down: str
    hostile: str
    calm: str


def seed_console(database_url: str) -> ConsoleSeed:
    """Migrate the database and write the conversations (relative to now, for the dashboards)."""
    upgrade_database(database_url)
    engine = make_engine(database_url)
    now = datetime.now(UTC).replace(microsecond=0)
    try:
        with Session(engine) as session:
            _history(session, now)
            return ConsoleSeed(
                urgent=_urgent(session, now),
                falling=_falling(session, now),
                rated_down=_rated_down(session, now),
                hostile=seed_conversation(
                    session,
                    [TurnSpec(user_text=XSS, answer="I can help with orders [1].", trust=0.5)],
                    at=now - timedelta(minutes=50),
                ).id,
                calm=seed_conversation(
                    session,
                    [TurnSpec(user_text="Do you have the Breathe-Easy Tank in M?", feedback=1,
                              trust=0.85, conversation_trust=0.85, confidence=0.92,
                              sentiment="positive", aspects=[("availability", "positive")])],
                    at=now - timedelta(minutes=20),
                ).id,
            )  # fmt: skip
    finally:
        engine.dispose()


def _urgent(session: Session, now: datetime) -> str:
    turns = [
        TurnSpec(
            user_text="My order still hasn't arrived after two weeks.",
            answer="Standard shipping takes 3-5 business days [1].",
            citations=[dict(SHIPPING)],
            trust=0.35, conversation_trust=0.35, confidence=0.55, sentiment="negative",
            aspects=[("shipping", "negative")], feedback=0,
            feedback_comment="That does not help me at all",
        ),
        TurnSpec(
            user_text="This is ridiculous, I want to talk to a real person.",
            answer="I'm sorry. I've asked a member of our customer-service team to join.",
            citations=[], trust=0.1, conversation_trust=0.18, confidence=0.3,
            sentiment="negative", aspects=[("customer_service", "negative")], feedback=0,
        ),
    ]  # fmt: skip
    return seed_conversation(
        session, turns, at=now - timedelta(minutes=90), handoff="asked_for_human"
    ).id


def _falling(session: Session, now: datetime) -> str:
    turns = [
        TurnSpec(
            user_text="Can I return the Chaz Kangeroo Hoodie?",
            trust=0.7, conversation_trust=0.7, confidence=0.85, sentiment="neutral",
            aspects=[("returns", "neutral")],
        ),
        TurnSpec(
            user_text="I wore it once. Your page says 60 days, not 30?",
            answer="You may return unworn items within 60 days [1].",
            trust=0.25, conversation_trust=0.38, confidence=0.35, sentiment="negative",
            aspects=[("returns", "negative")], failed_guards=["numbers"],
        ),
    ]  # fmt: skip
    return seed_conversation(session, turns, at=now - timedelta(minutes=70)).id


def _rated_down(session: Session, now: datetime) -> str:
    turns = [
        TurnSpec(
            user_text="How much is shipping on a $150 order?",
            answer="Standard shipping takes 3-5 business days [1].",
            citations=[dict(SHIPPING)], trust=0.6, conversation_trust=0.6, confidence=0.72,
            aspects=[("shipping", "neutral"), ("pricing", "neutral")], feedback=0,
            feedback_comment="You didn't tell me the price",
        )
    ]  # fmt: skip
    return seed_conversation(session, turns, at=now - timedelta(minutes=60)).id


def _history(session: Session, now: datetime) -> None:
    """Five weeks of calm conversations, then a rougher week (for the trust and drift plots)."""
    aspects = ["shipping", "returns", "pricing", "availability", "product_features"]
    for n in range(84):
        this_week = n < 24
        day = n % 7 if this_week else 7 + (n * 5) % 28
        trust = (0.3 + (n % 5) * 0.08) if this_week else (0.62 + (n % 7) * 0.05)
        aspect = "refunds" if this_week and n % 2 else aspects[n % len(aspects)]
        spec = TurnSpec(
            user_text=f"Question about {aspect.replace('_', ' ')} #{n}",
            trust=trust, conversation_trust=trust, confidence=0.8 if not this_week else 0.6,
            sentiment="negative" if trust < 0.4 else "positive",
            aspects=[(aspect, "negative" if trust < 0.4 else "positive")],
            feedback=(0 if trust < 0.4 else 1) if n % 3 == 0 else None,
            prompt_version=2 if this_week else 1,
        )  # fmt: skip
        seed_conversation(
            session,
            [spec],
            at=now - timedelta(days=day, hours=3 + n % 9),
            handoff="low_trust" if this_week and n % 6 == 0 else None,
        )
