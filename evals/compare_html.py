"""The comparison as one self-contained HTML file: provenance, gate, metrics, charts, flips.

No template engine and no external assets: every value from a run (questions and answers are
shoppers' and the shop's text) goes through `html.escape` in `_cell`/`_esc`; the charts are
inline SVG from `evals.svg_charts`, which escapes its own labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from evals.compare import Comparison, Flip, Side
from evals.compare_report import format_delta
from evals.gate import GateCheck
from evals.metrics.summary import METRICS_BY_NAME
from evals.run_report import format_value
from evals.svg_charts import latency_cdf, metric_bars

MAX_CHANGED = 100  # answers that changed without a flip: the first ones are enough to read

_STYLE = "".join(
    (
        "body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:80rem}",
        "table{border-collapse:collapse;margin:.5rem 0 1.5rem}",
        "th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}",
        "td.n{text-align:right;font-variant-numeric:tabular-nums}",
        ".fail{background:#fde2e1}.ok{background:#e3f4e1}",
        ".better{color:#1b7a2b}.worse{color:#b3261e}",
        ".answer{max-width:32rem;white-space:pre-wrap;font-size:.9em}code{font-size:.9em}",
    )
)


def render_html(comparison: Comparison, checks: Sequence[GateCheck] | None = None) -> str:
    """The whole report."""
    c = comparison
    title = f"Eval comparison: {c.a.label} vs {c.b.label}"
    body = [
        f"<h1>{_esc(title)}</h1>",
        _provenance(c),
        _gate(checks) if checks is not None else "",
        "<h2>Metrics</h2>",
        _metrics(c),
        _charts(c),
        _flip_section("Pass → fail", c.broken),
        _flip_section("Fail → pass", c.fixed),
        _flip_section("Other changed answers", c.changed[:MAX_CHANGED], total=len(c.changed)),
    ]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_esc(title)}</title><style>{_STYLE}</style></head><body>"
        + "\n".join(part for part in body if part)
        + "</body></html>\n"
    )


def write_html(path: Path, comparison: Comparison, checks: Sequence[GateCheck] | None) -> Path:
    """Write the report; returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(comparison, checks), encoding="utf-8")
    return path


def _provenance(c: Comparison) -> str:
    head = ["", "run", "prompt", "prompt sha256", "backend", "model", "dataset", "cases"]
    rows = [_side_row(tag, side) for tag, side in (("A", c.a), ("B", c.b))]
    warning = "" if c.same_data else "<p class=fail>The sides ran on different datasets.</p>"
    summary = (
        f"<p>{len(c.fixed)} fail → pass, {len(c.broken)} pass → fail, {len(c.changed)} other "
        f"answers changed, {len(c.only_a)} cases only in A, {len(c.only_b)} only in B.</p>"
    )
    return _table(head, rows) + warning + summary


def _side_row(tag: str, side: Side) -> list[str]:
    return [
        _cell(tag),
        _cell(side.label),
        _cell(side.prompt_ref),
        f"<td><code>{_esc(side.prompt_sha256[:16])}</code></td>",
        _cell(side.backend),
        _cell(side.model),
        _cell(f"{side.dataset} ({side.dataset_sha256[:12]})"),
        _cell(str(len(side.cases)), "n"),
    ]


def _gate(checks: Sequence[GateCheck]) -> str:
    failed = [check.metric for check in checks if not check.passed]
    verdict = f"FAILED: {', '.join(failed)}" if failed else "passed"
    rows = []
    for check in checks:
        spec = METRICS_BY_NAME[check.metric]
        worse = format_delta(spec, check.worse_by) if check.worse_by is not None else "–"
        rows.append(
            [
                _cell("ok" if check.passed else "FAIL", "ok" if check.passed else "fail"),
                _cell(check.metric),
                _cell(format_value(spec, check.a), "n"),
                _cell(format_value(spec, check.b), "n"),
                _cell(worse, "n"),
                _cell(check.tolerance, "n"),
                _cell(check.note),
            ]
        )
    head = ["", "metric", "A", "B", "worse by", "allowed", ""]
    return f"<h2>Gate: {_esc(verdict)}</h2>" + _table(head, rows)


def _metrics(c: Comparison) -> str:
    rows = []
    for row in c.metrics:
        if not (row.n_a or row.n_b):
            continue
        worse = row.worse_by
        tone = "" if not worse else ("worse" if worse > 0 else "better")
        rows.append(
            [
                _cell(row.spec.name),
                _cell(format_value(row.spec, row.a), "n"),
                _cell(format_value(row.spec, row.b), "n"),
                _cell(format_delta(row.spec, row.delta, row.a), f"n {tone}"),
                _cell(f"{row.n_a} / {row.n_b}", "n"),
                _cell(row.spec.definition),
            ]
        )
    return _table(["metric", "A", "B", "B − A", "n A / B", "definition"], rows)


def _charts(c: Comparison) -> str:
    names = (f"{c.a.label} ({c.a.prompt_ref})", f"{c.b.label} ({c.b.prompt_ref})")
    rates = [
        (row.spec.name, row.a, row.b)
        for row in c.metrics
        if row.spec.aggregate == "mean" and row.spec.better and (row.n_a or row.n_b)
    ]
    parts = ["<h2>Charts</h2>", metric_bars(rates, names) if rates else ""]
    latencies = (c.a.latencies(), c.b.latencies())
    if any(latencies):
        parts.append(latency_cdf(latencies, names))
    return "\n".join(parts)


def _flip_section(title: str, flips: Sequence[Flip], total: int | None = None) -> str:
    if not flips:
        return ""
    shown = f"{len(flips)} of {total}" if total and total > len(flips) else str(len(flips))
    rows = [
        [
            f"<td><code>{_esc(flip.case_id)}</code></td>",
            _cell(flip.b.question or flip.a.question or ""),
            _cell(_answer(flip, "a"), "answer"),
            _cell(_answer(flip, "b"), "answer"),
        ]
        for flip in flips
    ]
    return f"<h2>{_esc(title)} ({shown})</h2>" + _table(["case", "question", "A", "B"], rows)


def _answer(flip: Flip, side: str) -> str:
    outcome = flip.a if side == "a" else flip.b
    verdict = "pass" if outcome.passed else "fail"
    return f"[{verdict}] {outcome.answer}" if outcome.answer is not None else f"[{verdict}]"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    header = "".join(f"<th>{_esc(h)}</th>" for h in head)
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _cell(text: str, css: str = "") -> str:
    klass = f' class="{_esc(css)}"' if css else ""
    return f"<td{klass}>{_esc(text)}</td>"


def _esc(text: str) -> str:
    return escape(text, quote=True)
