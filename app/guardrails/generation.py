"""Answer generation under the output guards: whole answers, or sentence by sentence.

The extractive backend composes its answer at once, so it is checked whole (fix, refrain and
reask-as-fix apply) and only then streamed. A chat model streams: each sentence is held until
it passed the guards; a failing sentence is dropped (fix), ends the answer with a safe reply
(refrain), or ends it and asks the model once more with the reason (reask).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from app.guardrails.base import GuardDecision
from app.guardrails.output.base import markers_in
from app.llm.base import AnswerGenerator, AnswerRequest, GeneratedAnswer, generate
from app.turns import Citation

if TYPE_CHECKING:
    from app.guardrails.pipeline import GuardPipeline
    from app.guardrails.verdicts import OutputVerdict

_PIECE = re.compile(r"\S+\s*|\s+")


@dataclass
class GuardedOutcome:
    """What a guarded generation produced, filled in as it runs."""

    answer: GeneratedAnswer | None = None
    decisions: list[GuardDecision] = field(default_factory=list)
    blocked_by: str | None = None
    stored_text: str | None = None  # the answer as it may be logged (placeholders kept)


class GuardedGenerator:
    """Runs an AnswerGenerator and lets only guarded text through."""

    def __init__(
        self, generator: AnswerGenerator, guards: GuardPipeline, *, by_sentence: bool
    ) -> None:
        self._generator = generator
        self._guards = guards
        self._by_sentence = by_sentence

    async def stream(
        self,
        request: AnswerRequest,
        outcome: GuardedOutcome,
        *,
        user_texts: Sequence[str] = (),
        conversation_id: str = "",
    ) -> AsyncIterator[str]:
        """Yield the text the shopper may see; `outcome` holds the final answer and decisions."""
        if self._by_sentence:
            pieces = self._sentences(request, outcome, user_texts, conversation_id)
        else:
            pieces = self._whole(request, outcome, user_texts, conversation_id)
        async for piece in pieces:
            yield piece

    async def _whole(
        self,
        request: AnswerRequest,
        outcome: GuardedOutcome,
        user_texts: Sequence[str],
        conversation_id: str,
    ) -> AsyncIterator[str]:
        answer = await generate(self._generator, request)
        verdict = await self._check(answer, request, user_texts, conversation_id, final=False)
        if verdict.reask_reason is not None:
            answer, verdict = await self._reask(
                request, answer, verdict, outcome, user_texts, conversation_id
            )
        self._settle(outcome, answer, verdict, conversation_id)
        assert outcome.answer is not None
        for piece in _PIECE.findall(outcome.answer.text):
            yield piece

    async def _sentences(
        self,
        request: AnswerRequest,
        outcome: GuardedOutcome,
        user_texts: Sequence[str],
        conversation_id: str,
    ) -> AsyncIterator[str]:
        context = self._guards.context(request.chunks, user_texts, conversation_id=conversation_id)
        gate = self._guards.stream(context, conversation_id)
        answer: GeneratedAnswer | None = None
        stream = self._generator.stream(request)
        async for event in stream:
            if event.answer is not None:
                answer = event.answer
            elif event.text and (shown := await asyncio.to_thread(gate.feed, event.text)):
                yield shown
            if gate.stop is not None:
                break  # the rest of this answer will not be shown: stop the model
        if gate.stop is None and (shown := await asyncio.to_thread(gate.close)):
            yield shown
        answer = answer or GeneratedAnswer(text=gate.text, knows_answer=False)
        verdict = gate.verdict()
        if verdict.reask_reason is not None:
            answer, verdict = await self._reask(
                request, answer, verdict, outcome, user_texts, conversation_id
            )
        self._settle(outcome, answer, verdict, conversation_id)
        assert outcome.answer is not None
        if outcome.answer.text != gate.text:  # replaced: the UI shows the final answer instead
            yield ("\n\n" if gate.text else "") + outcome.answer.text

    async def _check(
        self,
        answer: GeneratedAnswer,
        request: AnswerRequest,
        user_texts: Sequence[str],
        conversation_id: str,
        *,
        final: bool,
    ) -> OutputVerdict:
        text = self._guards.restore(answer.text, conversation_id)
        return await asyncio.to_thread(
            self._guards.check_output,
            text,
            request.chunks,
            user_texts,
            citations=answer.citations,
            final=final,
            conversation_id=conversation_id,
        )

    async def _reask(
        self,
        request: AnswerRequest,
        answer: GeneratedAnswer,
        verdict: OutputVerdict,
        outcome: GuardedOutcome,
        user_texts: Sequence[str],
        conversation_id: str,
    ) -> tuple[GeneratedAnswer, OutputVerdict]:
        """One more try with the failure reason; whatever fails then is refused, not reasked."""
        assert verdict.reask_reason is not None
        outcome.decisions.extend(verdict.decisions)
        note = self._guards.replies.reask(verdict.reask_reason)
        retry = replace(request, question=f"{request.question}\n\n{note}")
        second = await generate(self._generator, retry)
        merged = replace(
            second,
            prompt_tokens=_add(answer.prompt_tokens, second.prompt_tokens),
            completion_tokens=_add(answer.completion_tokens, second.completion_tokens),
        )
        verdict = await self._check(merged, request, user_texts, conversation_id, final=True)
        return merged, verdict

    def _settle(
        self,
        outcome: GuardedOutcome,
        answer: GeneratedAnswer,
        verdict: OutputVerdict,
        conversation_id: str,
    ) -> None:
        outcome.decisions.extend(verdict.decisions)
        text = verdict.answer
        if verdict.refused:
            outcome.blocked_by = verdict.blocked_by
            outcome.answer = GeneratedAnswer(
                text=text,
                knows_answer=False,
                prompt_tokens=answer.prompt_tokens,
                completion_tokens=answer.completion_tokens,
            )
            return
        outcome.answer = replace(answer, text=text, citations=_still_cited(answer.citations, text))
        if self._guards.restore(answer.text, conversation_id) != answer.text:
            # The shopper sees their own details back; the log gets them redacted again.
            outcome.stored_text = self._guards.redact(text, conversation_id)


def _still_cited(citations: Sequence[Citation], text: str) -> list[Citation]:
    used = set(markers_in(text))
    return [c for c in citations if c.index in used]


def _add(first: int | None, second: int | None) -> int | None:
    if first is None or second is None:
        return second if first is None else first
    return first + second
