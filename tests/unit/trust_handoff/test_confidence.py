"""Answer confidence: retrieval strength, grounding and guard outcomes, in one 0-1 score."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app.guardrails.base import Action, GuardDecision, Stage
from app.trust.base import AnswerConfidence
from app.trust.confidence import answer_confidence


def _decision(
    validator: str,
    *,
    passed: bool = True,
    score: float = 0.0,
    action: Action = "pass",
    stage: Stage = "output",
) -> GuardDecision:
    return GuardDecision(validator, stage, passed, action, score, latency_ms=1.0)


def _confidence(
    *,
    scores: Sequence[float] = (0.9, 0.5),
    knows: bool = True,
    decisions: Sequence[GuardDecision] = (),
    blocked_by: str | None = None,
    error: str | None = None,
) -> AnswerConfidence:
    return answer_confidence(
        retrieved_scores=scores,
        knows_answer=knows,
        guard_decisions=decisions,
        blocked_by=blocked_by,
        error=error,
    )


GROUNDED = (_decision("grounding"), _decision("numbers"))


def test_a_grounded_answer_on_strong_sources_is_confident() -> None:
    confidence = _confidence(decisions=GROUNDED)
    assert confidence == AnswerConfidence(
        score=0.96, retrieval=0.9, grounding=1.0, guards_passed=True, knew_answer=True
    )


def test_failed_grounding_lowers_confidence() -> None:
    half = (_decision("grounding", passed=False, score=0.5, action="fix"), _decision("numbers"))
    grounded, ungrounded = _confidence(decisions=GROUNDED), _confidence(decisions=half)
    assert ungrounded.grounding == 0.5 and not ungrounded.guards_passed
    assert ungrounded.score < grounded.score
    assert ungrounded.score == pytest.approx(0.7 * (0.4 * 0.9 + 0.6 * 0.5))


def test_a_blocked_turn_has_no_confidence() -> None:
    blocked = (_decision("injection", passed=False, score=0.99, action="block", stage="input"),)
    assert _confidence(decisions=blocked, blocked_by="injection").score == 0.0
    refused = (_decision("grounding", passed=False, score=1.0, action="refrain"),)
    assert _confidence(decisions=refused, blocked_by="grounding").score == 0.0


def test_a_failed_turn_has_no_confidence() -> None:
    assert _confidence(error="TimeoutError: model did not answer").score == 0.0


def test_not_knowing_keeps_confidence_low() -> None:
    confidence = _confidence(knows=False, decisions=GROUNDED)
    assert not confidence.knew_answer and confidence.score <= 0.2


def test_a_flagged_output_guard_counts_as_failed() -> None:
    flagged = (_decision("grounding"), _decision("promises", passed=False, action="flag"))
    confidence = _confidence(decisions=flagged)
    assert not confidence.guards_passed and confidence.grounding == 1.0
    assert confidence.score < _confidence(decisions=GROUNDED).score


def test_input_decisions_do_not_touch_the_answer() -> None:
    mild = (_decision("toxicity", passed=False, action="flag", score=0.6, stage="input"),)
    assert _confidence(decisions=mild).guards_passed


def test_after_a_reask_the_last_grounding_verdict_counts() -> None:
    first = _decision("grounding", passed=False, score=1.0, action="reask")
    confidence = _confidence(decisions=(first, _decision("grounding")))
    assert confidence.grounding == 1.0 and not confidence.guards_passed


def test_retrieval_is_the_best_score_clipped_to_0_1() -> None:
    assert _confidence(scores=()).retrieval == 0.0
    assert _confidence(scores=(1.3, 0.2)).retrieval == 1.0
    assert _confidence(scores=(-0.2,)).retrieval == 0.0
    assert _confidence(scores=(float("nan"), 0.4)).retrieval == 0.4
