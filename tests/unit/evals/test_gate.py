"""The regression gate: tolerances as documented, parsed from the command line, applied."""

from __future__ import annotations

import pytest

from evals.compare import MetricDelta
from evals.gate import DEFAULT_TOLERANCES, Tolerance, check, failures, parse_tolerances, tolerances
from evals.metrics.summary import METRICS_BY_NAME


def _row(name: str, a: float | None, b: float | None, n: int = 100) -> MetricDelta:
    return MetricDelta(METRICS_BY_NAME[name], a, b, n if a is not None else 0, n)


def test_defaults_are_the_documented_ones() -> None:
    described = {name: t.describe() for name, t in DEFAULT_TOLERANCES.items()}
    assert described["fact_accuracy"] == "1 pt" and described["hit@5"] == "1 pt"
    assert described["groundedness"] == "0 pt" and described["false_block"] == "0 pt"
    assert described["latency_p95_ms"] == "+50% (at least 25 ms)"


def test_a_drop_within_tolerance_passes_and_beyond_it_fails() -> None:
    rows = [
        _row("fact_accuracy", 0.952, 0.944),  # -0.8 pt: allowed
        _row("hit@5", 1.0, 0.98),  # -2 pt: not allowed
        _row("groundedness", 1.0, 1.0),
        _row("latency_p95_ms", 64.0, 90.0),  # +41 %
    ]
    checks = check(rows, DEFAULT_TOLERANCES)
    assert [c.metric for c in failures(checks)] == ["hit@5"]
    assert next(c for c in checks if c.metric == "hit@5").worse_by == pytest.approx(0.02)


def test_lower_is_better_metrics_fail_when_they_rise() -> None:
    checks = check(
        [_row("false_block", 0.0, 0.01), _row("latency_p95_ms", 100.0, 151.0)],
        DEFAULT_TOLERANCES,
    )
    assert [c.metric for c in failures(checks)] == ["false_block", "latency_p95_ms"]


def test_small_latencies_get_the_absolute_slack() -> None:
    # 20 ms -> 44 ms is +120 %, but 24 ms is within the 25 ms of noise always allowed.
    assert failures(check([_row("latency_p95_ms", 20.0, 44.0)], DEFAULT_TOLERANCES)) == []


def test_improvements_pass_and_unmeasured_baselines_are_not_gated() -> None:
    checks = check(
        [_row("fact_accuracy", 0.9, 0.95), _row("false_block", None, 0.5)], DEFAULT_TOLERANCES
    )
    assert failures(checks) == []
    assert next(c for c in checks if c.metric == "false_block").note == "not measured in A"


def test_a_metric_the_candidate_no_longer_measures_fails() -> None:
    (failed,) = failures(check([_row("groundedness", 1.0, None)], DEFAULT_TOLERANCES))
    assert failed.note == "not measured in B"


def test_command_line_tolerances() -> None:
    parsed = parse_tolerances(
        ["fact_accuracy=2", "hit@5=0.5pt", "latency_p95_ms=80%", "groundedness=off"]
    )
    assert parsed["fact_accuracy"] == Tolerance("fact_accuracy", 0.02)
    assert parsed["hit@5"] == Tolerance("hit@5", 0.005)
    assert parsed["latency_p95_ms"] == Tolerance("latency_p95_ms", 0.8, relative=True)
    merged = tolerances(parsed)
    assert "groundedness" not in merged and merged["error"] == DEFAULT_TOLERANCES["error"]
    # A bare number for a time means percent of A.
    assert parse_tolerances(["latency_p50_ms=30"])["latency_p50_ms"] == Tolerance(
        "latency_p50_ms", 0.3, relative=True
    )


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("fact_accuracy", "metric=value"),
        ("accuracy=1", "metric=value"),
        ("fact_accuracy=lots", "not a number"),
        ("fact_accuracy=-1", "0 or more"),
        ("input_blocked=1", "no better direction"),
    ],
)
def test_bad_tolerances_are_refused_with_a_reason(item: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_tolerances([item])
