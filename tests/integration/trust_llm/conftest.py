"""Fixtures: the fake OpenAI-compatible server, and the llm trust scorer pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import LLMSettings
from app.llm.openai_compatible import build_chat_model
from app.prompts import Prompt, PromptRegistry
from app.trust.llm_scorer import LlmTrustScorer
from tests.fakes.openai_server import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def trust_prompt() -> Prompt:
    """The released trust prompt."""
    return PromptRegistry.load(REPO / "prompts").get("trust@v1")


@pytest.fixture(scope="session")
def trust_llm_server() -> Iterator[FakeOpenAIServer]:
    """One fake OpenAI-compatible server for this folder."""
    with FakeOpenAIServer(model="fake-qwen") as server:
        yield server


@pytest.fixture
def fake_llm(trust_llm_server: FakeOpenAIServer) -> FakeOpenAIServer:
    """The fake server with no script and no recorded requests."""
    trust_llm_server.reset()
    return trust_llm_server


@pytest.fixture
def scorer(fake_llm: FakeOpenAIServer, trust_prompt: Prompt) -> LlmTrustScorer:
    """The llm scorer on the real (streaming) chat client, no retries, a short timeout."""
    settings = LLMSettings(
        backend="vllm", base_url=fake_llm.base_url, model="fake-qwen", timeout_s=5.0, max_retries=0
    )
    return LlmTrustScorer(build_chat_model(settings), trust_prompt, timeout_s=0.5)
