"""The trust scorer's metrics as a printed table, a Markdown + JSON report and an SVG chart."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evals.svg_charts import confusion_matrices
from evals.trust_metrics import ASPECT_LABELS, POLARITY_ORDER, Counts, TrustMetrics

MACRO_F1_TARGET = 0.80
POLARITY_ACCURACY_TARGET = 0.92
RATES = ("accuracy", "precision", "recall", "f1", "specificity")
_SHORT = {
    "accuracy": "acc",
    "precision": "prec",
    "recall": "rec",
    "f1": "f1",
    "specificity": "spec",
}


def metrics_lines(metrics: TrustMetrics, *, title: str) -> list[str]:
    """The paper-style table, the headline numbers and the confusion matrix, as text lines."""
    rates = " ".join(f"{_SHORT[r]:>5}" for r in RATES)
    lines = [
        f"{title}: {metrics.texts} texts ({metrics.aspect_texts} with aspects labelled, "
        f"{metrics.polarity_texts} with a polarity)",
        f"{'':<17} {'':>5}   positive{'':<22}   negative{'':<22}   detection",
        f"{'aspect':<17} {'n':>5}   {rates}   {rates}   "
        f"{'prec':>5} {'rec':>5} {'f1':>5} {'sup':>4}",
    ]
    for row in metrics.rows:
        detect = metrics.detection.get(row.name)
        found = "" if detect is None else _detection_cells(detect)
        lines.append(
            f"{row.name:<17} {row.n:>5}   {_rate_cells(row.positive)}   "
            f"{_rate_cells(row.negative)}   {found}"
        )
    lines += headline_lines(metrics)
    lines += _matrix_lines(
        "text polarity confusion (rows gold, columns predicted)",
        [p.value for p in POLARITY_ORDER],
        metrics.confusion,
    )
    return lines


def headline_lines(metrics: TrustMetrics) -> list[str]:
    """Aspect macro-F1 and trust polarity accuracy against their targets."""
    return [
        f"aspect detection macro-F1: {_num(metrics.macro_f1)} "
        f"(target >= {MACRO_F1_TARGET:.2f}) {_verdict(metrics.macro_f1, MACRO_F1_TARGET)}",
        f"trust polarity accuracy (negative/neutral/positive): {_num(metrics.polarity_accuracy)} "
        f"(target >= {POLARITY_ACCURACY_TARGET:.2f}) "
        f"{_verdict(metrics.polarity_accuracy, POLARITY_ACCURACY_TARGET)}; "
        f"positive vs negative texts only: {_num(metrics.binary_accuracy)}",
    ]


def by_source_lines(by_source: Mapping[str, TrustMetrics]) -> list[str]:
    """One line per data source: texts, aspect macro-F1, polarity accuracy."""
    lines = ["by source:"]
    for source, m in by_source.items():
        lines.append(
            f"  {source:<10} {m.texts:>5} texts  aspect macro-F1 {_num(m.macro_f1)}  "
            f"polarity accuracy {_num(m.polarity_accuracy)}"
        )
    return lines


def markdown(
    metrics: TrustMetrics,
    *,
    title: str,
    by_source: Mapping[str, TrustMetrics] | None = None,
    chart: str | None = None,
) -> str:
    """The report as Markdown tables (and a link to the confusion-matrix image `chart`)."""
    head = "| aspect | n | " + " | ".join(f"{sign} {r}" for sign in "+-" for r in RATES)
    head += " | detection precision | detection recall | detection F1 | support |"
    lines = [f"# {title}", "", *[f"- {line}" for line in headline_lines(metrics)], "", head]
    lines.append("|" + "---|" * (2 + 2 * len(RATES) + 4))
    for row in metrics.rows:
        cells = [_num(getattr(row.positive, r)) for r in RATES]
        cells += [_num(getattr(row.negative, r)) for r in RATES]
        detect = metrics.detection.get(row.name)
        cells += ["", "", "", ""] if detect is None else _detection_md(detect)
        lines.append(f"| {row.name} | {row.n} | " + " | ".join(cells) + " |")
    lines += ["", "Text polarity (rows gold, columns predicted):", ""]
    lines += _matrix_md([p.value for p in POLARITY_ORDER], metrics.confusion)
    lines += ["", "Per (text, aspect) label (rows gold, columns predicted):", ""]
    lines += _matrix_md(list(ASPECT_LABELS), metrics.aspect_confusion)
    if chart:
        lines += ["", f"![Confusion matrices]({chart})"]
    if by_source:
        lines += [
            "",
            "| source | texts | aspect macro-F1 | polarity accuracy |",
            "|---|---|---|---|",
        ]
        for source, m in by_source.items():
            lines.append(
                f"| {source} | {m.texts} | {_num(m.macro_f1)} | {_num(m.polarity_accuracy)} |"
            )
    return "\n".join(lines) + "\n"


def write_report(
    path: Path,
    metrics: TrustMetrics,
    *,
    title: str,
    by_source: Mapping[str, TrustMetrics] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Markdown at `path`, JSON beside it, and the confusion matrices as an SVG it links."""
    path.parent.mkdir(parents=True, exist_ok=True)
    svg_path = path.with_suffix(".svg")
    svg_path.write_text(confusion_svg(metrics, title), encoding="utf-8")
    text = markdown(metrics, title=title, by_source=by_source, chart=svg_path.name)
    path.write_text(text, encoding="utf-8")
    data = {"title": title, **(extra or {}), **metrics.as_dict()}
    if by_source:
        data["by_source"] = {s: m.as_dict() for s, m in by_source.items()}
    json_path = path.with_suffix(".json")
    json_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return [path, json_path, svg_path]


def confusion_svg(metrics: TrustMetrics, title: str) -> str:
    """Both confusion matrices (text polarity; (text, aspect) labels) as one SVG image."""
    return confusion_matrices(
        (
            ("text polarity", [p.value for p in POLARITY_ORDER], metrics.confusion),
            ("(text, aspect) labels", list(ASPECT_LABELS), metrics.aspect_confusion),
        ),
        title,
    )


def _rate_cells(c: Counts) -> str:
    return " ".join(f"{_num(getattr(c, r)):>5}" for r in RATES)


def _detection_cells(c: Counts) -> str:
    return f"{_num(c.precision):>5} {_num(c.recall):>5} {_num(c.f1):>5} {c.tp + c.fn:>4}"


def _detection_md(c: Counts) -> list[str]:
    return [_num(c.precision), _num(c.recall), _num(c.f1), str(c.tp + c.fn)]


def _matrix_lines(title: str, labels: Sequence[str], matrix: Sequence[Sequence[int]]) -> list[str]:
    lines = [title + ":", " " * 10 + "".join(f"{label:>10}" for label in labels)]
    for label, row in zip(labels, matrix, strict=True):
        lines.append(f"{label:>10}" + "".join(f"{value:>10}" for value in row))
    return lines


def _matrix_md(labels: Sequence[str], matrix: Sequence[Sequence[int]]) -> list[str]:
    lines = ["| gold \\ predicted | " + " | ".join(labels) + " |"]
    lines.append("|" + "---|" * (len(labels) + 1))
    for label, row in zip(labels, matrix, strict=True):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    return lines


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _verdict(value: float | None, target: float) -> str:
    if value is None:
        return "(not measured)"
    return "PASS" if value >= target else "MISS"
