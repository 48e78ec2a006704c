"""Answer confidence: how far the bot's own reply can be trusted, from facts the turn already has.

No model is asked: it combines what retrieval, the output guards and the generator reported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from app.guardrails.base import GuardDecision
from app.trust.base import AnswerConfidence

GROUNDING = "grounding"  # the output guard whose score is the share of unsupported sentences
RETRIEVAL_WEIGHT = 0.4
GROUNDING_WEIGHT = 0.6  # grounding speaks for this answer's sentences, retrieval for its sources
GUARD_FAILED_FACTOR = 0.7  # an answer an output guard failed keeps 70 % of its confidence
DONT_KNOW_CAP = 0.2  # "I don't know" is honest, but the shopper's question is still open


def _unit(value: float) -> float:
    return 0.0 if math.isnan(value) else min(1.0, max(0.0, value))


def _grounding(output: Sequence[GuardDecision]) -> float:
    # After a reask both answers' decisions are listed; the last one judged the answer shown.
    last = next((d for d in reversed(output) if d.validator == GROUNDING), None)
    return 1.0 if last is None else 1.0 - _unit(last.score)


def answer_confidence(
    *,
    retrieved_scores: Sequence[float],
    knows_answer: bool,
    guard_decisions: Sequence[GuardDecision],
    blocked_by: str | None,
    error: str | None,
) -> AnswerConfidence:
    """Confidence in the reply (0-1) and its parts.

    - retrieval: the best fused retrieval score (0.6 cosine + 0.4 normalised BM25), clipped to
      0-1; 0 when nothing was retrieved.
    - grounding: 1 - the score of the last output "grounding" decision. For a whole answer that
      score is the share of its sentences (factual or not) no retrieved source supports, so
      grounding is the share kept as supported; for a streamed answer the pipeline merges the
      per-sentence findings with max, so one unsupported sentence reads as 0. 1.0 when no
      grounding guard ran.
    - guards_passed: no output decision failed (fixed, refrained, reasked or only flagged).
    - knew_answer: the generator did not say it did not know (nor was replaced by a handoff).
    - score: 0 when the turn failed (`error`) or a guard blocked or refused it (`blocked_by`);
      otherwise 0.4 * retrieval + 0.6 * grounding, times 0.7 when an output guard failed,
      and at most 0.2 when the bot did not know.
    """
    output = [d for d in guard_decisions if d.stage == "output"]
    finite = [s for s in retrieved_scores if not math.isnan(s)]
    retrieval = _unit(max(finite, default=0.0))
    grounding = _grounding(output)
    guards_passed = all(d.passed for d in output)
    if error or blocked_by:
        score = 0.0
    else:
        score = RETRIEVAL_WEIGHT * retrieval + GROUNDING_WEIGHT * grounding
        if not guards_passed:
            score *= GUARD_FAILED_FACTOR
        if not knows_answer:
            score = min(score, DONT_KNOW_CAP)
    return AnswerConfidence(
        score=round(score, 3),
        retrieval=round(retrieval, 3),
        grounding=round(grounding, 3),
        guards_passed=guards_passed,
        knew_answer=knows_answer,
    )
