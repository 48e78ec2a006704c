"""The fake server speaks the OpenAI wire protocol as the official client expects it."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from tests.fakes.openai_server import Fail, FakeOpenAIServer, Reply


def test_models_and_plain_completion_through_the_official_client(
    fake_llm: FakeOpenAIServer,
) -> None:
    client = openai.OpenAI(base_url=fake_llm.base_url, api_key="EMPTY", max_retries=0)
    assert [m.id for m in client.models.list()] == ["fake-qwen"]
    fake_llm.script(Reply("Returns are accepted within 30 days.", prompt_tokens=40))
    completion = client.chat.completions.create(
        model="fake-qwen", messages=[{"role": "user", "content": "return window?"}]
    )
    assert completion.choices[0].message.content == "Returns are accepted within 30 days."
    assert completion.usage is not None and completion.usage.prompt_tokens == 40
    assert fake_llm.requests[-1]["messages"][0]["content"] == "return window?"


def test_sse_stream_ends_with_usage_only_when_asked(fake_llm: FakeOpenAIServer) -> None:
    fake_llm.script(Reply("one two"), Reply("one two"))
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    plain = _events(fake_llm, body)
    with_usage = _events(fake_llm, {**body, "stream_options": {"include_usage": True}})
    assert plain[-1] == "[DONE]" and with_usage[-1] == "[DONE]"
    assert "".join(json.loads(e)["choices"][0]["delta"].get("content", "") for e in plain[:-1]) == (
        "one two"
    )
    assert all("usage" not in json.loads(e) for e in plain[:-1])
    assert json.loads(with_usage[-2])["usage"]["completion_tokens"] == 2


def test_scripted_failure_is_an_openai_error(fake_llm: FakeOpenAIServer) -> None:
    fake_llm.script(Fail(503, "overloaded"))
    client = openai.OpenAI(base_url=fake_llm.base_url, api_key="EMPTY", max_retries=0)
    with pytest.raises(openai.InternalServerError, match="overloaded"):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])


def _events(server: FakeOpenAIServer, body: dict[str, object]) -> list[str]:
    with httpx.stream("POST", f"{server.base_url}/chat/completions", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        return [
            line[len("data: ") :] for line in response.iter_lines() if line.startswith("data: ")
        ]
