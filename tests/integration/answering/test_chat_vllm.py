"""The chat-model backend end to end through ChatService against a real OpenAI-protocol server."""

from __future__ import annotations

import logging

import pytest

from app.chat import ChatService
from app.config import LLMSettings
from app.llm.condense import LLMFollowupResolver
from app.llm.openai_compatible import LLMAnswerGenerator, build_chat_model
from app.prompts import Prompt, PromptRegistry
from app.store import SqlTurnLog
from rag.retriever import HybridRetriever
from tests.fakes.openai_server import BadJSON, Delay, DropStream, Fail, FakeOpenAIServer, Reply
from tests.integration.answering.conftest import make_service
from tests.unit.answering.memory_turnlog import MemoryTurnLog

# One event loop for the module, as in the served app (clients and pools belong to a loop).
pytestmark = pytest.mark.asyncio(loop_scope="session")

GROUNDED = "Merchandise must be returned within 30 days of receipt of merchandise [1]."


@pytest.fixture
def vllm_service(
    retriever: HybridRetriever,
    answer_prompt: Prompt,
    turn_log: SqlTurnLog,
    llm_settings: LLMSettings,
) -> ChatService:
    generator = LLMAnswerGenerator(build_chat_model(llm_settings))
    return make_service(
        retriever=retriever,
        prompt=answer_prompt,
        turn_log=turn_log,
        generator=generator,
        backend="vllm",
        model=llm_settings.model,
    )


async def test_build_chat_model_uses_the_settings(llm_settings: LLMSettings) -> None:
    model = build_chat_model(llm_settings)
    assert model.model_name == "fake-qwen" and model.openai_api_base == llm_settings.base_url  # type: ignore[attr-defined]
    assert model.request_timeout.read == llm_settings.timeout_s  # type: ignore[attr-defined]
    assert model.streaming and model.stream_usage and model.max_retries == 0  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="base_url"):
        build_chat_model(LLMSettings())


async def test_streams_tokens_in_order_and_records_usage(
    vllm_service: ChatService, fake_llm: FakeOpenAIServer, turn_log: SqlTurnLog
) -> None:
    fake_llm.script(Reply(GROUNDED, prompt_tokens=321, completion_tokens=12))
    events = [
        e
        async for e in vllm_service.stream(
            conversation_id="v-1", text="What is your return policy?"
        )
    ]
    tokens = [e.text for e in events if e.kind == "token"]
    result = events[-1].result
    assert result is not None and len(tokens) == len(GROUNDED.split())
    assert "".join(tokens) == GROUNDED == result.answer
    assert (result.prompt_tokens, result.completion_tokens) == (321, 12)
    assert result.backend == "vllm" and result.model == "fake-qwen" and result.error is None
    assert [c.index for c in result.citations] == [1]
    assert result.citations[0].chunk_id == result.retrieved[0][0]
    turn_log.flush()
    assert turn_log.history("v-1") == [("What is your return policy?", GROUNDED)]


async def test_request_carries_numbered_sources_and_rules(
    vllm_service: ChatService, fake_llm: FakeOpenAIServer, answer_prompt: Prompt
) -> None:
    result = await vllm_service.ask(
        conversation_id="v-2", text="How much is shipping on a $150 order?"
    )
    request = fake_llm.requests[-1]
    assert request["stream"] is True and request["stream_options"] == {"include_usage": True}
    assert request["model"] == "fake-qwen"
    system, user = (m["content"] for m in request["messages"])
    assert "Luma" in system and answer_prompt.layout.dont_know_text("Luma") in system
    for number in range(1, len(result.retrieved) + 1):
        assert f"[{number}] " in user
    assert "Merchandise total up to $200: Standard (5—7 day shipping) $16" in user
    assert "Shopper's question: How much is shipping on a $150 order?" in user


async def test_second_turn_sends_the_history(
    vllm_service: ChatService, fake_llm: FakeOpenAIServer
) -> None:
    fake_llm.script(Reply(GROUNDED), Reply("Standard shipping is $16 [1]."))
    await vllm_service.ask(conversation_id="v-3", text="What is your return policy?")
    await vllm_service.ask(conversation_id="v-3", text="How much is shipping on a $150 order?")
    user = fake_llm.requests[-1]["messages"][1]["content"]
    assert "Shopper: What is your return policy?" in user and "within 30 days" in user


