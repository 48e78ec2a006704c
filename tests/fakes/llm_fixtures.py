"""Fixtures of the fake chat model, for the conftest.py of each folder whose tests talk to one.

A conftest imports the fixtures it needs; each folder that does gets its own session server.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.config import LLMSettings
from tests.fakes.openai_server import FakeOpenAIServer

FAKE_MODEL = "fake-qwen"


@pytest.fixture(scope="session")
def fake_llm_server() -> Iterator[FakeOpenAIServer]:
    """One fake OpenAI-compatible server for the session."""
    with FakeOpenAIServer(model=FAKE_MODEL) as server:
        yield server


@pytest.fixture
def fake_llm(fake_llm_server: FakeOpenAIServer) -> FakeOpenAIServer:
    """The fake server with no script and no recorded requests."""
    fake_llm_server.reset()
    return fake_llm_server


def fake_llm_settings(server: FakeOpenAIServer, *, timeout_s: float) -> LLMSettings:
    """vLLM backend settings pointing at `server`, with no retries."""
    url = server.base_url
    return LLMSettings(
        backend="vllm", base_url=url, model=FAKE_MODEL, timeout_s=timeout_s, max_retries=0
    )
