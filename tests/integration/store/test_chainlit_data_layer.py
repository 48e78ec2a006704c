"""Chainlit's data layer runs on tables our migrations made: resume works, feedback reaches us."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import cast

import pytest
from chainlit.context import ChainlitContext, context_var
from chainlit.element import Text
from chainlit.session import HTTPSession
from chainlit.step import StepDict
from chainlit.types import Feedback, Pagination, ThreadFilter
from chainlit.user import PersistedUser, User
from sqlmodel import Session

from app.store import SqlTurnLog, async_connection, crud
from app.store.models import FeedbackSource
from app.ui.data_layer import TrustDeskDataLayer, feedback_recorder
from tests.integration.store.factories import PROMPT, new_id

_clock: list[int] = []


@pytest.fixture
async def data_layer(database_url: str, turn_log: SqlTurnLog) -> AsyncIterator[TrustDeskDataLayer]:
    url, connect_args = async_connection(database_url)
    layer = TrustDeskDataLayer(
        url, record_feedback=feedback_recorder(turn_log.feedback), connect_args=connect_args
    )
    yield layer
    await layer.close()


def _http_context(thread_id: str, user: PersistedUser) -> None:
    # Outside a websocket session Chainlit's data layer writes at once instead of queueing.
    session = HTTPSession(id=new_id(), thread_id=thread_id, user=user, client_type="webapp")
    context_var.set(ChainlitContext(session))


async def _shopper(layer: TrustDeskDataLayer, identifier: str) -> PersistedUser:
    user = await layer.create_user(User(identifier=identifier, metadata={"anonymous": True}))
    assert user is not None
    return user


def _step(
    step_id: str, thread_id: str, kind: str, output: str, parent: str | None = None
) -> StepDict:
    _clock.append(len(_clock))  # distinct, increasing creation times keep the order stable
    step: dict[str, object] = {
        "id": step_id,
        "threadId": thread_id,
        "parentId": parent,
        "name": kind,
        "type": kind,
        "output": output,
        "streaming": False,
        "metadata": {},
        "createdAt": f"2026-01-01T00:{_clock[-1] // 60:02d}:{_clock[-1] % 60:02d}Z",
        "showInput": "json",
        "defaultOpen": False,
        "autoCollapse": False,
        "isError": False,
    }
    return cast(StepDict, step)


async def test_thread_with_answer_and_source_can_be_resumed(
    data_layer: TrustDeskDataLayer,
) -> None:
    thread_id, answer_id = new_id(), new_id()
    shopper = await _shopper(data_layer, "shopper-a")
    _http_context(thread_id, shopper)
    await data_layer.update_thread(thread_id=thread_id, user_id=shopper.id, name="Returns")
    await data_layer.create_step(_step(new_id(), thread_id, "user_message", "Returns?"))
    await data_layer.create_step(
        _step(answer_id, thread_id, "assistant_message", "Within 30 days [1].")
    )
    source = Text(name="[1] Customer Service", content="Returned within 30 days.")
    source.for_id, source.thread_id, source.mime = answer_id, thread_id, "text/plain"
    await data_layer.create_element(source)

    thread = await data_layer.get_thread(thread_id)
    assert thread is not None
    assert [step["output"] for step in thread["steps"]] == ["Returns?", "Within 30 days [1]."]
    elements = thread["elements"] or []
    assert [element["name"] for element in elements] == ["[1] Customer Service"]
    assert str(elements[0]["url"]).startswith("data:text/plain")
    assert await data_layer.get_thread_author(thread_id) == "shopper-a"


async def test_each_shopper_lists_only_their_own_threads(data_layer: TrustDeskDataLayer) -> None:
    ann, bob = await _shopper(data_layer, "shopper-ann"), await _shopper(data_layer, "shopper-bob")
    for owner, name in ((ann, "Ann's"), (bob, "Bob's")):
        thread_id = new_id()
        _http_context(thread_id, owner)
        await data_layer.update_thread(thread_id=thread_id, user_id=owner.id, name=name)
        await data_layer.create_step(_step(new_id(), thread_id, "user_message", "hi"))

    page = await data_layer.list_threads(Pagination(first=10), ThreadFilter(userId=ann.id))
    assert [thread["name"] for thread in page.data] == ["Ann's"]


async def test_feedback_on_the_answer_lands_in_our_turn_log(
    data_layer: TrustDeskDataLayer, turn_log: SqlTurnLog
) -> None:
    thread_id, run_id, answer_id = new_id(), new_id(), str(uuid.uuid4())
    shopper = await _shopper(data_layer, "shopper-c")
    _http_context(thread_id, shopper)
    await data_layer.update_thread(thread_id=thread_id, user_id=shopper.id)
    await data_layer.create_step(_step(run_id, thread_id, "run", ""))
    await data_layer.create_step(
        _step(answer_id, thread_id, "assistant_message", "Within 30 days [1].", run_id)
    )
    turn_log.turn_started(
        turn_id=answer_id,
        conversation_id=thread_id,
        user_text="Returns?",
        prompt=PROMPT,
        backend="extractive",
        model="extractive",
    )

    # The UI rates the run step that wraps the answer (chain of thought hidden).
    feedback_id = await data_layer.upsert_feedback(
        Feedback(forId=run_id, threadId=thread_id, value=1, comment="Clear, thanks")
    )
    turn_log.flush()

    with Session(turn_log.engine) as session:
        rows = crud.list_feedback(session, turn_id=answer_id)
    assert [(row.score, row.comment, row.source) for row in rows] == [
        (1, "Clear, thanks", FeedbackSource.CHAINLIT)
    ]
    step = await data_layer.get_step(run_id)
    assert step is not None and step["feedback"] is not None
    assert step["feedback"]["id"] == feedback_id
