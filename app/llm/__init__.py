"""Answer generation backends, picked by `settings.llm.backend` through a small registry.

Backends are imported lazily so the extractive default never loads the OpenAI client.
"""

from __future__ import annotations

from collections.abc import Callable

from app.config import LLMSettings
from app.llm.base import AnswerEvent, AnswerGenerator, AnswerRequest, GeneratedAnswer, generate

__all__ = [
    "GENERATORS",
    "AnswerEvent",
    "AnswerGenerator",
    "AnswerRequest",
    "GeneratedAnswer",
    "generate",
    "make_generator",
    "model_label",
]


def _extractive(settings: LLMSettings) -> AnswerGenerator:
    from app.llm.extractive import ExtractiveGenerator

    return ExtractiveGenerator()


def _vllm(settings: LLMSettings) -> AnswerGenerator:
    from app.llm.openai_compatible import LLMAnswerGenerator, build_chat_model

    return LLMAnswerGenerator(build_chat_model(settings))


GENERATORS: dict[str, Callable[[LLMSettings], AnswerGenerator]] = {
    "extractive": _extractive,
    "vllm": _vllm,
}


def make_generator(settings: LLMSettings) -> AnswerGenerator:
    """The answer generator the settings choose."""
    try:
        factory = GENERATORS[settings.backend]
    except KeyError:
        known = sorted(GENERATORS)
        raise ValueError(f"unknown llm backend {settings.backend!r}; known: {known}") from None
    return factory(settings)


def model_label(settings: LLMSettings) -> str:
    """The model name stamped on turns: the served model, or the extractive layout's version."""
    if settings.backend == "extractive":
        from app.llm.extractive import MODEL

        return MODEL
    return settings.model
