"""LLM-judge metrics of an eval case: faithfulness and answer relevancy, asked of the chat model.

Only when the run's backend is a chat model (vllm): the deterministic metrics stay the ones the
gate reads, and these are the RAGAS-style second opinion. The judge gets the question, the
retrieved sources and the answer (the shop's scripted replies removed), and answers JSON bound
by a schema sent as `response_format` (guided decoding on vLLM). Its verdict is validated again:
a reply that is not a verdict counts as `judge_error`, never as a score.

- `judge_faithfulness`: supported claims / claims (None for an answer without claims);
- `judge_relevancy`: (relevance - 1) / 4, relevance being 1-5;
- `judge_error`: 1 when the judge gave no usable verdict (outage, timeout, invalid JSON).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.llm.guided_json import guided_json_options
from app.prompts import Prompt

logger = logging.getLogger(__name__)

SCHEMA_NAME = "answer_grade"
JUDGE_METRICS = ("judge_faithfulness", "judge_relevancy", "judge_error")
_MAX_TOKENS = 512  # a few claims of an answer of a few sentences
_MAX_SOURCE_CHARS = 1500  # per source: the judge needs the facts, not whole pages


class ClaimVerdict(BaseModel):
    """One factual claim of the answer and whether the sources state it."""

    model_config = ConfigDict(extra="forbid")

    claim: str
    supported: bool


class AnswerGrade(BaseModel):
    """The judge's reply, exactly as the JSON schema allows it."""

    model_config = ConfigDict(extra="forbid")

    claims: list[ClaimVerdict]
    relevance: int = Field(ge=1, le=5)


def grade_schema() -> dict[str, Any]:
    """The JSON schema of the judge's reply (flat: no $ref, for every guided decoder)."""
    claim = {
        "type": "object",
        "properties": {"claim": {"type": "string"}, "supported": {"type": "boolean"}},
        "required": ["claim", "supported"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "claims": {"type": "array", "items": claim},
            "relevance": {"type": "integer", "minimum": 1, "maximum": 5},
        },
        "required": ["claims", "relevance"],
        "additionalProperties": False,
    }


def judge_metrics(grade: AnswerGrade | None) -> dict[str, float | None]:
    """The per-case judge metrics of a verdict (None: the judge failed)."""
    if grade is None:
        return {"judge_faithfulness": None, "judge_relevancy": None, "judge_error": 1.0}
    supported = sum(claim.supported for claim in grade.claims)
    return {
        "judge_faithfulness": supported / len(grade.claims) if grade.claims else None,
        "judge_relevancy": (grade.relevance - 1) / 4,
        "judge_error": 0.0,
    }


class AnswerJudge:
    """Grades one answer against its sources with the chat model (versioned prompt, JSON reply)."""

    def __init__(self, model: BaseChatModel, prompt: Prompt, *, timeout_s: float = 30.0) -> None:
        self._model = model
        self._prompt = prompt
        self._timeout_s = timeout_s

    @property
    def prompt(self) -> Prompt:
        """The judge prompt version (stamped on the run's settings)."""
        return self._prompt

    async def grade(
        self, question: str, answer: str, sources: Sequence[str]
    ) -> dict[str, float | None]:
        """The judge metrics of `answer`; a failed judgement gives `judge_error` 1."""
        numbered = "\n\n".join(
            f"[{n}] {text[:_MAX_SOURCE_CHARS]}" for n, text in enumerate(sources, 1)
        )
        system, user = self._prompt.render(
            question=question, sources=numbered or "(none)", answer=answer
        )
        try:
            reply = await self._model.ainvoke(
                [SystemMessage(system), HumanMessage(user)],
                **guided_json_options(
                    SCHEMA_NAME, grade_schema(), max_tokens=_MAX_TOKENS, timeout_s=self._timeout_s
                ),
            )
            return judge_metrics(AnswerGrade.model_validate_json(reply.text))
        except ValidationError as error:
            logger.warning("the judge's reply is not a grade (%s)", error.errors()[:2])
        except Exception as error:  # outage, timeout, HTTP error: this case goes ungraded
            logger.warning("the judge did not answer: %s: %s", type(error).__name__, error)
        return judge_metrics(None)
