"""The regression gate: how much worse each metric of run B may be than run A's.

Rates and scores are gated in points (1 point = 0.01, so "fact accuracy may drop 1 point" is
0.952 -> 0.942); times and token counts in percent of A, with an absolute slack below which a
change is noise. A metric A did not measure is not gated; one that A measured and B did not
fails. `--tolerance metric=VALUE` changes one: `2` or `2pt` (points), `50%` (percent of A),
`off` (not gated).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from evals.compare import MetricDelta
from evals.metrics.summary import METRICS_BY_NAME, MetricSpec

_POINT = 0.01


@dataclass(frozen=True)
class Tolerance:
    """How much worse a metric may get: absolute (`relative=False`) or a share of A's value."""

    metric: str
    allowed: float
    relative: bool = False
    slack: float = 0.0  # relative only: a worsening up to this much always passes

    def limit(self, baseline: float) -> float:
        """The largest allowed worsening from `baseline`."""
        if not self.relative:
            return self.allowed
        return max(self.allowed * abs(baseline), self.slack)

    def describe(self) -> str:
        """The tolerance as the README and the gate's output write it."""
        if self.relative:
            unit = " ms" if self.metric.endswith("_ms") else ""
            slack = f" (at least {self.slack:g}{unit})" if self.slack else ""
            return f"+{self.allowed:.0%}{slack}"
        return f"{self.allowed / _POINT:g} pt"


# The documented defaults (README "Offline evals"): quality may not slip by more than noise on
# a few hundred cases; groundedness, false blocks and errors may not get worse at all.
DEFAULT_TOLERANCES: dict[str, Tolerance] = {
    t.metric: t
    for t in (
        Tolerance("hit@1", 2 * _POINT),
        Tolerance("hit@5", 1 * _POINT),
        Tolerance("mrr", 1 * _POINT),
        Tolerance("cited_source", 1 * _POINT),
        Tolerance("fact_accuracy", 1 * _POINT),
        Tolerance("fact_recall", 1 * _POINT),
        Tolerance("groundedness", 0.0),
        Tolerance("answered", 2 * _POINT),
        Tolerance("false_block", 0.0),
        Tolerance("error", 0.0),
        # Turn time on a shared machine wobbles by tens of ms: 25 ms is always allowed.
        Tolerance("latency_p95_ms", 0.5, relative=True, slack=25.0),
    )
}


@dataclass(frozen=True)
class GateCheck:
    """One gated metric: A, B, how much worse B is, the limit, and the verdict."""

    metric: str
    a: float | None
    b: float | None
    worse_by: float | None
    limit: float | None
    tolerance: str
    passed: bool
    note: str = ""


def parse_tolerances(items: Iterable[str]) -> dict[str, Tolerance | None]:
    """`metric=VALUE` items (None: not gated); unknown metrics and bad values are errors."""
    parsed: dict[str, Tolerance | None] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name, raw = name.strip(), raw.strip().lower()
        spec = METRICS_BY_NAME.get(name)
        if not sep or spec is None:
            known = ", ".join(s for s, m in METRICS_BY_NAME.items() if m.better)
            raise ValueError(f"--tolerance expects metric=value with a metric among: {known}")
        if spec.better is None:
            raise ValueError(f"{name} has no better direction, so it cannot be gated")
        parsed[name] = None if raw == "off" else _tolerance(spec, raw)
    return parsed


def _tolerance(spec: MetricSpec, raw: str) -> Tolerance:
    relative = raw.endswith("%") or (_is_amount(spec) and not raw.endswith("pt"))
    number = raw.removesuffix("%").removesuffix("pt").strip()
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"--tolerance {spec.name}: {raw!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"--tolerance {spec.name}: {raw!r} must be 0 or more")
    if relative:
        return Tolerance(spec.name, value / 100, relative=True)
    return Tolerance(spec.name, value * _POINT)


def _is_amount(spec: MetricSpec) -> bool:
    """Times and token sums: a bare number is a percentage of A."""
    return spec.name.endswith("_ms") or spec.aggregate == "sum"


def tolerances(overrides: Mapping[str, Tolerance | None]) -> dict[str, Tolerance]:
    """The defaults with the given changes (None removes a metric from the gate)."""
    merged: dict[str, Tolerance | None] = {**DEFAULT_TOLERANCES, **overrides}
    return {name: t for name, t in merged.items() if t is not None}


def check(metrics: Sequence[MetricDelta], gated: Mapping[str, Tolerance]) -> list[GateCheck]:
    """One check per gated metric, in the summary's metric order."""
    return [_check(row, gated[row.spec.name]) for row in metrics if row.spec.name in gated]


def _check(row: MetricDelta, tolerance: Tolerance) -> GateCheck:
    name, text = row.spec.name, tolerance.describe()
    if row.a is None:
        return GateCheck(name, None, row.b, None, None, text, True, "not measured in A")
    if row.b is None:
        return GateCheck(name, row.a, None, None, None, text, False, "not measured in B")
    limit = tolerance.limit(row.a)
    worse_by = row.worse_by or 0.0
    # A hair of float noise (0.1 + 0.2) must not fail a zero tolerance.
    return GateCheck(name, row.a, row.b, worse_by, limit, text, worse_by <= limit + 1e-9)


def failures(checks: Sequence[GateCheck]) -> list[GateCheck]:
    """The checks that failed."""
    return [c for c in checks if not c.passed]
