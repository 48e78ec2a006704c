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


@cl.on_chat_resume
async def _chat_resume(thread: ThreadDict) -> None:
    # Chainlit replays the stored messages; ChatService reads earlier turns from our turn log.
    logger.info("conversation resumed", extra={"conversation_id": thread["id"]})


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


def _note_conversation() -> None:
    # On each message rather than at chat start: merely opening the page is no conversation.
    user = cl.context.session.user
    runtime.current().turn_log.conversation_opened(
        conversation_id=cl.context.session.thread_id,
        channel="chainlit",
        user_id=user.identifier if user else None,
        user_name=user.display_name if user else None,
    )
