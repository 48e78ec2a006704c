"""The llm trust scorer: the chat model reads one message and answers JSON bound by a schema.

The schema travels as OpenAI's `response_format={"type": "json_schema", ...}`. vLLM's OpenAI
server turns it into guided decoding (xgrammar or guidance) and has done so since 0.6, whereas
the older `guided_json` extra field was removed in vLLM 0.12, where newer servers ignore it
silently, so the constraint would fail open. llama.cpp's server and Ollama read
`response_format` too. The reply is validated again with pydantic, so a server that ignores the
schema cannot slip an invented score through: anything but a valid verdict raises
TrustScoringError and the caller falls back (FallbackTrustScorer -> the embedded scorer).
"""

from __future__ import annotations

import logging
from time import perf_counter
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.llm.guided_json import guided_json_options
from app.prompts import Prompt
from app.trust.base import Aspect, AspectSentiment, MessageTrust, Polarity

logger = logging.getLogger(__name__)

NAME = "llm"
SCHEMA_NAME = "message_trust"
_MAX_CHARS = 4000  # a message longer than this is scored on its beginning
_MAX_TOKENS = 256  # eight aspects with polarity fit in well under 200 tokens
# The model names an aspect or not; it gives no probability, so a named aspect counts as sure.
_NAMED_ASPECT_CONFIDENCE = 1.0


class TrustScoringError(RuntimeError):
    """The chat model gave no usable trust verdict (outage, timeout, malformed or invalid reply)."""


class AspectVerdict(BaseModel):
    """One aspect the model found in the message, with the shopper's polarity towards it."""

    model_config = ConfigDict(extra="forbid")

    aspect: Aspect
    polarity: Polarity


class TrustVerdict(BaseModel):
    """The model's reply, exactly as the JSON schema allows it."""

    model_config = ConfigDict(extra="forbid")

    aspects: list[AspectVerdict]
    polarity: Polarity
    trust: float = Field(ge=0.0, le=1.0)

    @field_validator("aspects")
    @classmethod
    def _one_polarity_per_aspect(cls, aspects: list[AspectVerdict]) -> list[AspectVerdict]:
        seen: dict[Aspect, Polarity] = {}
        for item in aspects:
            if seen.setdefault(item.aspect, item.polarity) != item.polarity:
                raise ValueError(f"aspect {item.aspect.value!r} given two polarities")
        # A repeated aspect with the same polarity says nothing new: keep its first mention.
        return [AspectVerdict(aspect=a, polarity=p) for a, p in seen.items()]


def trust_schema() -> dict[str, Any]:
    """The JSON schema the model's reply must follow (flat: no $ref, for every decoder)."""
    polarity = {"type": "string", "enum": [p.value for p in Polarity]}
    aspect = {
        "type": "object",
        "properties": {
            "aspect": {"type": "string", "enum": [a.value for a in Aspect]},
            "polarity": polarity,
        },
        "required": ["aspect", "polarity"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "aspects": {"type": "array", "items": aspect},
            "polarity": polarity,
            "trust": {"type": "number", "minimum": 0, "maximum": 1},
        },
        "required": ["aspects", "polarity", "trust"],
        "additionalProperties": False,
    }


def parse_verdict(reply: str) -> TrustVerdict:
    """The validated verdict in a model reply; TrustScoringError when it is not one."""
    try:
        return TrustVerdict.model_validate_json(reply)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}" for e in error.errors()
        )
        raise TrustScoringError(
            f"the trust model's reply is not a valid verdict: {problems}"
        ) from error


class LlmTrustScorer:
    """Scores a shopper message with the chat model (versioned prompt, guided JSON reply)."""

    name = NAME

    def __init__(
        self, model: BaseChatModel, prompt: Prompt, *, timeout_s: float | None = None
    ) -> None:
        self._model = model
        self._prompt = prompt
        self._timeout_s = timeout_s  # per request; None keeps the model's own timeout

    @property
    def prompt(self) -> Prompt:
        """The prompt version this scorer asks with."""
        return self._prompt

    def score(self, text: str) -> MessageTrust:
        """The model's aspects, polarity and trust for `text`; raises TrustScoringError."""
        if not text.strip():
            raise TrustScoringError("nothing to score: the message is empty")
        began = perf_counter()
        verdict = parse_verdict(self._ask(text[:_MAX_CHARS]))
        aspects = tuple(
            AspectSentiment(item.aspect, item.polarity, _NAMED_ASPECT_CONFIDENCE)
            for item in verdict.aspects
        )
        return MessageTrust(
            aspects=aspects,
            polarity=verdict.polarity,
            score=verdict.trust,
            scorer=NAME,
            latency_ms=round((perf_counter() - began) * 1000, 3),
        )

    def _ask(self, text: str) -> str:
        system, user = self._prompt.render(message=text)
        options = guided_json_options(
            SCHEMA_NAME, trust_schema(), max_tokens=_MAX_TOKENS, timeout_s=self._timeout_s
        )
        try:
            reply = self._model.invoke([SystemMessage(system), HumanMessage(user)], **options)
        except Exception as error:  # outage, timeout, HTTP error, a body that is not JSON
            raise TrustScoringError(
                f"the trust model ({self._prompt.ref}) did not answer: "
                f"{type(error).__name__}: {error}"
            ) from error
        return reply.text
