"""The SQL turn log records what a reviewer needs, never blocks callers and loses nothing."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from sqlmodel import Session, func, select

from app.store import SqlTurnLog, crud, feedback_source
from app.store.models import Conversation, Feedback, FeedbackSource, Turn, TurnStatus
from tests.integration.store.factories import PROMPT, new_id, turn_result


def _start(log: SqlTurnLog, *, turn_id: str, conversation_id: str, text: str = "Hi") -> None:
    log.turn_started(
        turn_id=turn_id,
        conversation_id=conversation_id,
        user_text=text,
        prompt=PROMPT,
        backend="extractive",
        model="extractive",
    )


def _turn(log: SqlTurnLog, turn_id: str) -> Turn:
    with Session(log.engine) as session:
        turn = crud.get_turn(session, turn_id=turn_id)
        assert turn is not None
        return turn


def _conversation(log: SqlTurnLog, conversation_id: str) -> Conversation:
    with Session(log.engine) as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None
        return conversation


def test_answered_turn_is_logged_with_everything_reviewers_need(turn_log: SqlTurnLog) -> None:
    conversation_id, turn_id = new_id(), new_id()
    _start(turn_log, turn_id=turn_id, conversation_id=conversation_id, text="Return policy?")
    turn_log.turn_finished(turn_result(turn_id=turn_id, conversation_id=conversation_id))
    turn_log.flush()

    turn = _turn(turn_log, turn_id)
    assert turn.status == TurnStatus.ANSWERED
    assert turn.user_text == "Return policy?"
    assert turn.answer == "You can return unworn items within 30 days [1]."
    assert (turn.prompt_name, turn.prompt_version, turn.prompt_sha256) == ("answer", 1, "ab" * 32)
    assert turn.citations[0]["anchor"] == "/customer-service#returns-and-replacements"
    assert turn.retrieved[0] == {"chunk_id": "luma_pages.csv#customer-service-1", "score": 0.8}
    assert (turn.retrieve_ms, turn.generate_ms, turn.total_ms) == (12.5, 30.0, 45.0)
    assert (turn.prompt_tokens, turn.completion_tokens, turn.knows_answer) == (120, 18, True)
    assert turn.finished_at is not None and turn.error is None
    assert _conversation(turn_log, conversation_id).turn_count == 1


def test_turn_whose_generation_fails_is_still_logged(turn_log: SqlTurnLog) -> None:
    conversation_id, crashed, failed = new_id(), new_id(), new_id()
    # One turn dies before any result exists, the other finishes with an error.
    _start(turn_log, turn_id=crashed, conversation_id=conversation_id, text="First question")
    _start(turn_log, turn_id=failed, conversation_id=conversation_id, text="Second question")
    turn_log.turn_finished(
        turn_result(
            turn_id=failed,
            conversation_id=conversation_id,
            question="Second question",
            answer="Sorry, I could not answer that.",
            error="LLM timeout after 30s",
        )
    )
    turn_log.flush()

    assert _turn(turn_log, crashed).status == TurnStatus.STARTED
    assert _turn(turn_log, crashed).user_text == "First question"
    logged = _turn(turn_log, failed)
    assert logged.status == TurnStatus.FAILED
    assert logged.error == "LLM timeout after 30s"
    assert logged.user_text == "Second question"


def test_finished_turn_without_a_recorded_start_is_still_kept(turn_log: SqlTurnLog) -> None:
    conversation_id, turn_id = new_id(), new_id()
    turn_log.turn_finished(turn_result(turn_id=turn_id, conversation_id=conversation_id))
    turn_log.flush()
    assert _turn(turn_log, turn_id).status == TurnStatus.ANSWERED
    assert _conversation(turn_log, conversation_id).turn_count == 1


async def test_writes_from_many_concurrent_turns_all_land(turn_log: SqlTurnLog) -> None:
    conversations = [new_id() for _ in range(6)]

    async def one_turn(index: int) -> None:
        conversation_id, turn_id = conversations[index % len(conversations)], new_id()
        _start(turn_log, turn_id=turn_id, conversation_id=conversation_id, text=f"q{index}")
        await asyncio.sleep(0.001 * (index % 5))  # interleave starts and finishes
        turn_log.turn_finished(turn_result(turn_id=turn_id, conversation_id=conversation_id))

    await asyncio.gather(*(one_turn(index) for index in range(60)))
    turn_log.flush()

    with Session(turn_log.engine) as session:
        answered = session.exec(
            select(func.count()).select_from(Turn).where(Turn.status == TurnStatus.ANSWERED)
        ).one()
        counts = session.exec(select(Conversation.turn_count)).all()
    assert answered == 60
    assert sorted(counts) == [10] * 6
    assert turn_log.lost_writes == 0


def test_history_is_oldest_first_answered_only_and_limited(turn_log: SqlTurnLog) -> None:
    conversation_id = new_id()
    for index in range(5):
        turn_id = new_id()
        _start(turn_log, turn_id=turn_id, conversation_id=conversation_id, text=f"q{index}")
        error = "boom" if index == 3 else None
        turn_log.turn_finished(
            turn_result(
                turn_id=turn_id,
                conversation_id=conversation_id,
                question=f"q{index}",
                answer=f"a{index}",
                error=error,
            )
        )
    # No flush: history must already see the turn queued just before it.
    history = turn_log.history(conversation_id, limit=3)
    assert history == [("q1 (resolved)", "a1"), ("q2 (resolved)", "a2"), ("q4 (resolved)", "a4")]
    assert turn_log.history(new_id()) == []


def test_feedback_is_recorded_with_comment_and_source(turn_log: SqlTurnLog) -> None:
    conversation_id, turn_id = new_id(), new_id()
    _start(turn_log, turn_id=turn_id, conversation_id=conversation_id)
    turn_log.turn_finished(turn_result(turn_id=turn_id, conversation_id=conversation_id))
    turn_log.feedback(turn_id=turn_id, score=0, comment="Too vague")
    with feedback_source(FeedbackSource.CHAINLIT):
        turn_log.feedback(turn_id=turn_id, score=1, comment="  ")
    turn_log.flush()

    with Session(turn_log.engine) as session:
        rows = crud.list_feedback(session, turn_id=turn_id)
    assert [(row.score, row.comment, row.source) for row in rows] == [
        (0, "Too vague", FeedbackSource.API),
        (1, None, FeedbackSource.CHAINLIT),
    ]
    with pytest.raises(ValueError, match="0 or 1"):
        turn_log.feedback(turn_id=turn_id, score=5, comment=None)


def test_feedback_for_an_unknown_turn_is_reported_not_dropped_silently(
    turn_log: SqlTurnLog, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="app.store.writer"):
        turn_log.feedback(turn_id="no-such-turn", score=1, comment="Great")
        turn_log.flush()
    assert turn_log.lost_writes == 1
    assert "no-such-turn" in caplog.text and "Great" in caplog.text
    with Session(turn_log.engine) as session:
        assert session.exec(select(func.count()).select_from(Feedback)).one() == 0


def test_conversation_keeps_channel_and_shopper(turn_log: SqlTurnLog) -> None:
    conversation_id = new_id()
    turn_log.conversation_opened(
        conversation_id=conversation_id, channel="chainlit", user_id="shopper-1", user_name="Ann"
    )
    _start(turn_log, turn_id=new_id(), conversation_id=conversation_id)
    turn_log.conversation_opened(conversation_id=conversation_id, channel="api")
    turn_log.flush()

    conversation = _conversation(turn_log, conversation_id)
    assert (conversation.channel, conversation.user_id, conversation.user_name) == (
        "chainlit",
        "shopper-1",
        "Ann",
    )
    assert conversation.turn_count == 1


def test_logging_a_turn_never_waits_for_the_database(turn_log: SqlTurnLog) -> None:
    conversation_id, turn_id = new_id(), new_id()
    turn_log.flush()
    with turn_log.engine.connect() as blocker:
        blocker.exec_driver_sql("SELECT 1")
        _hold_write_lock(blocker)
        started = time.perf_counter()
        _start(turn_log, turn_id=turn_id, conversation_id=conversation_id)
        turn_log.turn_finished(turn_result(turn_id=turn_id, conversation_id=conversation_id))
        elapsed = time.perf_counter() - started
        time.sleep(0.3)  # the writer is now stuck behind the lock
        blocker.rollback()
    turn_log.flush()
    assert elapsed < 0.25  # well under the 0.3 s the lock is held: the caller did not wait
    assert _turn(turn_log, turn_id).status == TurnStatus.ANSWERED


def _hold_write_lock(connection: object) -> None:
    exec_sql = connection.exec_driver_sql  # type: ignore[attr-defined]
    if connection.dialect.name == "sqlite":  # type: ignore[attr-defined]
        exec_sql("BEGIN IMMEDIATE")
    else:
        exec_sql("LOCK TABLE conversations IN ACCESS EXCLUSIVE MODE")
