"""The metrics of a run: one definition each, and how per-case values roll up into a summary.

Rates are means over the cases a metric applies to (a case without expected sources has no
hit@k; an answer without factual sentences has no groundedness); `n` says how many that was.
Percentiles are linear-interpolated (numpy's default) over the cases' values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Aggregate = Literal["mean", "p50", "p95", "sum"]
Better = Literal["higher", "lower"]
CaseMetrics = Mapping[str, float | None]


@dataclass(frozen=True)
class MetricSpec:
    """A summary metric: the per-case value it rolls up, how, which way is better, and meaning."""

    name: str
    case_key: str
    aggregate: Aggregate
    better: Better | None
    definition: str


def _rate(name: str, better: Better | None, definition: str) -> MetricSpec:
    return MetricSpec(name, name, "mean", better, definition)


SUMMARY_METRICS: tuple[MetricSpec, ...] = (
    _rate("hit@1", "higher", "share of cases whose top retrieved chunk is from an expected source"),
    _rate("hit@3", "higher", "share with a chunk of an expected source in the top 3 retrieved"),
    _rate("hit@5", "higher", "share with a chunk of an expected source in the top 5 retrieved"),
    _rate("mrr", "higher", "mean of 1/rank of the first expected-source chunk (0 if none)"),
    _rate("cited_source", "higher", "share of cases whose answer cites an expected source"),
    _rate("fact_accuracy", "higher", "share of cases whose answer states every expected fact"),
    _rate("fact_recall", "higher", "mean share of expected facts the answer states"),
    _rate(
        "groundedness",
        "higher",
        "mean share of factual answer sentences the retrieved text supports",
    ),
    _rate("answered", "higher", "share of turns answered (not 'I don't know', stopped or failed)"),
    _rate("input_blocked", None, "share of messages an input guard stopped"),
    _rate("output_refused", None, "share of answers an output guard replaced with a safe reply"),
    _rate("output_fixed", None, "share of answers an output guard changed (sentences dropped)"),
    _rate("flagged", None, "share of turns flagged for an agent or passed with a guard flag"),
    _rate("false_block", "lower", "share of must-pass messages an input guard stopped"),
    _rate("aspect_hit", "higher", "share of scored messages whose expected trust aspect was found"),
    _rate("trust_score", None, "mean customer-trust score of the scored messages (0-1)"),
    _rate("answer_confidence", "higher", "mean answer-confidence score where present (0-1)"),
    _rate("error", "lower", "share of cases that ended in an error (apology shown)"),
    _rate(
        "judge_faithfulness",
        "higher",
        "LLM judge (vllm runs): mean share of the answer's claims the sources state",
    ),
    _rate(
        "judge_relevancy",
        "higher",
        "LLM judge (vllm runs): how well the answer addresses the question, (1-5 - 1) / 4",
    ),
    _rate("judge_error", "lower", "LLM judge (vllm runs): share of answers it could not grade"),
    MetricSpec("latency_p50_ms", "latency_ms", "p50", "lower", "median turn time, all stages (ms)"),
    MetricSpec("latency_p95_ms", "latency_ms", "p95", "lower", "95th percentile turn time (ms)"),
    MetricSpec("retrieve_p50_ms", "retrieve_ms", "p50", "lower", "median retrieval time (ms)"),
    MetricSpec("prompt_tokens", "prompt_tokens", "sum", "lower", "prompt tokens, all cases"),
    MetricSpec(
        "completion_tokens", "completion_tokens", "sum", "lower", "completion tokens, all cases"
    ),
)
METRICS_BY_NAME = {spec.name: spec for spec in SUMMARY_METRICS}


@dataclass(frozen=True)
class MetricValue:
    """A summary value and the number of cases it was computed over."""

    value: float | None
    n: int


def summarise(cases: Sequence[CaseMetrics]) -> dict[str, MetricValue]:
    """Every summary metric over the given cases' metrics."""
    return {spec.name: _aggregate(spec, cases) for spec in SUMMARY_METRICS}


def _aggregate(spec: MetricSpec, cases: Sequence[CaseMetrics]) -> MetricValue:
    values = [v for case in cases if (v := case.get(spec.case_key)) is not None]
    if not values:
        return MetricValue(None, 0)
    if spec.aggregate == "sum":
        return MetricValue(float(sum(values)), len(values))
    if spec.aggregate == "mean":
        return MetricValue(float(np.mean(values)), len(values))
    quantile = 50 if spec.aggregate == "p50" else 95
    return MetricValue(float(np.percentile(values, quantile)), len(values))
