"""GuardPipeline: every shopper message and every answer passes guardrails-ai Guards.

Input, in order: size/encoding -> PII redaction -> injection -> toxicity -> off-topic. The
redacted text is what the rest of the turn logs, retrieves with and sends to a model.
Output: leaks -> numbers -> promises -> grounding, on the whole answer (fix/refrain/reask/flag
per settings) or, while a chat model streams, on each sentence before it is released
(guardrails-ai streams support only exception/noop, so a failing sentence is held back and the
configured action is applied by the pipeline).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Protocol

from guardrails.errors import ValidationError

from app.guardrails.base import Action, GuardDecision, PiiSpan, TextDetector
from app.guardrails.output.base import OutputCheck, OutputContext
from app.guardrails.replies import GuardReplies
from app.guardrails.streaming import OutputStream, has_claims
from app.guardrails.validators import (
    CONTEXT,
    ON_FAIL,
    OUTPUT_VALIDATORS,
    TRACE,
    DetectorValidator,
    InjectionJudgeValidator,
    InjectionValidator,
    InputContext,
    OffTopicValidator,
    PiiValidator,
    SizeValidator,
    ToxicityValidator,
    offline_guard,
)
from app.guardrails.verdicts import (
    WITHHELD,
    Finding,
    InputVerdict,
    OutputVerdict,
    SentenceVerdict,
    Trace,
    decision,
    merge,
)
from app.turns import Citation
from rag.schema import RetrievedChunk

logger = logging.getLogger(__name__)

INPUT_ORDER = ("size", "pii", "injection", "injection_judge", "toxicity", "off_topic")
# The specific checks first, so a made-up price is recorded as a numbers failure, not merely
# as an unsupported sentence; grounding then judges what is left.
OUTPUT_ORDER = ("leaks", "numbers", "promises", "grounding")
CONVERSATION = "trustdesk_conversation"
_REPLY_FOR_BLOCK = {
    "injection": "injection",
    "injection_judge": "injection",
    "toxicity": "abuse",
    "off_topic": "off_topic",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class Redaction(Protocol):
    """Replaces personal data in a message; placeholders are reversible per conversation."""

    def redact(self, text: str, spans: Sequence[PiiSpan], conversation_id: str) -> str:
        """`text` with each span replaced as the PII policy says."""
        ...

    def restore(self, text: str, conversation_id: str) -> str:
        """`text` with this conversation's placeholders turned back into the shopper's values."""
        ...

    def seen(self, entity: str, value: str, conversation_id: str) -> bool:
        """Whether the shopper of this conversation gave `value`."""
        ...


@dataclass(frozen=True)
class GuardParts:
    """The detectors and checks a pipeline wraps (any may be missing: that guard is skipped)."""

    detectors: Mapping[str, TextDetector]
    checks: Mapping[str, OutputCheck]
    redaction: Redaction | None = None
    thresholds: Mapping[str, float] = field(default_factory=dict)
    on_fail: Mapping[str, Action] = field(default_factory=dict)
    toxicity_flag_score: float | None = None
    context_turns: int = 3
    max_input_chars: int = 4000


class GuardPipeline:
    """Runs the input and output Guards of a turn and turns their findings into decisions."""

    def __init__(
        self, parts: GuardParts, *, replies: GuardReplies, system_prompt: str, can_reask: bool
    ) -> None:
        self._parts = parts
        self._replies = replies
        self._system_prompt = system_prompt
        self._actions = _output_actions(parts, can_reask)
        self._input_validators = _input_validators(parts)
        self._input_guard = offline_guard("trustdesk-input", self._input_validators)
        self._output_guard = self._output("trustdesk-output", self._actions)
        final: dict[str, Action] = {
            n: ("refrain" if a == "reask" else a) for n, a in self._actions.items()
        }
        self._final_actions = final
        self._final_guard = self._output("trustdesk-output-final", final)
        # Streams allow only exception/noop: hold back on failure, pass on flag.
        streamed: dict[str, Action] = {
            n: ("flag" if a == "flag" else "block") for n, a in self._actions.items()
        }
        self._stream_guard = self._output("trustdesk-output-stream", streamed)

    @property
    def replies(self) -> GuardReplies:
        """The guard replies in use."""
        return self._replies

    @property
    def input_guards(self) -> tuple[str, ...]:
        """Names of the input guards, in the order they run."""
        return tuple(v.guard_name for v in self._input_validators)

    @property
    def output_guards(self) -> tuple[str, ...]:
        """Names of the output guards, in the order they run."""
        return tuple(self._actions)

    def _output(self, name: str, actions: Mapping[str, Action]) -> Any:
        checks = self._parts.checks
        validators = [
            OUTPUT_VALIDATORS[check](checks[check], on_fail=ON_FAIL[action])
            for check, action in actions.items()
        ]
        return offline_guard(name, validators)

    # --- input ---------------------------------------------------------------------------

    def check_input(
        self, text: str, conversation: Sequence[str] = (), *, conversation_id: str = ""
    ) -> InputVerdict:
        """Judge one shopper message; `conversation` holds their earlier (redacted) messages."""
        trace = Trace()
        previous = tuple(conversation)[-self._parts.context_turns :] if conversation else ()
        metadata = {TRACE: trace, CONTEXT: InputContext(previous), CONVERSATION: conversation_id}
        try:
            passed_text = self._run_input(text, metadata)
        except Exception:  # fail closed: an unchecked message is neither logged nor answered
            logger.exception("input guards failed", extra={"conversation_id": conversation_id})
            return self._guard_error(trace)
        decisions = tuple(self._input_decision(f) for f in trace.findings)
        spans = next((f.spans for f in trace.findings if f.validator == "pii"), ())
        if passed_text is not None:
            return InputVerdict(text=passed_text, decisions=decisions, pii=spans)
        return self._blocked(text, trace, decisions, spans, conversation_id)

    def _run_input(self, text: str, metadata: dict[str, Any]) -> str | None:
        """The redacted text if every guard passed, None if one stopped the message."""
        if not text.strip():
            # guardrails-ai never runs validators on an empty output: ask the size guard directly.
            size = next((v for v in self._input_validators if v.guard_name == "size"), None)
            if size is not None:
                size.validate(text, metadata)
            return None
        try:
            outcome = self._input_guard.validate(text, metadata=metadata)
        except ValidationError:
            return None
        output = outcome.validated_output
        return output if isinstance(output, str) else None

    def _blocked(
        self,
        text: str,
        trace: Trace,
        decisions: tuple[GuardDecision, ...],
        spans: tuple[PiiSpan, ...],
        conversation_id: str,
    ) -> InputVerdict:
        failed = next((f for f in reversed(trace.findings) if not f.passed), None)
        name = failed.validator if failed else "size"
        reason = self._size_reason(text) if name == "size" else _REPLY_FOR_BLOCK.get(name)
        redacted = next((f.fixed for f in trace.findings if f.validator == "pii"), None)
        return InputVerdict(
            text=redacted or self.loggable(text, conversation_id, spans),
            decisions=decisions,
            reply=self._replies.text(reason or "guard_error"),
            blocked_by=name,
            flagged_for_agent=name == "toxicity",
            pii=spans,
        )

    def _size_reason(self, text: str) -> str:
        if not text.strip():
            return "empty"
        return "too_long" if len(text) > self._parts.max_input_chars else "unreadable"

    def _guard_error(self, trace: Trace) -> InputVerdict:
        decisions = tuple(self._input_decision(f) for f in trace.findings)
        return InputVerdict(
            text=WITHHELD,
            decisions=decisions,
            reply=self._replies.text("guard_error"),
            blocked_by="guard_error",
        )

    def loggable(
        self, text: str, conversation_id: str = "", spans: Sequence[PiiSpan] | None = None
    ) -> str:
        """A stopped message as it may be stored: readable, bounded and redacted."""
        limit = self._parts.max_input_chars
        cut = _CONTROL.sub("\ufffd", text[:limit])  # same length: span offsets still hold
        if len(text) > limit:
            cut += f" […{len(text) - limit} more characters not stored]"
            spans = None
        return self._redact(cut, conversation_id, spans)

    def redact(self, text: str, conversation_id: str = "") -> str:
        """`text` with personal data redacted as the PII policy says (answers, the UI's log)."""
        return self._redact(text, conversation_id, None)

    def _redact(self, text: str, conversation_id: str, spans: Sequence[PiiSpan] | None) -> str:
        detector = self._parts.detectors.get("pii")
        redaction = self._parts.redaction
        if detector is None or redaction is None:
            return text
        try:
            found = detector.detect(text).spans if spans is None else spans
            return redaction.redact(text, found, conversation_id) if found else text
        except Exception:  # never store what could not be redacted
            logger.exception("could not redact a text for storage")
            return WITHHELD

    def _input_decision(self, finding: Finding) -> GuardDecision:
        action: Action
        if finding.passed:
            action = "flag" if finding.flag else "pass"
        else:
            redacted = finding.validator == "pii" and not finding.error
            action = "redact" if redacted else "block"
        return decision(finding, "input", action)

    # --- output --------------------------------------------------------------------------

    def context(
        self,
        chunks: Sequence[RetrievedChunk],
        user_texts: Sequence[str] = (),
        citations: Sequence[Citation] = (),
        conversation_id: str = "",
    ) -> OutputContext:
        """What an answer to this turn is checked against."""
        redaction = self._parts.redaction

        def shopper_gave(entity: str, value: str) -> bool:
            return redaction is not None and redaction.seen(entity, value, conversation_id)

        return OutputContext(
            chunks=tuple(chunks),
            citations=tuple(citations),
            user_texts=tuple(user_texts),
            system_prompt=self._system_prompt,
            shopper_gave=shopper_gave if conversation_id else None,
        )

    def restore(self, answer: str, conversation_id: str) -> str:
        """The answer with the shopper's own placeholders turned back into their values."""
        if self._parts.redaction is None or not conversation_id:
            return answer
        return self._parts.redaction.restore(answer, conversation_id)

    def check_output(
        self,
        answer: str,
        chunks: Sequence[RetrievedChunk],
        user_texts: Sequence[str] = (),
        *,
        citations: Sequence[Citation] = (),
        final: bool = False,
        conversation_id: str = "",
    ) -> OutputVerdict:
        """Judge a whole answer; `final` turns reask into refrain (after the one retry)."""
        context = self.context(chunks, user_texts, citations, conversation_id)
        actions = self._final_actions if final else self._actions
        trace = Trace()
        try:
            outcome = (self._final_guard if final else self._output_guard).validate(
                answer, metadata={TRACE: trace, CONTEXT: context}
            )
        except Exception:  # fail closed: an unchecked answer is not shown
            logger.exception("output guards failed")
            return self._refusal(trace, actions, "guard_error")
        decisions = tuple(self._output_decision(f, actions) for f in trace.findings)
        failed = [f for f in trace.findings if not f.passed]
        if outcome.reask is not None and failed:
            reason = "; ".join(f"{f.validator}: {f.detail}" for f in failed)
            return OutputVerdict(answer=answer, decisions=decisions, reask_reason=reason)
        output = outcome.validated_output
        if not isinstance(output, str) or (failed and not has_claims(output)):
            blocked_by = failed[-1].validator if failed else None
            return OutputVerdict(
                answer=self._replies.text("unsupported"),
                decisions=decisions,
                refused=True,
                blocked_by=blocked_by,
            )
        return OutputVerdict(answer=output.strip(), decisions=decisions)

    def _refusal(self, trace: Trace, actions: Mapping[str, Action], reason: str) -> OutputVerdict:
        return OutputVerdict(
            answer=self._replies.text("unsupported"),
            decisions=tuple(self._output_decision(f, actions) for f in trace.findings),
            refused=True,
            blocked_by=reason,
        )

    def check_sentence(self, sentence: str, context: OutputContext) -> SentenceVerdict:
        """Judge one streamed sentence before it is released."""
        trace = Trace()
        with suppress(ValidationError):  # the failing finding is in the trace
            self._stream_guard.validate(sentence, metadata={TRACE: trace, CONTEXT: context})
        failed = next((f for f in trace.findings if not f.passed), None)
        if failed is None or self._actions[failed.validator] == "flag":
            return SentenceVerdict(release=True, findings=tuple(trace.findings))
        return SentenceVerdict(
            release=False,
            action=self._actions[failed.validator],
            validator=failed.validator,
            reason=f"{failed.validator}: {failed.detail}",
            findings=tuple(trace.findings),
        )

    def stream(self, context: OutputContext, conversation_id: str = "") -> OutputStream:
        """A sentence gate for one streamed answer (placeholders restored per sentence)."""
        return OutputStream(self, context, lambda text: self.restore(text, conversation_id))

    def refusal_text(self) -> str:
        """The safe reply when nothing of an answer can be shown (offers a human)."""
        return self._replies.text("unsupported")

    def output_decisions(self, findings: Sequence[Finding]) -> tuple[GuardDecision, ...]:
        """One decision per output guard from the findings of a streamed answer's sentences."""
        merged: dict[str, list[Finding]] = {}
        for finding in findings:
            merged.setdefault(finding.validator, []).append(finding)
        return tuple(
            self._output_decision(merge(name, group), self._actions)
            for name, group in merged.items()
        )

    @staticmethod
    def _output_decision(finding: Finding, actions: Mapping[str, Action]) -> GuardDecision:
        action = actions.get(finding.validator, "flag")
        return decision(finding, "output", "pass" if finding.passed else action)


_DETECTOR_VALIDATORS: dict[str, type[DetectorValidator]] = {
    "size": SizeValidator,
    "injection": InjectionValidator,
    "injection_judge": InjectionJudgeValidator,
    "off_topic": OffTopicValidator,
}


def _input_validators(parts: GuardParts) -> list[DetectorValidator]:
    detectors, thresholds = parts.detectors, parts.thresholds
    validators: list[DetectorValidator] = []
    for name in INPUT_ORDER:
        detector = detectors.get(name)
        if detector is None:
            continue
        if name == "pii":
            redaction = parts.redaction
            if redaction is None:
                continue
            validators.append(PiiValidator(detector, redact=_redactor(redaction)))
        elif name == "toxicity":
            validators.append(
                ToxicityValidator(
                    detector,
                    threshold=thresholds.get(name),
                    flag_score=parts.toxicity_flag_score,
                )
            )
        else:
            kind = _DETECTOR_VALIDATORS[name]
            validators.append(kind(detector, threshold=thresholds.get(name)))
    return validators


def _redactor(redaction: Redaction) -> Callable[[str, Sequence[PiiSpan], dict[str, Any]], str]:
    def redact(text: str, spans: Sequence[PiiSpan], metadata: dict[str, Any]) -> str:
        return redaction.redact(text, spans, str(metadata.get(CONVERSATION, "")))

    return redact


def _output_actions(parts: GuardParts, can_reask: bool) -> dict[str, Action]:
    actions: dict[str, Action] = {}
    for name in OUTPUT_ORDER:
        if name not in parts.checks:
            continue
        action = parts.on_fail.get(name, "fix")
        # Only a chat model can be asked again; the extractive answer is fixed instead.
        actions[name] = "fix" if action == "reask" and not can_reask else action
    return actions


__all__ = [
    "GuardParts",
    "GuardPipeline",
    "InputVerdict",
    "OutputStream",
    "OutputVerdict",
    "Redaction",
    "SentenceVerdict",
]
