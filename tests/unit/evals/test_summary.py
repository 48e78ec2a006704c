"""How per-case metrics roll up into a run's summary, and how it is printed."""

from __future__ import annotations

import pytest

from app.store.models import EvalRun
from evals.metrics import summarise
from evals.run_report import format_run
from evals.runner import run_summary


def test_rates_are_means_over_the_cases_they_apply_to() -> None:
    summary = summarise(
        [
            {"hit@5": 1.0, "groundedness": None, "latency_ms": 10.0},
            {"hit@5": 0.0, "groundedness": 0.5, "latency_ms": 30.0},
            {"hit@5": 1.0, "groundedness": 1.0, "latency_ms": 20.0},
            {"hit@5": None, "groundedness": None, "latency_ms": 40.0},
        ]
    )
    assert summary["hit@5"].value == pytest.approx(2 / 3) and summary["hit@5"].n == 3
    assert summary["groundedness"].value == 0.75 and summary["groundedness"].n == 2
    assert summary["latency_p50_ms"].value == 25.0
    assert summary["latency_p95_ms"].value == pytest.approx(38.5)


def test_a_metric_no_case_has_is_none_not_zero() -> None:
    summary = summarise([{"hit@5": 0.0}, {"hit@5": 0.0}])
    assert summary["hit@5"].value == 0.0 and summary["hit@5"].n == 2
    assert summary["prompt_tokens"].value is None and summary["prompt_tokens"].n == 0
    assert summary["aspect_hit"].value is None


def test_tokens_are_summed() -> None:
    summary = summarise([{"prompt_tokens": 100.0}, {"prompt_tokens": 50.0}, {}])
    assert summary["prompt_tokens"].value == 150.0


def test_the_printed_table_shows_metrics_that_apply_counts_and_the_run_id() -> None:
    summary = {
        "metrics": {"hit@5": 0.9, "mrr": 0.8125, "latency_p50_ms": 12.34},
        "n": {"hit@5": 10, "mrr": 10, "latency_p50_ms": 10, "aspect_hit": 0},
        "counts": {
            "planned": 10,
            "scored": 10,
            "cached": 4,
            "errors": 0,
            "skipped": 3,
            "skipped_by_need": {"llm+order_tools": 3},
        },
    }
    run = EvalRun(
        id="abc123",
        dataset="smoke",
        dataset_sha256="d" * 64,
        prompt_ref="answer@v1",
        prompt_sha256="p" * 64,
        backend="extractive",
        model="extractive-v1",
        settings_sha256="s" * 64,
        knowledge_sha256="k" * 64,
        summary=summary,
    )
    text = format_run(run)
    assert "hit@5" in text and "90.0%" in text and "0.812" in text and "12.3 ms" in text
    assert "aspect_hit" not in text
    assert "4 from cache" in text and "3 need llm+order_tools" in text
    assert text.rstrip().endswith("run id: abc123")


def test_run_summary_counts_cached_and_failed_results() -> None:
    class Row:
        def __init__(self, cached: bool, error: str | None) -> None:
            self.metrics = {"hit@5": 1.0}
            self.cached = cached
            self.error = error

    rows = [Row(True, None), Row(False, "generate: TimeoutError"), Row(False, None)]
    summary = run_summary(rows, planned=5, skipped={"llm": 2})  # type: ignore[arg-type]
    assert summary["counts"] == {
        "planned": 5,
        "scored": 3,
        "cached": 1,
        "errors": 1,
        "skipped": 2,
        "skipped_by_need": {"llm": 2},
    }
    assert summary["metrics"]["hit@5"] == 1.0 and summary["n"]["hit@5"] == 3
