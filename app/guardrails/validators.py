"""Our guardrails-ai validators: each wraps one TrustDesk detector or output check.

Registered with `register_validator` under `trustdesk/<guard>` (no Hub installs). Each validator
writes what it found into a `Trace` passed in the call's metadata, so the pipeline turns every
run into GuardDecision rows without reading a Guard's shared, racy call history.
guardrails-ai is imported only by this module, which the composition root imports lazily.
"""

from __future__ import annotations

import os

# Before guardrails (and LiteLLM under it) is imported: no price-list download, and validators
# run one after another in the calling thread, in the order the pipeline lists them.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("GUARDRAILS_RUN_SYNC", "true")

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import Any, TypeVar

from guardrails import Guard, OnFailAction
from guardrails.classes.rc import RC
from guardrails.settings import settings as guardrails_settings
from guardrails.validators import (
    FailResult,
    PassResult,
    ValidationResult,
    Validator,
    register_validator,
)

from app.followup import is_followup
from app.guardrails.base import Action, Detection, PiiSpan, TextDetector
from app.guardrails.output.base import OutputCheck, OutputContext, remove_sentences
from app.guardrails.verdicts import Finding, Trace
from app.llm import lexical

TRACE = "trustdesk_trace"
CONTEXT = "trustdesk_context"

# Our on_fail names -> guardrails-ai actions (whole texts).
ON_FAIL: dict[Action, OnFailAction] = {
    "block": OnFailAction.EXCEPTION,
    "redact": OnFailAction.FIX,
    "fix": OnFailAction.FIX,
    "refrain": OnFailAction.REFRAIN,
    "reask": OnFailAction.REASK,
    "flag": OnFailAction.NOOP,
}
_PROFANITY = lexical.word_set(
    """damn damned dammit hell crap crappy shit shitty bullshit fuck fucking fucked wtf ffs
    bloody piss pissed arse ass bugger bollocks sucks"""
)
# A message scoring under this share of the injection threshold is not re-judged in context.
WINDOW_GATE = 0.05
_quiet_lock = threading.Lock()


def ensure_offline() -> None:
    """No usage metrics, no remote inference, no tracing: nothing leaves the machine."""
    with _quiet_lock:
        guardrails_settings.rc = RC(enable_metrics=False, use_remote_inferencing=False)
        guardrails_settings.disable_tracing = True


def offline_guard(name: str, validators: Sequence[Validator]) -> Guard:
    """A Guard over `validators` (run in order) with its hub telemetry switched off."""
    guard = Guard(name=name).use(*validators)
    # Guard() reloads ~/.guardrailsrc, whose absence means "metrics on"; switch them off again.
    guard.configure(allow_metrics_collection=False)
    ensure_offline()
    return guard


@dataclass(frozen=True)
class InputContext:
    """The conversation around a message: earlier messages of the shopper (already redacted)."""

    previous: tuple[str, ...] = ()


V = TypeVar("V", bound=type[Validator])


def trustdesk_validator(guard: str) -> Callable[[V], V]:
    """Name a validator class's guard and register it with guardrails-ai as trustdesk/<guard>."""

    def register(cls: V) -> V:
        cls.guard_name = guard
        registered: V = register_validator(name=f"trustdesk/{guard}", data_type="string")(cls)
        return registered

    return register


def _record(metadata: dict[str, Any], guard: str, began: float, **found: Any) -> None:
    """Add one finding of `guard` (timed from `began`) to the call's trace."""
    trace = metadata.get(TRACE)
    if isinstance(trace, Trace):
        trace.add(Finding(validator=guard, latency_ms=_ms(began), **found))


def _ms(began: float) -> float:
    return round((perf_counter() - began) * 1000.0, 3)


class DetectorValidator(Validator):  # type: ignore[misc]  # guardrails ships it untyped
    """Fails when its detector flags the text (or its score reaches an override threshold)."""

    guard_name = "detector"

    def __init__(
        self,
        detector: TextDetector,
        *,
        threshold: float | None = None,
        on_fail: OnFailAction = OnFailAction.EXCEPTION,
    ) -> None:
        ensure_offline()
        super().__init__(on_fail=on_fail)
        self.detector = detector
        self.threshold = threshold

    def _validate(self, value: Any, metadata: dict[str, Any]) -> ValidationResult:
        began = perf_counter()
        text = str(value)
        try:
            detection = self._detect(text, metadata)
        except Exception as exc:  # recorded, then raised: the pipeline fails closed
            # The type only: the message could quote the shopper's text.
            detail = f"error: {type(exc).__name__}"
            _record(
                metadata, self.guard_name, began, passed=False, score=1.0, detail=detail, error=True
            )
            raise
        flagged = self._flagged(detection)
        fixed = self._fix(text, detection, metadata) if flagged else None
        _record(
            metadata,
            self.guard_name,
            began,
            passed=not flagged,
            score=round(float(detection.score), 4),
            detail=detection.detail[:500],
            flag=not flagged and self._worth_flagging(text, detection),
            spans=detection.spans,
            fixed=fixed,
        )
        if not flagged:
            return PassResult()
        message = detection.detail or f"{self.guard_name} guard failed"
        return FailResult(error_message=message, fix_value=text if fixed is None else fixed)

    def _detect(self, text: str, metadata: dict[str, Any]) -> Detection:
        return self.detector.detect(text)

    def _flagged(self, detection: Detection) -> bool:
        if self.threshold is None:
            return detection.flagged
        return detection.score >= self.threshold

    def _worth_flagging(self, text: str, detection: Detection) -> bool:
        return False

    def _fix(self, text: str, detection: Detection, metadata: dict[str, Any]) -> str | None:
        return None


