"""Fixtures: the fake OpenAI-compatible server, and the llm trust scorer pointed at it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.llm.openai_compatible import build_chat_model
from app.prompts import Prompt, PromptRegistry
from app.trust.llm_scorer import LlmTrustScorer
from tests.fakes.llm_fixtures import (  # noqa: F401  (fixtures)
    fake_llm,
    fake_llm_server,
    fake_llm_settings,
)
from tests.fakes.openai_server import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def trust_prompt() -> Prompt:
    """The released trust prompt."""
    return PromptRegistry.load(REPO / "prompts").get("trust@v1")


@pytest.fixture
def scorer(fake_llm: FakeOpenAIServer, trust_prompt: Prompt) -> LlmTrustScorer:  # noqa: F811
    """The llm scorer on the real (streaming) chat client, no retries, a short timeout."""
    settings = fake_llm_settings(fake_llm, timeout_s=5.0)
    return LlmTrustScorer(build_chat_model(settings), trust_prompt, timeout_s=0.5)
