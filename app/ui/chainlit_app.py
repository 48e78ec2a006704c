"""Chainlit handlers (loaded by path by Chainlit): thin glue between the chat UI and ChatService."""

from __future__ import annotations

import logging
import uuid
from typing import Any, cast

import chainlit as cl
from chainlit.data.base import BaseDataLayer
from chainlit.types import ThreadDict
from starlette.datastructures import Headers

from app import runtime
from app.takeover import TakeoverNotice
from app.ui.agent_feed import STATUS_AUTHOR, AgentFeed
from app.ui.data_layer import build_data_layer
from app.ui.identity import read_shopper_token, shopper_identifier
from app.ui.mount import auth_secret
from app.ui.sources import source_elements
from app.ui.turn import answer_turn

logger = logging.getLogger(__name__)

STARTERS = (
    ("Return policy", "What is your return policy?"),
    ("Shipping cost", "How much is shipping on a $150 order?"),
    ("Size availability", "Is the Chaz Kangeroo Hoodie available in size XL?"),
)


@cl.data_layer
def _data_layer() -> BaseDataLayer:
    return build_data_layer(runtime.current())


@cl.header_auth_callback
async def _shopper(headers: Headers) -> cl.User | None:
    # Anonymous shoppers: each browser's random cookie is its identity (real sign-in comes later).
    token = read_shopper_token(headers.get("cookie"))
    if token is None:
        return None
    secret = auth_secret(runtime.current().settings)
    identifier = shopper_identifier(token, secret=secret)
    return cl.User(identifier=identifier, display_name="Shopper", metadata={"anonymous": True})


@cl.set_starters
async def _starters(_user: cl.User | None = None, _language: str | None = None) -> list[cl.Starter]:
    return [cl.Starter(label=label, message=message) for label, message in STARTERS]


@cl.on_chat_start
async def _chat_start() -> None:
    _follow_takeover()


@cl.on_chat_resume
async def _chat_resume(thread: ThreadDict) -> None:
    # Chainlit replays the stored messages; ChatService reads earlier turns from our turn log.
    logger.info("conversation resumed", extra={"conversation_id": thread["id"]})
    _follow_takeover()


@cl.on_chat_end
async def _chat_end() -> None:
    if feed := _session_feed():
        feed.stop()


@cl.on_message
async def _on_message(message: cl.Message) -> None:
    container = runtime.current()
    conversation_id = cl.context.session.thread_id
    _note_conversation()
    turn_id = str(uuid.uuid4())
    reply = cl.Message(content="", id=turn_id)  # our turn id: feedback on it maps to our turn
    result = await answer_turn(
        container.chat,
        reply,
        conversation_id=conversation_id,
        text=message.content,
        turn_id=turn_id,
    )
    if result is not None:
        reply.elements = cast("list[Any]", source_elements(result.citations))
    await reply.send()  # type: ignore[no-untyped-call]  # chainlit leaves send() unannotated
    if result is not None and result.handoff is not None and container.takeovers is not None:
        await _say(STATUS_AUTHOR, container.takeovers.replies.text(TakeoverNotice.HANDOFF))
    # Chainlit ends a chat on every socket disconnect but restores the session on reconnect
    # without a hook, so a message is where a stopped feed comes back.
    _follow_takeover()


_FEED = "agent_feed"


def _follow_takeover() -> None:
    """Start (or restart) this session's feed of takeover status and agent replies."""
    takeovers = runtime.current().takeovers
    if takeovers is None:
        return
    feed = _session_feed()
    if feed is None:
        session = cl.context.session
        feed = AgentFeed(takeovers, conversation_id=lambda: session.thread_id, say=_say)
        cl.user_session.set(_FEED, feed)  # type: ignore[no-untyped-call]
    feed.start()  # the task copies this context, so cl.Message works inside it


def _session_feed() -> AgentFeed | None:
    # (A feed persisted with the thread's metadata comes back as None: it is not JSON.)
    feed = cl.user_session.get(_FEED)  # type: ignore[no-untyped-call]
    return feed if isinstance(feed, AgentFeed) else None


async def _say(author: str, text: str) -> None:
    # Chainlit 2 shows no author names, so the message names its sender. A status is a system
    # message: the thumbs stay on the bot's answer, which the data layer maps to our turn.
    message = cl.Message(content=f"**{author}**\n\n{text}", author=author)
    if author == STATUS_AUTHOR:
        message.type = "system_message"
    await message.send()  # type: ignore[no-untyped-call]


def _note_conversation() -> None:
    # On each message rather than at chat start: merely opening the page is no conversation.
    user = cl.context.session.user
    runtime.current().turn_log.conversation_opened(
        conversation_id=cl.context.session.thread_id,
        channel="chainlit",
        user_id=user.identifier if user else None,
        user_name=user.display_name if user else None,
    )
