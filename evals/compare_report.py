"""The text `trustdesk eval compare` and `eval gate` print: metrics side by side, flips, gate."""

from __future__ import annotations

from collections.abc import Sequence

from evals.compare import Comparison, Flip, MetricDelta, Side
from evals.gate import GateCheck
from evals.metrics.summary import METRICS_BY_NAME, MetricSpec
from evals.run_report import format_value

_SCORES = frozenset({"mrr", "trust_score", "answer_confidence"})
_ANSWER_CHARS = 240


def format_delta(spec: MetricSpec, delta: float | None, base: float | None = None) -> str:
    """B - A as people read it: points for rates, ms (and %) for times, plain for scores."""
    if delta is None:
        return "–"
    if spec.name.endswith("_ms"):
        share = f" ({delta / base:+.0%})" if base else ""
        return f"{delta:+.1f} ms{share}"
    if spec.aggregate == "sum":
        return f"{delta:+,.0f}"
    if spec.name in _SCORES:
        return f"{delta:+.3f}"
    return f"{delta * 100:+.1f} pt"


def side_line(tag: str, side: Side) -> str:
    """What one side ran: label, prompt, backend, model, dataset."""
    return (
        f"{tag}: {side.label} · {side.prompt_ref} ({side.prompt_sha256[:12]}) · {side.backend} · "
        f"{side.model} · {side.dataset} ({side.dataset_sha256[:12]}) · {len(side.cases)} cases"
    )


def metric_rows(metrics: Sequence[MetricDelta]) -> list[str]:
    """The side-by-side metric table (metrics neither side measured are left out)."""
    lines = [f"{'metric':<18} {'A':>12} {'B':>12} {'B - A':>16} {'n A/B':>10}"]
    for row in metrics:
        if not (row.n_a or row.n_b):
            continue
        spec = row.spec
        lines.append(
            f"{spec.name:<18} {format_value(spec, row.a):>12} {format_value(spec, row.b):>12} "
            f"{format_delta(spec, row.delta, row.a):>16} {f'{row.n_a}/{row.n_b}':>10}"
        )
    return lines


def flip_lines(title: str, flips: Sequence[Flip]) -> list[str]:
    """Flipped cases with the question and both answers (when the sides kept them)."""
    lines = [f"{title} ({len(flips)})"]
    for flip in flips:
        question = flip.b.question or flip.a.question
        lines.append(f"  {flip.case_id}" + (f"  {_one_line(question)}" if question else ""))
        for tag, outcome in (("A", flip.a), ("B", flip.b)):
            if outcome.answer is not None:
                lines.append(f"    {tag}: {_one_line(outcome.answer)}")
    return lines


def format_comparison(comparison: Comparison) -> str:
    """The whole comparison as text."""
    c = comparison
    lines = [side_line("A", c.a), side_line("B", c.b)]
    if not c.same_data:
        lines.append("warning: the sides ran on different datasets (--allow-different-data)")
    lines += ["", *metric_rows(c.metrics), ""]
    lines.append(
        f"cases: {len(c.fixed)} fail -> pass, {len(c.broken)} pass -> fail, "
        f"{len(c.changed)} other answers changed, {len(c.only_a)} only in A, "
        f"{len(c.only_b)} only in B"
    )
    for title, flips in (("pass -> fail", c.broken), ("fail -> pass", c.fixed)):
        if flips:
            lines += ["", *flip_lines(title, flips)]
    return "\n".join(lines)


def format_gate(checks: Sequence[GateCheck]) -> str:
    """The gate's verdict per metric and overall."""
    lines = ["", f"gate {'metric':<18} {'A':>12} {'B':>12} {'worse by':>16} {'allowed':>12}"]
    for check in checks:
        spec = METRICS_BY_NAME[check.metric]
        verdict = "ok  " if check.passed else "FAIL"
        worse = format_delta(spec, check.worse_by) if check.worse_by is not None else "–"
        lines.append(
            f"{verdict} {check.metric:<18} {format_value(spec, check.a):>12} "
            f"{format_value(spec, check.b):>12} {worse:>16} {check.tolerance:>12}"
            + (f"  {check.note}" if check.note else "")
        )
    failed = [c.metric for c in checks if not c.passed]
    if failed:
        lines.append(f"gate FAILED: {', '.join(failed)} regressed beyond tolerance")
    else:
        lines.append(f"gate passed ({len(checks)} metrics within tolerance)")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _ANSWER_CHARS else flat[: _ANSWER_CHARS - 1] + "…"
