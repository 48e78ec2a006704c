"""Two eval runs side by side: every summary metric (A, B, delta) and the cases that flipped.

A side is a stored run, or a baseline file (summary metrics and per-case verdicts, no answers).
A case passes when it ended without an error, no must-pass message was stopped, its answer
states every expected fact, every factual sentence of the answer is supported by the retrieved
text and an expected source was retrieved in the top 5 (each only where it applies).
Runs on different datasets (dataset sha256) are refused unless the caller allows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.store import eval_crud
from app.store.models import EvalResult, EvalRun
from evals.metrics.summary import SUMMARY_METRICS, MetricSpec

# (per-case metric, what makes the case fail); a metric that is None does not apply.
_FAILS: tuple[tuple[str, Callable[[float], bool]], ...] = (
    ("error", lambda v: v > 0),
    ("false_block", lambda v: v > 0),
    ("fact_accuracy", lambda v: v < 1),
    ("groundedness", lambda v: v < 1),
    ("hit@5", lambda v: v < 1),
)


class DifferentDataError(ValueError):
    """The two sides were scored on different datasets (or different versions of one)."""


@dataclass(frozen=True)
class CaseOutcome:
    """One case on one side: its verdict, and what was asked and answered when known."""

    passed: bool
    question: str | None = None
    answer: str | None = None
    latency_ms: float | None = None


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a stored run or a baseline file."""

    label: str  # the run id, or the baseline file
    dataset: str
    dataset_sha256: str
    prompt_ref: str
    prompt_sha256: str
    backend: str
    model: str
    metrics: Mapping[str, float | None]
    n: Mapping[str, int]
    cases: Mapping[str, CaseOutcome]

    def latencies(self) -> list[float]:
        """Turn times of the cases that have one (a baseline file has none)."""
        return [c.latency_ms for c in self.cases.values() if c.latency_ms is not None]


@dataclass(frozen=True)
class MetricDelta:
    """One summary metric on both sides."""

    spec: MetricSpec
    a: float | None
    b: float | None
    n_a: int
    n_b: int

    @property
    def delta(self) -> float | None:
        """B minus A (None unless both are measured)."""
        return None if self.a is None or self.b is None else self.b - self.a

    @property
    def worse_by(self) -> float | None:
        """How much worse B is than A in the metric's better direction (negative: better)."""
        delta = self.delta
        if delta is None or self.spec.better is None:
            return None
        return -delta if self.spec.better == "higher" else delta


@dataclass(frozen=True)
class Flip:
    """A case that passes on one side and fails on the other."""

    case_id: str
    a: CaseOutcome
    b: CaseOutcome


@dataclass(frozen=True)
class Comparison:
    """Run A (before) against run B (after)."""

    a: Side
    b: Side
    metrics: tuple[MetricDelta, ...]
    fixed: tuple[Flip, ...]  # fail -> pass
    broken: tuple[Flip, ...]  # pass -> fail
    changed: tuple[Flip, ...]  # same verdict, different answer (runs only)
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]

    @property
    def same_data(self) -> bool:
        """Whether both sides were scored on the same dataset file."""
        return self.a.dataset_sha256 == self.b.dataset_sha256


def case_passed(metrics: Mapping[str, Any]) -> bool:
    """The case verdict (rules in the module docstring)."""
    return not any(
        (value := metrics.get(key)) is not None and fails(float(value)) for key, fails in _FAILS
    )


def run_side(run: EvalRun, results: Sequence[EvalResult]) -> Side:
    """A stored run with its case results as one side of a comparison."""
    summary: dict[str, Any] = run.summary or {}
    return Side(
        label=run.id,
        dataset=run.dataset,
        dataset_sha256=run.dataset_sha256,
        prompt_ref=run.prompt_ref,
        prompt_sha256=run.prompt_sha256,
        backend=run.backend,
        model=run.model,
        metrics=dict(summary.get("metrics") or {}),
        n=dict(summary.get("n") or {}),
        cases={
            r.case_id: CaseOutcome(case_passed(r.metrics), r.input, r.answer or "", r.latency_ms)
            for r in results
        },
    )


def load_run_side(session: Session, run_id: str) -> Side:
    """A stored run by id as a side (LookupError when there is none)."""
    run = eval_crud.get_eval_run(session, run_id=run_id)
    if run is None:
        raise LookupError(f"no eval run {run_id!r} (`trustdesk eval run` prints run ids)")
    return run_side(run, eval_crud.list_eval_results(session, run_id=run_id))


def compare(a: Side, b: Side, *, allow_different_data: bool = False) -> Comparison:
    """Line up two sides metric by metric and case by case."""
    if a.dataset_sha256 != b.dataset_sha256 and not allow_different_data:
        raise DifferentDataError(
            f"{a.label} ran on {a.dataset} ({a.dataset_sha256[:12]}) and {b.label} on "
            f"{b.dataset} ({b.dataset_sha256[:12]}): their metrics are not comparable "
            "(--allow-different-data compares them anyway)"
        )
    metrics = tuple(_metric(spec, a, b) for spec in SUMMARY_METRICS)
    shared = [case_id for case_id in a.cases if case_id in b.cases]
    flips = [Flip(case_id, a.cases[case_id], b.cases[case_id]) for case_id in shared]
    return Comparison(
        a=a,
        b=b,
        metrics=metrics,
        fixed=tuple(f for f in flips if f.b.passed and not f.a.passed),
        broken=tuple(f for f in flips if f.a.passed and not f.b.passed),
        changed=tuple(f for f in flips if f.a.passed == f.b.passed and _answer_changed(f)),
        only_a=tuple(case_id for case_id in a.cases if case_id not in b.cases),
        only_b=tuple(case_id for case_id in b.cases if case_id not in a.cases),
    )


def _metric(spec: MetricSpec, a: Side, b: Side) -> MetricDelta:
    name = spec.name
    return MetricDelta(
        spec, a.metrics.get(name), b.metrics.get(name), a.n.get(name, 0), b.n.get(name, 0)
    )


def _answer_changed(flip: Flip) -> bool:
    return None not in (flip.a.answer, flip.b.answer) and flip.a.answer != flip.b.answer
