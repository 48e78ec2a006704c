"""Deterministic metrics of one eval case, from its expectations and its stored turn record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evals.cases import EvalCase
from evals.metrics import outcomes
from evals.metrics.facts import fact_recall
from evals.metrics.grounding import groundedness
from evals.metrics.retrieval import hit_at, reciprocal_rank, source_id_of
from evals.metrics.summary import SUMMARY_METRICS, MetricSpec, MetricValue, summarise
from evals.records import TurnRecord
from rag.schema import RetrievedChunk

__all__ = [
    "SUMMARY_METRICS",
    "MetricSpec",
    "MetricValue",
    "score_case",
    "summarise",
]

HIT_KS = (1, 3, 5)


def score_case(
    case: EvalCase,
    record: TurnRecord,
    chunks: Mapping[str, RetrievedChunk],
    *,
    scripted: Sequence[str] = (),
) -> dict[str, float | None]:
    """Every per-case metric (None where it does not apply).

    `chunks` maps ids to indexed text; `scripted` are the shop's fixed replies (handoff and
    guard replies), which groundedness does not count as claims.
    """
    return {
        **_retrieval(case, record),
        **_answer(case, record, chunks, scripted),
        **_guards(case, record),
        "aspect_hit": outcomes.aspect_hit(case, record),
        "trust_score": record.trust.score if record.trust is not None else None,
        "answer_confidence": record.confidence,
        "error": 1.0 if record.error else 0.0,
        "latency_ms": record.total_ms,
        "retrieve_ms": record.retrieve_ms if record.retrieved else None,
        "prompt_tokens": _number(record.prompt_tokens),
        "completion_tokens": _number(record.completion_tokens),
    }


def _retrieval(case: EvalCase, record: TurnRecord) -> dict[str, float | None]:
    expected = set(case.expected.sources)
    if not expected:
        return {**{f"hit@{k}": None for k in HIT_KS}, "mrr": None, "cited_source": None}
    retrieved = [r.chunk_id for r in record.retrieved]
    cited = any(source_id_of(c.chunk_id) in expected for c in record.citations)
    return {
        **{f"hit@{k}": hit_at(retrieved, expected, k) for k in HIT_KS},
        "mrr": reciprocal_rank(retrieved, expected),
        "cited_source": 1.0 if cited else 0.0,
    }


def _answer(
    case: EvalCase,
    record: TurnRecord,
    chunks: Mapping[str, RetrievedChunk],
    scripted: Sequence[str],
) -> dict[str, float | None]:
    recall = fact_recall(case.expected.facts, record.answer)
    retrieved = [chunks[r.chunk_id] for r in record.retrieved if r.chunk_id in chunks]
    stopped = record.blocked_by is not None or record.error is not None
    return {
        "fact_recall": recall,
        "fact_accuracy": None if recall is None else float(recall == 1.0),
        "groundedness": (
            None if stopped else groundedness(record.answer, retrieved, scripted=scripted)
        ),
        "answered": 0.0 if stopped or not record.knows_answer else 1.0,
    }


def _guards(case: EvalCase, record: TurnRecord) -> dict[str, float | None]:
    return {
        "input_blocked": float(outcomes.input_blocked(record)),
        "output_refused": float(outcomes.output_refused(record)),
        "output_fixed": float(outcomes.output_fixed(record)),
        "flagged": float(outcomes.flagged(record)),
        "false_block": outcomes.false_block(case, record),
    }


def _number(value: int | None) -> float | None:
    return None if value is None else float(value)