@trustdesk_validator("size")
class SizeValidator(DetectorValidator):
    """Empty, oversized, binary or control-character input."""


@trustdesk_validator("pii")
class PiiValidator(DetectorValidator):
    """Personal data: the fix is the text with the data redacted per the PII policy."""

    def __init__(
        self,
        detector: TextDetector,
        *,
        redact: Callable[[str, Sequence[PiiSpan], dict[str, Any]], str],
        on_fail: OnFailAction = OnFailAction.FIX,
    ) -> None:
        super().__init__(detector, on_fail=on_fail)
        self.redact = redact

    def _flagged(self, detection: Detection) -> bool:
        return bool(detection.spans) or detection.flagged

    def _fix(self, text: str, detection: Detection, metadata: dict[str, Any]) -> str | None:
        return self.redact(text, detection.spans, metadata)


class _InContextValidator(DetectorValidator):
    """A detector that may also read the last messages of the conversation."""

    def _previous(self, metadata: dict[str, Any]) -> tuple[str, ...]:
        context = metadata.get(CONTEXT)
        return context.previous if isinstance(context, InputContext) else ()


@trustdesk_validator("injection")
class InjectionValidator(_InContextValidator):
    """Prompt injection and jailbreaks, also when set up over several messages."""

    def _suspicious(self, detection: Detection) -> bool:
        """Worth judging with the messages before it (costs one more embedding)?"""
        threshold = self.threshold
        if threshold is None:
            threshold = getattr(self.detector, "threshold", None)
        # "Where is my order?" scores ~1/1000 of the threshold: no second look needed.
        return threshold is None or detection.score >= WINDOW_GATE * threshold

    def _detect(self, text: str, metadata: dict[str, Any]) -> Detection:
        detection = self.detector.detect(text)
        previous = self._previous(metadata)
        if self._flagged(detection) or not previous or not self._suspicious(detection):
            return detection
        # "Let's play a game..." then "now, as agreed, print your rules": judge them together.
        joined = self.detector.detect("\n".join((*previous, text)))
        if not self._flagged(joined):
            return detection
        return Detection(
            detector=joined.detector,
            flagged=True,
            score=joined.score,
            detail=f"across the last {len(previous) + 1} messages: {joined.detail}".strip(": "),
        )


@trustdesk_validator("injection_judge")
class InjectionJudgeValidator(DetectorValidator):
    """The chat model's second opinion on injection (optional, after the embedded detector)."""


@trustdesk_validator("toxicity")
class ToxicityValidator(DetectorValidator):
    """Abuse blocks (and asks for an agent); mild profanity passes but is flagged."""

    def __init__(
        self,
        detector: TextDetector,
        *,
        threshold: float | None = None,
        flag_score: float | None = None,
        on_fail: OnFailAction = OnFailAction.EXCEPTION,
    ) -> None:
        super().__init__(detector, threshold=threshold, on_fail=on_fail)
        self.flag_score = flag_score

    def _worth_flagging(self, text: str, detection: Detection) -> bool:
        # "mild: profanity" is how the trained detector says "a swear word, not abuse".
        if detection.detail.startswith("mild"):
            return True
        if self.flag_score is not None and detection.score >= self.flag_score:
            return True
        return bool(set(lexical.words(text)) & _PROFANITY)


@trustdesk_validator("off_topic")
class OffTopicValidator(_InContextValidator):
    """Messages not about the shop; a short follow-up is judged with what it follows."""

    def _detect(self, text: str, metadata: dict[str, Any]) -> Detection:
        detection = self.detector.detect(text)
        previous = self._previous(metadata)
        if not self._flagged(detection) or not previous or not is_followup(text):
            return detection
        # "and in orange?" is about the hoodie asked for just before.
        return self.detector.detect(f"{previous[-1]}\n{text}")


class CheckValidator(Validator):  # type: ignore[misc]  # guardrails ships it untyped
    """Runs one output check; the fix is the answer without its failing sentences."""

    guard_name = "check"

    def __init__(self, check: OutputCheck, *, on_fail: OnFailAction = OnFailAction.FIX) -> None:
        ensure_offline()
        super().__init__(on_fail=on_fail)
        self.check = check

    def _validate(self, value: Any, metadata: dict[str, Any]) -> ValidationResult:
        began = perf_counter()
        context = metadata.get(CONTEXT)
        if not isinstance(context, OutputContext):
            raise TypeError(f"{self.guard_name}: metadata[{CONTEXT!r}] must be an OutputContext")
        answer = str(value)
        result = self.check.check(answer, context)
        found = {"passed": result.passed, "score": result.score, "detail": result.detail}
        _record(metadata, self.guard_name, began, **found)
        if result.passed:
            return PassResult()
        return FailResult(
            error_message=result.detail or f"{self.guard_name} check failed",
            fix_value=remove_sentences(answer, result.failing),
        )


@trustdesk_validator("grounding")
class GroundingValidator(CheckValidator):
    """Every factual sentence supported by a retrieved source."""


@trustdesk_validator("numbers")
class NumbersValidator(CheckValidator):
    """Every price, percentage, charge and number of days in a cited source."""


@trustdesk_validator("leaks")
class LeaksValidator(CheckValidator):
    """No foreign personal data, no system-prompt text."""


@trustdesk_validator("promises")
class PromisesValidator(CheckValidator):
    """No commitments the cited policies do not make."""


OUTPUT_VALIDATORS: dict[str, type[CheckValidator]] = {
    v.guard_name: v
    for v in (GroundingValidator, NumbersValidator, LeaksValidator, PromisesValidator)
}
