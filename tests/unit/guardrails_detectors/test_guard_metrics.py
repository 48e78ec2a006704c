"""Guard metrics on small inputs whose answers are known by hand."""

from __future__ import annotations

import numpy as np
import pytest

from app.guardrails.detectors.size import SizeDetector
from evals.guard_metrics import (
    BinaryMetrics,
    binary_metrics,
    evaluate_detector,
    latency_stats,
    percentile,
    threshold_metrics,
)


def test_confusion_counts_and_rates() -> None:
    labels = [True, True, True, True, False, False, False, False, False, False]
    flagged = [True, True, True, False, True, False, False, False, False, False]
    m = binary_metrics(labels, flagged)
    assert (m.tp, m.fn, m.fp, m.tn, m.n) == (3, 1, 1, 5, 10)
    assert m.recall == pytest.approx(0.75)
    assert m.precision == pytest.approx(0.75)
    assert m.fpr == pytest.approx(1 / 6)
    assert m.f1 == pytest.approx(0.75)


def test_undefined_rates_are_none() -> None:
    benign_only = binary_metrics([False, False, False], [False, True, False])
    assert benign_only.recall is None and benign_only.fpr == pytest.approx(1 / 3)
    assert benign_only.precision == 0.0
    nothing_flagged = binary_metrics([True, False], [False, False])
    assert nothing_flagged.precision is None and nothing_flagged.f1 is None
    assert nothing_flagged.as_dict()["precision"] is None


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError):
        binary_metrics([True], [True, False])


def test_threshold_metrics_flag_at_or_above() -> None:
    m = threshold_metrics([True, True, False, False], [0.9, 0.5, 0.5, 0.1], 0.5)
    assert m == BinaryMetrics(tp=2, fp=1, tn=1, fn=0)


@pytest.mark.parametrize("q", [0, 5, 50, 90, 95, 99, 100])
def test_percentile_matches_numpy(q: float) -> None:
    values = [3.0, 1.0, 7.5, 2.25, 9.0, 4.0, 4.0]
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_latency_stats() -> None:
    stats = latency_stats([float(v) for v in range(1, 101)])
    assert (stats.n, stats.p50_ms, stats.p95_ms, stats.max_ms) == (100, 50.5, 95.05, 100.0)
    assert stats.mean_ms == 50.5
    with pytest.raises(ValueError):
        latency_stats([])


def test_evaluate_detector_runs_and_times_a_real_detector() -> None:
    texts = ["hello", "", "x" * 5000, "fine thanks"]
    score = evaluate_detector(
        SizeDetector(), texts, [False, True, True, False], name="size", dataset="handmade"
    )
    assert score.metrics == BinaryMetrics(tp=2, fp=0, tn=2, fn=0)
    assert score.latency.n == 4 and score.latency.p95_ms >= score.latency.p50_ms >= 0.0
