"""Output guards: checks on an answer before the shopper sees it."""

from app.guardrails.output.base import CheckResult, OutputCheck, OutputContext
from app.guardrails.output.grounding import GroundingCheck
from app.guardrails.output.leaks import LeakCheck
from app.guardrails.output.numbers import NumberCheck
from app.guardrails.output.promises import PromiseCheck

__all__ = [
    "CheckResult",
    "GroundingCheck",
    "LeakCheck",
    "NumberCheck",
    "OutputCheck",
    "OutputContext",
    "PromiseCheck",
]
