"""ChatService end to end on the embedded default: real index, real retriever, real turn log."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import pytest

from app.chat import ChatService
from app.prompts import Prompt
from app.store import SqlTurnLog
from app.turns import TurnEvent
from rag.embeddings import SentenceTransformerEmbeddings
from rag.retriever import HybridRetriever
from tests.integration.answering.conftest import make_service
from tests.unit.answering.memory_turnlog import MemoryTurnLog

# One event loop for the module, as in the served app (clients and pools belong to a loop).
pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_return_window_is_answered_cited_and_logged(
    service: ChatService, turn_log: SqlTurnLog, answer_prompt: Prompt
) -> None:
    result = await service.ask(
        conversation_id="c-returns", text="How long do I have to return an item?"
    )
    assert "within 30 days of receipt of merchandise" in result.answer
    assert result.citations and "returns-and-replacements" in result.citations[0].chunk_id
    assert result.knows_answer and result.error is None
    assert result.prompt == answer_prompt.ref and result.backend == "extractive"
    assert len(result.retrieved) == 5 and result.citations[0].chunk_id in dict(result.retrieved)
    assert result.latency.total_ms >= result.latency.retrieve_ms + result.latency.generate_ms > 0
    turn_log.flush()
    assert turn_log.history("c-returns") == [(result.resolved_question, result.answer)]


async def test_a_broad_policy_question_gets_the_gist_not_one_sentence(
    service: ChatService,
) -> None:
    result = await service.ask(conversation_id="c-policy", text="What is your return policy?")
    # Conditions of a return and its deadline, all quoted from the one cited section.
    assert "unworn, unwashed, or defective merchandise" in result.answer
    assert "within 30 days of receipt of merchandise" in result.answer
    assert len(result.citations) == 1
    assert "returns-and-replacements" in result.citations[0].chunk_id


@pytest.mark.parametrize(
    ("amount", "charges"), [("150", ("$16", "$26", "$33")), ("350", ("$21", "$31", "$38"))]
)
async def test_shipping_charges_for_an_order_total(
    service: ChatService, amount: str, charges: tuple[str, ...]
) -> None:
    result = await service.ask(
        conversation_id=f"c-ship-{amount}", text=f"How much is shipping on a ${amount} order?"
    )
    assert all(re.search(re.escape(c) + r"\b", result.answer) for c in charges), result.answer
    assert "shipping-and-delivery" in result.citations[0].chunk_id


async def test_follow_up_is_resolved_against_the_conversation(service: ChatService) -> None:
    first = await service.ask(
        conversation_id="c-hoodie", text="Do you have the Chaz Kangeroo Hoodie?"
    )
    assert "Chaz Kangeroo Hoodie" in first.answer and "MH01" in first.citations[0].chunk_id
    second = await service.ask(conversation_id="c-hoodie", text="and in orange?")
    assert second.question == "and in orange?"
    assert (
        "Chaz Kangeroo Hoodie" in second.resolved_question and "orange" in second.resolved_question
    )
    assert "Orange" in second.answer and "MH01" in second.citations[0].chunk_id
    third = await service.ask(conversation_id="c-hoodie", text="How much is it?")
    assert "$52.00" in third.answer


async def test_follow_up_after_a_restart_uses_the_logged_history(
    retriever: HybridRetriever, answer_prompt: Prompt, turn_log: SqlTurnLog
) -> None:
    before = make_service(retriever=retriever, prompt=answer_prompt, turn_log=turn_log)
    await before.ask(conversation_id="c-restart", text="Do you have the Chaz Kangeroo Hoodie?")
    after = make_service(retriever=retriever, prompt=answer_prompt, turn_log=turn_log)
    result = await after.ask(conversation_id="c-restart", text="and in orange?")
    assert result.resolved_question.startswith("Do you have the Chaz Kangeroo Hoodie")
    assert "Orange" in result.answer and "MH01" in result.citations[0].chunk_id


async def test_off_catalogue_question_offers_a_human(service: ChatService) -> None:
    result = await service.ask(conversation_id="c-tyres", text="Do you sell car tyres?")
    assert not result.knows_answer and result.citations == [] and result.error is None
    assert "connect you" in result.answer


async def test_stream_yields_tokens_then_the_result(service: ChatService) -> None:
    events: list[TurnEvent] = [
        e
        async for e in service.stream(
            conversation_id="c-stream", text="What is your return policy?"
        )
    ]
    tokens, done = events[:-1], events[-1]
    assert len(tokens) > 3 and all(e.kind == "token" for e in tokens)
    assert done.kind == "done" and done.result is not None
    assert "".join(e.text for e in tokens) == done.result.answer


async def test_retrieval_failure_becomes_an_apology_and_a_logged_error(
    retriever: HybridRetriever,
    answer_prompt: Prompt,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    # The real retriever over the real index, but its encoder's model folder is empty (a broken
    # deployment): every query embedding fails.
    broken_encoder = SentenceTransformerEmbeddings(model_path=tmp_path)
    broken = HybridRetriever(vectorstore=retriever.vectorstore, embeddings=broken_encoder, k=5)
    log = MemoryTurnLog()
    service = make_service(retriever=broken, prompt=answer_prompt, turn_log=log)
    with caplog.at_level(logging.ERROR, logger="app.chat"):
        result = await service.ask(
            conversation_id="c-broken", text="What is your return policy?", turn_id="t-1"
        )
    assert result.answer == answer_prompt.layout.apology_text("Luma")
    assert not result.knows_answer and result.error and result.error.startswith("retrieve:")
    assert [t.turn_id for t in log.started] == ["t-1"] and log.finished == [result]
    record = next(r for r in caplog.records if r.name == "app.chat" and r.exc_info)
    assert "c-broken" in record.getMessage() and "t-1" in record.getMessage()
    assert "Traceback" not in result.answer and "Error" not in result.answer


async def test_turn_log_outage_does_not_cost_the_answer(
    retriever: HybridRetriever, answer_prompt: Prompt, caplog: pytest.LogCaptureFixture
) -> None:
    log = MemoryTurnLog(fail_writes=True)
    service = make_service(retriever=retriever, prompt=answer_prompt, turn_log=log)
    with caplog.at_level(logging.ERROR, logger="app.chat"):
        result = await service.ask(
            conversation_id="c-nolog", text="How much is the Chaz Kangeroo Hoodie?"
        )
    assert "$52.00" in result.answer and result.error is None
    assert sum("turn log" in r.getMessage() for r in caplog.records) == 2  # started + finished


async def test_closing_the_stream_early_still_finishes_the_turn(
    retriever: HybridRetriever, answer_prompt: Prompt
) -> None:
    log = MemoryTurnLog()
    service = make_service(retriever=retriever, prompt=answer_prompt, turn_log=log)
    stream = service.stream(
        conversation_id="c-gone", text="What is your return policy?", turn_id="t-gone"
    )
    first = await anext(stream)
    assert first.kind == "token"
    await stream.aclose()  # the shopper closed the tab
    assert [r.turn_id for r in log.finished] == ["t-gone"]
    assert log.finished[0].error is not None and "GeneratorExit" in log.finished[0].error


async def test_feedback_is_recorded_and_validated(
    retriever: HybridRetriever, answer_prompt: Prompt
) -> None:
    log = MemoryTurnLog()
    service = make_service(retriever=retriever, prompt=answer_prompt, turn_log=log)
    service.feedback(turn_id="t-9", score=1, comment="spot on")
    assert log.feedbacks == [("t-9", 1, "spot on")]
    with pytest.raises(ValueError, match="0 or 1"):
        service.feedback(turn_id="t-9", score=5)


async def test_concurrent_turns_keep_their_conversations_apart(service: ChatService) -> None:
    questions = {
        "c-a": "How much is the Chaz Kangeroo Hoodie?",
        "c-b": "How much is shipping on a $150 order?",
        "c-c": "What is your return policy?",
    }
    results = await asyncio.gather(
        *(service.ask(conversation_id=c, text=q) for c, q in questions.items())
    )
    assert [r.conversation_id for r in results] == list(questions)
    assert (
        "$52.00" in results[0].answer
        and "$16" in results[1].answer
        and "30 days" in results[2].answer
    )
