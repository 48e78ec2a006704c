"""Groundedness: the share of an answer's factual sentences that the retrieved text supports.

Uses the grounding guard's own rules (`app.guardrails.output.grounding`), lexical part only so
the metric is deterministic and cheap: a factual sentence is supported when every number it
writes appears in one retrieved chunk and at least `MIN_OVERLAP` of its content words do too.
Conversational sentences ("Would you like me to connect you...") and questions are not claims,
and neither are the shop's scripted replies (handoff notices, guard replies): they are the shop's
own words, sent verbatim, so they are taken out of the answer before its sentences are counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.guardrails.output.base import OutputContext, split_sentences
from app.guardrails.output.grounding import GroundingCheck, is_factual
from rag.schema import RetrievedChunk

MIN_OVERLAP = 0.6  # the grounding guard's default (settings.guards.grounding_min_overlap)


def without_scripted(answer: str, scripted: Sequence[str]) -> str:
    """`answer` without the shop's fixed replies in it: the part the answerer wrote."""
    for text in scripted:
        if text:
            answer = answer.replace(text, " ")
    return answer.strip()


def groundedness(
    answer: str, chunks: Sequence[RetrievedChunk], *, scripted: Sequence[str] = ()
) -> float | None:
    """Supported factual sentences / factual sentences (None when the answer states nothing).

    `scripted` texts (the shop's fixed replies) are removed from the answer first.
    """
    answer = without_scripted(answer, scripted)
    claims = {s.index for s in split_sentences(answer) if is_factual(s.text(answer))}
    if not claims:
        return None
    verdict = GroundingCheck(None, min_overlap=MIN_OVERLAP).check(
        answer, OutputContext(chunks=tuple(chunks))
    )
    unsupported = claims & set(verdict.failing)
    return 1.0 - len(unsupported) / len(claims)