async def test_model_saying_it_does_not_know_is_marked(
    vllm_service: ChatService, fake_llm: FakeOpenAIServer, answer_prompt: Prompt
) -> None:
    fake_llm.script(Reply(answer_prompt.layout.dont_know_text("Luma")))
    result = await vllm_service.ask(conversation_id="v-4", text="Do you sell car tyres?")
    assert not result.knows_answer and result.citations == []


@pytest.mark.parametrize(
    ("behaviour", "error_part"),
    [
        (Fail(500), "500"),
        (Fail(503, "overloaded"), "503"),
        (Delay(3.0), "Timeout"),
        (BadJSON(), "generate:"),
    ],
    ids=["http-500", "http-503", "timeout", "bad-json"],
)
async def test_llm_failure_becomes_an_apology_and_a_logged_error(
    retriever: HybridRetriever,
    answer_prompt: Prompt,
    llm_settings: LLMSettings,
    fake_llm: FakeOpenAIServer,
    caplog: pytest.LogCaptureFixture,
    behaviour: Fail | Delay | BadJSON,
    error_part: str,
) -> None:
    fake_llm.script(behaviour)
    log = MemoryTurnLog()
    service = make_service(
        retriever=retriever,
        prompt=answer_prompt,
        turn_log=log,
        backend="vllm",
        generator=LLMAnswerGenerator(build_chat_model(llm_settings)),
        model="fake-qwen",
    )
    with caplog.at_level(logging.ERROR, logger="app.chat"):
        result = await service.ask(
            conversation_id="v-down", text="What is your return policy?", turn_id="t-down"
        )
    assert result.answer == answer_prompt.layout.apology_text("Luma")
    assert "connect you" in result.answer and not result.knows_answer
    assert (
        result.error is not None
        and result.error.startswith("generate:")
        and error_part in result.error
    )
    assert log.finished == [result] and [t.turn_id for t in log.started] == ["t-down"]
    record = next(r for r in caplog.records if r.name == "app.chat" and r.exc_info)
    assert "v-down" in record.getMessage() and "t-down" in record.getMessage()


async def test_dropped_stream_ends_with_the_apology(
    retriever: HybridRetriever,
    answer_prompt: Prompt,
    llm_settings: LLMSettings,
    fake_llm: FakeOpenAIServer,
) -> None:
    fake_llm.script(DropStream("Merchandise must be returned within", after_pieces=3))
    log = MemoryTurnLog()
    service = make_service(
        retriever=retriever,
        prompt=answer_prompt,
        turn_log=log,
        backend="vllm",
        generator=LLMAnswerGenerator(build_chat_model(llm_settings)),
        model="fake-qwen",
    )
    events = [
        e
        async for e in service.stream(conversation_id="v-drop", text="What is your return policy?")
    ]
    tokens = [e.text for e in events if e.kind == "token"]
    apology = answer_prompt.layout.apology_text("Luma")
    assert tokens[:3] == ["Merchandise ", "must ", "be "] and tokens[-1] == "\n\n" + apology
    result = events[-1].result
    assert result is not None and result.answer == apology and result.error is not None
    assert log.finished == [result]


async def test_condense_prompt_resolves_follow_ups_with_the_model(
    llm_settings: LLMSettings, fake_llm: FakeOpenAIServer, prompts: PromptRegistry
) -> None:
    resolver = LLMFollowupResolver(build_chat_model(llm_settings), prompts.get("condense@v1"))
    history = [("Do you have the Chaz Kangeroo Hoodie?", "Chaz Kangeroo Hoodie (SKU MH01) [1]")]
    fake_llm.script(Reply("Do you have the Chaz Kangeroo Hoodie in orange?"))
    assert (
        await resolver.resolve("and in orange?", history)
        == "Do you have the Chaz Kangeroo Hoodie in orange?"
    )
    user = fake_llm.requests[-1]["messages"][1]["content"]
    assert "Shopper: Do you have the Chaz Kangeroo Hoodie?" in user and "and in orange?" in user
    # Standalone questions never cost a model call; an outage falls back to the rules.
    assert (
        await resolver.resolve("What is your return policy?", history)
        == "What is your return policy?"
    )
    assert len(fake_llm.requests) == 1
    fake_llm.script(Fail(500))
    assert await resolver.resolve("and in orange?", history, "Chaz Kangeroo Hoodie") == (
        "Chaz Kangeroo Hoodie in orange?"
    )
