"""The text summary `trustdesk eval run` prints: what ran, each metric, and the run id."""

from __future__ import annotations

from typing import Any

from app.store.models import EvalRun
from evals.metrics.summary import SUMMARY_METRICS, MetricSpec

_SCORES = frozenset({"mrr", "trust_score", "answer_confidence"})


def format_value(spec: MetricSpec, value: float | None) -> str:
    """A summary value as people read it: rates in %, scores to 3 places, ms, token counts."""
    if value is None:
        return "–"
    if spec.name.endswith("_ms"):
        return f"{value:.1f} ms"
    if spec.aggregate == "sum":
        return f"{value:,.0f}"
    if spec.name in _SCORES:
        return f"{value:.3f}"
    return f"{value:.1%}"


def format_run(run: EvalRun) -> str:
    """The run's provenance, its metrics table (only metrics that apply) and its counts."""
    summary: dict[str, Any] = run.summary or {}
    metrics = summary.get("metrics", {})
    counts = summary.get("n", {})
    lines = [
        f"eval run {run.id} · {run.status} · dataset {run.dataset} ({run.dataset_sha256[:12]})",
        f"prompt {run.prompt_ref} ({run.prompt_sha256[:12]}) · {run.backend} · {run.model} · "
        f"settings {run.settings_sha256[:12]}",
        "",
        f"{'metric':<18} {'value':>12} {'n':>6}  definition",
    ]
    rows = [
        f"{spec.name:<18} {format_value(spec, metrics.get(spec.name)):>12} "
        f"{counts[spec.name]:>6}  {spec.definition}"
        for spec in SUMMARY_METRICS
        if counts.get(spec.name)
    ]
    if not rows:
        lines[-1] = "no case was scored"
    lines += [*rows, "", _counts_line(summary.get("counts", {})), f"run id: {run.id}"]
    return "\n".join(lines)


def _counts_line(counts: dict[str, Any]) -> str:
    skipped = counts.get("skipped_by_need") or {}
    reasons = ", ".join(f"{n} need {need}" for need, n in sorted(skipped.items()))
    return (
        f"{counts.get('scored', 0)} of {counts.get('planned', 0)} cases scored "
        f"({counts.get('cached', 0)} from cache, {counts.get('errors', 0)} errors); "
        f"{counts.get('skipped', 0)} skipped" + (f" ({reasons})" if reasons else "")
    )
