"""Agent takeover against a real turn log: the store functions, the console's take over / reply /
hand back forms, the transcript that shows them, and the feed that carries them to the chat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.review.transcript import load_transcript
from app.store.sql_takeover import SqlTakeovers
from app.store.takeover_crud import (
    TakeoverError,
    add_agent_reply,
    current_takeover,
    hand_back,
    take_over,
    undelivered_replies,
)
from app.store.takeover_models import AgentReply, Takeover
from app.takeover import TakeoverNotice, load_takeover_replies, takeover_replies_path
from app.ui.agent_feed import AGENT_AUTHOR, STATUS_AUTHOR, AgentFeed
from tests.integration.review.conftest import REPO_ROOT, csrf_of, sign_in
from tests.integration.review.factories import NOW, Seeded, TurnSpec, seed_conversation

REPLY = "Hi, I'm Alice from Luma. Your parcel left our warehouse today <b>honest</b>."


@pytest.fixture
def conversation(engine: Engine) -> Seeded:
    """A conversation whose shopper asked for a person."""
    with Session(engine) as session:
        return seed_conversation(
            session,
            [TurnSpec(user_text="I want to talk to a person", answer="Of course...")],
            at=NOW - timedelta(minutes=10),
            handoff="asked_for_human",
        )


def test_one_agent_holds_a_conversation_until_handing_it_back(
    engine: Engine, conversation: Seeded
) -> None:
    with Session(engine) as session:
        take_over(session, conversation_id=conversation.id, agent="alice", now=NOW)
        session.commit()
        assert take_over(session, conversation_id=conversation.id, agent="alice").id is not None
        with pytest.raises(TakeoverError, match="alice has already taken"):
            take_over(session, conversation_id=conversation.id, agent="bob")
        with pytest.raises(TakeoverError, match="take the conversation over"):
            add_agent_reply(session, conversation_id=conversation.id, agent="bob", text="hi")
        with pytest.raises(TakeoverError, match="empty"):
            add_agent_reply(session, conversation_id=conversation.id, agent="alice", text="  ")
        add_agent_reply(session, conversation_id=conversation.id, agent="alice", text=REPLY)
        hand_back(session, conversation_id=conversation.id, agent="alice")
        session.commit()
        assert current_takeover(session, conversation_id=conversation.id) is None
        with pytest.raises(TakeoverError, match="no agent holds"):
            hand_back(session, conversation_id=conversation.id, agent="alice")
        with pytest.raises(LookupError):
            take_over(session, conversation_id="no-such-conversation", agent="alice")
        (held,) = session.exec(select(Takeover)).all()
        (reply,) = undelivered_replies(session, conversation_id=conversation.id)
    assert (held.agent, held.ended_by) == ("alice", "alice") and held.ended_at is not None
    assert (reply.agent, reply.text, reply.delivered_at) == ("alice", REPLY, None)


def test_agent_takes_over_replies_and_hands_back_in_the_console(
    web: TestClient, engine: Engine, conversation: Seeded
) -> None:
    sign_in(web, "alice")
    base = f"/console/conversations/{conversation.id}"
    page = web.get(base)
    assert "Take over" in page.text and "Reply to the shopper" not in page.text
    token = csrf_of(page.text)
    assert web.post(f"{base}/takeover", data={"csrf": "forged"}).status_code == 403
    taken = web.post(f"{base}/takeover", data={"csrf": token})
    assert taken.status_code == 303 and taken.headers["location"].endswith("#takeover")

    page = web.get(base + "?done=taken_over")
    assert "taken over by alice" in page.text and "Reply to the shopper" in page.text
    assert web.post(f"{base}/reply", data={"csrf": token, "text": " "}).status_code == 409
    assert web.post(f"{base}/reply", data={"csrf": token, "text": REPLY}).status_code == 303
    page = web.get(base + "?done=replied")
    assert "Reply sent to the shopper." in page.text
    assert "Support agent alice" in page.text and "waiting for the shopper" in page.text
    assert "&lt;b&gt;honest&lt;/b&gt;" in page.text  # an agent's text is escaped too

    assert web.post(f"{base}/handback", data={"csrf": token}).status_code == 303
    page = web.get(base + "?done=handed_back")
    assert "handed the conversation back to the bot" in page.text and "Take over" in page.text
    assert "Mark handoff resolved" in page.text  # handing back is not resolving the handoff
    with Session(engine) as session:
        (reply,) = session.exec(select(AgentReply)).all()
        (held,) = session.exec(select(Takeover)).all()
    assert (reply.agent, reply.text) == ("alice", REPLY)
    assert (held.agent, held.ended_by) == ("alice", "alice")


def test_only_the_holder_or_an_admin_writes_and_hands_back(
    web: TestClient, engine: Engine, conversation: Seeded
) -> None:
    with Session(engine) as session:
        take_over(session, conversation_id=conversation.id, agent="root")
        session.commit()
    sign_in(web, "alice")
    base = f"/console/conversations/{conversation.id}"
    page = web.get(base)
    assert "root holds this conversation" in page.text and "Reply to the shopper" not in page.text
    token = csrf_of(page.text)
    refused = web.post(f"{base}/reply", data={"csrf": token, "text": "hello"})
    assert refused.status_code == 409 and "take the conversation over" in refused.text
    stolen = web.post(f"{base}/takeover", data={"csrf": token})
    assert stolen.status_code == 409 and "root has already taken" in stolen.text
    kept = web.post(f"{base}/handback", data={"csrf": token})
    assert kept.status_code == 409 and "root holds this conversation" in kept.text
    assert web.post("/console/conversations/nope/takeover", data={"csrf": token}).status_code == 404

    web.cookies.clear()
    sign_in(web, "root")
    token = csrf_of(web.get(base).text)
    assert web.post(f"{base}/handback", data={"csrf": token}).status_code == 303
    with Session(engine) as session:
        assert current_takeover(session, conversation_id=conversation.id) is None
        assert session.exec(select(AgentReply)).all() == []


def test_transcript_orders_turns_replies_and_takeover_steps(
    engine: Engine, conversation: Seeded
) -> None:
    with Session(engine) as session:
        take_over(session, conversation_id=conversation.id, agent="alice", now=NOW)
        add_agent_reply(
            session, conversation_id=conversation.id, agent="alice", text=REPLY, now=NOW
        )
        session.commit()
        seed_conversation(  # the shopper answers the agent one minute later
            session,
            [TurnSpec(user_text="Thanks! When will it arrive?", answer="Your message has gone")],
            conversation_id=conversation.id,
            at=NOW + timedelta(minutes=1),
        )
        hand_back(
            session, conversation_id=conversation.id, agent="alice", now=NOW + timedelta(minutes=2)
        )
        session.commit()
        transcript = load_transcript(session, conversation.id)
    assert transcript is not None and transcript.takeover is None
    kinds = [
        "took_over" if e.took_over else "reply" if e.reply else "handed_back" if e.handed_back
        else f"turn:{e.held_by}"
        for e in transcript.timeline()
    ]  # fmt: skip
    assert kinds == ["turn:None", "took_over", "reply", "turn:alice", "handed_back"]


async def test_the_chat_feed_announces_the_agent_and_delivers_each_reply_once(
    engine: Engine, conversation: Seeded
) -> None:
    replies = load_takeover_replies(takeover_replies_path(REPO_ROOT / "prompts"), shop_name="Luma")
    shown: list[tuple[str, str]] = []

    async def say(author: str, text: str) -> None:
        shown.append((author, text))

    feed = AgentFeed(
        SqlTakeovers(engine, replies), conversation_id=lambda: conversation.id, say=say
    )
    await feed.deliver()
    assert shown == []  # the bot holds the conversation: nothing to say

    with Session(engine) as session:
        take_over(session, conversation_id=conversation.id, agent="alice")
        add_agent_reply(session, conversation_id=conversation.id, agent="alice", text=REPLY)
        session.commit()
    await feed.deliver()
    await feed.deliver()  # a second look sends nothing twice
    assert shown == [
        (STATUS_AUTHOR, replies.text(TakeoverNotice.JOINED)),
        (AGENT_AUTHOR, REPLY),
    ]
    assert "Luma" in shown[0][1]

    with Session(engine) as session:
        assert undelivered_replies(session, conversation_id=conversation.id) == []
        add_agent_reply(session, conversation_id=conversation.id, agent="alice", text="Bye!")
        hand_back(session, conversation_id=conversation.id, agent="alice")
        session.commit()
    await feed.deliver()
    assert shown[2:] == [
        (AGENT_AUTHOR, "Bye!"),  # the last reply before the bot is back
        (STATUS_AUTHOR, replies.text(TakeoverNotice.HANDED_BACK)),
    ]
