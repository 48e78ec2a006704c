"""The output side of the guard pipeline: guardrails-ai Guards over the real checks."""

from __future__ import annotations

import re

import pytest

from app.guardrails.base import Action
from app.guardrails.output import (
    GroundingCheck,
    LeakCheck,
    NumberCheck,
    OutputCheck,
    PromiseCheck,
)
from app.guardrails.pipeline import GuardParts, GuardPipeline
from app.guardrails.replies import load_replies
from app.prompts import Prompt
from rag.schema import RetrievedChunk
from tests.unit.guardrails_output.conftest import PROMPTS_DIR, small_pii_finder

_PIECE = re.compile(r"\S+\s*|\s+")


def pipeline(answer_prompt: Prompt, **on_fail: Action) -> GuardPipeline:
    checks: dict[str, OutputCheck] = {
        "leaks": LeakCheck(small_pii_finder),
        "numbers": NumberCheck(),
        "promises": PromiseCheck(),
        "grounding": GroundingCheck(),
    }
    actions: dict[str, Action] = {
        "grounding": "fix",
        "numbers": "refrain",
        "leaks": "refrain",
        "promises": "fix",
        **on_fail,
    }
    replies = load_replies(PROMPTS_DIR / "guard_replies" / "v1.yaml", shop_name="Luma")
    parts = GuardParts(detectors={}, checks=checks, on_fail=actions)
    return GuardPipeline(parts, replies=replies, system_prompt=answer_prompt.system, can_reask=True)


def test_guardrails_telemetry_stays_off(answer_prompt: Prompt) -> None:
    from guardrails.settings import settings

    pipeline(answer_prompt)
    assert settings.rc.enable_metrics is False and settings.rc.use_remote_inferencing is False


def test_a_whole_answer_loses_only_its_unsupported_sentence(
    answer_prompt: Prompt, returns: RetrievedChunk
) -> None:
    guards = pipeline(answer_prompt)
    answer = (
        "Merchandise must be returned within 30 days of receipt of merchandise [1]. "
        "Our founder delivers every parcel by helicopter [1]."
    )
    verdict = guards.check_output(answer, [returns])
    assert (
        verdict.answer
        == "Merchandise must be returned within 30 days of receipt of merchandise [1]."
    )
    assert not verdict.refused
    assert [(d.validator, d.action) for d in verdict.decisions if not d.passed] == [
        ("grounding", "fix")
    ]
    assert [d.validator for d in verdict.decisions] == ["leaks", "numbers", "promises", "grounding"]


def test_a_wrong_number_refrains(answer_prompt: Prompt, returns: RetrievedChunk) -> None:
    verdict = pipeline(answer_prompt).check_output(
        "Returns are accepted for 90 days [1].", [returns]
    )
    assert verdict.refused and verdict.blocked_by == "numbers"
    assert "connect you" in verdict.answer


def test_reask_is_asked_for_and_refrains_on_the_final_try(
    answer_prompt: Prompt, returns: RetrievedChunk
) -> None:
    guards = pipeline(answer_prompt, numbers="reask")
    first = guards.check_output("Returns are accepted for 90 days [1].", [returns])
    assert first.reask_reason is not None and "90 days" in first.reask_reason
    final = guards.check_output("Returns are accepted for 90 days [1].", [returns], final=True)
    assert final.refused and final.reask_reason is None


def test_without_a_chat_model_reask_becomes_fix(
    answer_prompt: Prompt, returns: RetrievedChunk
) -> None:
    replies = load_replies(PROMPTS_DIR / "guard_replies" / "v1.yaml")
    parts = GuardParts(
        detectors={}, checks={"numbers": NumberCheck()}, on_fail={"numbers": "reask"}
    )
    guards = GuardPipeline(parts, replies=replies, system_prompt="", can_reask=False)
    answer = "Returns are accepted for 90 days [1]. Used merchandise cannot be returned [1]."
    verdict = guards.check_output(answer, [returns])
    assert verdict.reask_reason is None and verdict.answer.startswith("Used merchandise")
    assert [(d.validator, d.action) for d in verdict.decisions] == [("numbers", "fix")]


def stream(guards: GuardPipeline, chunks: list[RetrievedChunk], text: str) -> tuple[str, object]:
    gate = guards.stream(guards.context(chunks))
    shown = "".join(gate.feed(piece) for piece in _PIECE.findall(text)) + gate.close()
    return shown, gate.verdict()


def test_a_stream_releases_sentences_only_after_they_passed(
    answer_prompt: Prompt, returns: RetrievedChunk
) -> None:
    guards = pipeline(answer_prompt)
    text = (
        "We will gladly accept your timely return of unworn merchandise. [1] "
        "Returns are always free [1]. "
        "Merchandise must be returned within 30 days of receipt of merchandise [1]."
    )
    shown, verdict = stream(guards, [returns], text)
    assert shown == (
        "We will gladly accept your timely return of unworn merchandise. [1] "
        "Merchandise must be returned within 30 days of receipt of merchandise [1]."
    )
    assert verdict.answer == shown and not verdict.refused  # type: ignore[attr-defined]
    failed = [(d.validator, d.action) for d in verdict.decisions if not d.passed]  # type: ignore[attr-defined]
    assert failed == [("promises", "fix")]


def test_a_stream_stops_at_a_refrain_and_shows_nothing_more(
    answer_prompt: Prompt, returns: RetrievedChunk
) -> None:
    guards = pipeline(answer_prompt)
    text = (
        "We will gladly accept your timely return of unworn merchandise [1]. "
        "Returns are accepted for 90 days [1]. Merchandise must be returned within 30 days [1]."
    )
    shown, verdict = stream(guards, [returns], text)
    assert "90" not in shown and "30 days" not in shown
    assert verdict.refused and verdict.blocked_by == "numbers"  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [1, 3, 7])
def test_how_the_tokens_are_cut_does_not_matter(
    answer_prompt: Prompt, returns: RetrievedChunk, size: int
) -> None:
    guards = pipeline(answer_prompt)
    text = "We will gladly accept your timely return [1]. Used merchandise cannot be returned [1]."
    gate = guards.stream(guards.context([returns]))
    pieces = [text[i : i + size] for i in range(0, len(text), size)]
    shown = "".join(gate.feed(piece) for piece in pieces) + gate.close()
    assert shown == text
