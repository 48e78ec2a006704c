"""Chat-model backend over any OpenAI-compatible server (vLLM, llama.cpp server, Ollama)."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from app.config import LLMSettings
from app.followup import history_text
from app.llm.base import AnswerEvent, AnswerRequest, GeneratedAnswer
from app.llm.citations import citations_for, numbered_sources

logger = logging.getLogger(__name__)

BACKEND = "vllm"
_WORDS = re.compile(r"[a-z0-9]+")
_DONT_KNOW_PREFIX_WORDS = 8  # enough of the "don't know" sentence to recognise it


def build_chat_model(settings: LLMSettings) -> BaseChatModel:
    """A streaming ChatOpenAI client for the configured OpenAI-compatible server."""
    if not settings.base_url:
        raise ValueError("the vllm backend needs llm.base_url (TRUSTDESK_LLM__BASE_URL)")
    return ChatOpenAI(
        base_url=settings.base_url,
        model=settings.model,
        api_key=settings.api_key,
        # An httpx.Timeout (unhashable) makes langchain-openai build a client for this model
        # instead of sharing a process-wide cached one, whose pooled connections belong to
        # whichever event loop opened them first (CLI/eval runs use one loop per asyncio.run).
        timeout=httpx.Timeout(settings.timeout_s),
        max_retries=settings.max_retries,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        streaming=True,
        # Custom base URLs leave usage off by default; vLLM, llama.cpp and Ollama all send it.
        stream_usage=True,
    )


def render_messages(request: AnswerRequest, history_turns: int = 3) -> list[BaseMessage]:
    """The system and user messages of the answer prompt, with numbered sources and history."""
    dont_know = request.prompt.layout.dont_know_text(request.shop_name)
    values = {
        "shop_name": request.shop_name,
        "sources": numbered_sources(request.chunks),
        "history": history_text(request.history, history_turns),
        "question": request.question,
        "dont_know": dont_know,
    }
    system, user = request.prompt.render(
        **{name: values[name] for name in request.prompt.variables}
    )
    return [SystemMessage(system), HumanMessage(user)]


def says_dont_know(text: str, dont_know: str) -> bool:
    """Whether a model's answer is the prompt's "don't know" sentence (give or take punctuation)."""
    expected = _WORDS.findall(dont_know.lower())[:_DONT_KNOW_PREFIX_WORDS]
    return bool(expected) and " ".join(expected) in " ".join(_WORDS.findall(text.lower()))


class LLMAnswerGenerator:
    """Streams an answer from a chat model prompted with the numbered retrieved sources."""

    backend = BACKEND
    uses_history = True

    def __init__(self, model: BaseChatModel, *, history_turns: int = 3) -> None:
        self._model = model
        self._history_turns = history_turns

    async def stream(self, request: AnswerRequest) -> AsyncIterator[AnswerEvent]:
        """Yield tokens as the server sends them, then the answer with citations and usage."""
        dont_know = request.prompt.layout.dont_know_text(request.shop_name)
        if not request.chunks:  # nothing to ground an answer on: no model call needed
            yield AnswerEvent(text=dont_know)
            yield AnswerEvent(answer=GeneratedAnswer(text=dont_know, knows_answer=False))
            return
        parts: list[str] = []
        usage: dict[str, int] = {}
        async for chunk in self._model.astream(render_messages(request, self._history_turns)):
            if isinstance(chunk, AIMessageChunk) and chunk.usage_metadata:
                usage = dict(chunk.usage_metadata)  # type: ignore[arg-type]
            if text := chunk.text:
                parts.append(text)
                yield AnswerEvent(text=text)
        yield AnswerEvent(answer=self._finish("".join(parts).strip(), request, dont_know, usage))

    def _finish(
        self, text: str, request: AnswerRequest, dont_know: str, usage: dict[str, int]
    ) -> GeneratedAnswer:
        knows = bool(text) and not says_dont_know(text, dont_know)
        return GeneratedAnswer(
            text=text or dont_know,
            citations=citations_for(text, request.chunks) if knows else [],
            knows_answer=knows,
            prompt_tokens=usage.get("input_tokens"),
            completion_tokens=usage.get("output_tokens"),
        )
