"""The chat UI's own log (Chainlit's steps and thread names) never holds personal data in clear."""

from __future__ import annotations

import uuid
from typing import cast

import pytest
from chainlit.context import ChainlitContext, context_var
from chainlit.session import HTTPSession
from chainlit.step import StepDict
from chainlit.user import User

from app.container import Container
from app.store import async_connection
from app.ui.data_layer import TrustDeskDataLayer, feedback_recorder
from tests.integration.guardrails.conftest import database_dump

pytestmark = pytest.mark.asyncio(loop_scope="session")

MESSAGE = "Hi, I'm Jane Doe, jane.doe@example.com, card 4111 1111 1111 1111. Where is my order?"


def _step(step_id: str, thread_id: str, kind: str, output: str) -> StepDict:
    step: dict[str, object] = {
        "id": step_id,
        "threadId": thread_id,
        "parentId": None,
        "name": kind,
        "type": kind,
        "output": output,
        "streaming": False,
        "metadata": {},
        "createdAt": "2026-01-01T00:00:00Z",
        "showInput": "json",
        "defaultOpen": False,
        "autoCollapse": False,
        "isError": False,
    }
    return cast(StepDict, step)


async def test_the_ui_stores_the_shoppers_message_redacted(container: Container) -> None:
    url, connect_args = async_connection(container.settings.database_url)
    layer = TrustDeskDataLayer(
        url,
        record_feedback=feedback_recorder(container.chat.feedback),
        connect_args=connect_args,
        redact=container.chat.redact,
    )
    try:
        user = await layer.create_user(User(identifier="shopper-pii", metadata={}))
        assert user is not None
        thread_id = str(uuid.uuid4())
        session = HTTPSession(
            id=str(uuid.uuid4()), thread_id=thread_id, user=user, client_type="webapp"
        )
        context_var.set(ChainlitContext(session))
        await layer.update_thread(thread_id=thread_id, user_id=user.id, name=MESSAGE)
        await layer.create_step(_step(str(uuid.uuid4()), thread_id, "user_message", MESSAGE))
        thread = await layer.get_thread(thread_id)
    finally:
        await layer.close()
    assert thread is not None
    stored = thread["steps"][0]["output"]
    assert "[EMAIL_1]" in stored and "[CREDIT_CARD]" in stored and "Where is my order?" in stored
    dump = database_dump(container)
    for value in ("jane.doe@example.com", "4111 1111 1111 1111", "Jane Doe"):
        assert value not in dump
