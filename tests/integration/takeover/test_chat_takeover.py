"""ChatService under agent takeover, on the real stack (guards, trust, SQLite turn log): while an
agent holds the conversation the bot is quiet and the shopper's messages are logged for the agent,
redacted; after the hand-back the bot answers again."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.container import Container
from app.store.models import Turn
from app.store.takeover_crud import hand_back, take_over
from app.takeover import TakeoverNotice

CONVERSATION = "c-takeover"


def _engine(container: Container) -> Engine:
    return container.turn_log.engine


def _take_over(container: Container, conversation_id: str) -> None:
    container.turn_log.flush()  # the conversation reaches the database first, as in the console
    with Session(_engine(container)) as session:
        take_over(session, conversation_id=conversation_id, agent="alice")
        session.commit()


def _turn(container: Container, turn_id: str) -> Turn:
    container.turn_log.flush()
    with Session(_engine(container)) as session:
        turn = session.exec(select(Turn).where(Turn.id == turn_id)).one()
        session.expunge_all()
        return turn


async def test_the_bot_is_quiet_while_an_agent_holds_the_conversation(trusted: Container) -> None:
    assert trusted.takeovers is not None
    held_text = trusted.takeovers.replies.text(TakeoverNotice.HELD)
    before = await trusted.chat.ask(
        conversation_id=CONVERSATION, text="What is your return policy?"
    )
    assert "30 days" in before.answer
    _take_over(trusted, CONVERSATION)

    during = await trusted.chat.ask(
        conversation_id=CONVERSATION,
        text="Where is my parcel? Write to me at jane.doe@example.com please",
    )
    assert during.answer == held_text
    assert during.citations == [] and during.retrieved == []  # no retrieval, no generation
    assert during.error is None and during.handoff is None
    logged = _turn(trusted, during.turn_id)
    assert "jane.doe@example.com" not in logged.user_text  # the agent reads it redacted
    assert "Where is my parcel?" in logged.user_text
    assert logged.answer == held_text

    asked = await trusted.chat.ask(conversation_id=CONVERSATION, text="Can I talk to a human?")
    assert asked.answer == held_text and asked.handoff is None  # a person is already here

    with Session(_engine(trusted)) as session:
        hand_back(session, conversation_id=CONVERSATION, agent="alice")
        session.commit()
    after = await trusted.chat.ask(conversation_id=CONVERSATION, text="What is your return policy?")
    assert "30 days" in after.answer and after.citations


async def test_a_blocked_message_keeps_the_guard_reply_while_held(trusted: Container) -> None:
    assert trusted.takeovers is not None
    await trusted.chat.ask(conversation_id="c-held-abuse", text="Do you ship to Canada?")
    _take_over(trusted, "c-held-abuse")
    result = await trusted.chat.ask(
        conversation_id="c-held-abuse", text="you are a useless piece of shit, fuck you"
    )
    assert result.blocked_by == "toxicity"  # guards run as ever, before the takeover check
    assert result.answer != trusted.takeovers.replies.text(TakeoverNotice.HELD)
    assert result.handoff is None  # a person already holds it: no "a person has been asked"


async def test_falling_trust_asks_for_no_person_while_an_agent_holds(trusted: Container) -> None:
    await trusted.chat.ask(conversation_id="c-held-angry", text="Do you ship to Canada?")
    _take_over(trusted, "c-held-angry")
    for text in (
        "My parcel is two weeks late and nobody answers my emails. This is terrible.",
        "Still no refund after a month, awful service, I am very disappointed.",
        "This is the worst shop ever, I want my money back now.",
    ):
        result = await trusted.chat.ask(conversation_id="c-held-angry", text=text)
        assert result.trust is not None  # still scored, for the agent and the dashboards
        assert result.handoff is None
