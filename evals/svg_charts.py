"""Two small SVG charts for the comparison report, drawn by hand so the report needs no plotting
library and stays one self-contained file: grouped bars of rates, and latency distributions.
Every text that goes into the SVG is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

COLOURS = ("#5b7bb4", "#e07b39")  # A, B
_WIDTH = 720
_LABEL_W = 150
_BAR_H = 9
_ROW_H = 2 * _BAR_H + 10
_PLOT_H = 220
_MARGIN = 40


def metric_bars(
    rows: Sequence[tuple[str, float | None, float | None]], names: tuple[str, str]
) -> str:
    """Grouped horizontal bars (A above B) of rates in 0..1, one group per metric."""
    plot_w = _WIDTH - _LABEL_W - 70
    height = _ROW_H * len(rows) + 46
    parts = [_open(_WIDTH, height, "Metrics, A and B"), _legend(names, _LABEL_W, 14)]
    for i, (label, a, b) in enumerate(rows):
        top = 30 + i * _ROW_H
        parts.append(_text(_LABEL_W - 8, top + _BAR_H + 4, label, anchor="end"))
        for j, value in enumerate((a, b)):
            y = top + j * _BAR_H
            width = 0.0 if value is None else max(0.0, min(1.0, value)) * plot_w
            parts.append(
                f'<rect x="{_LABEL_W}" y="{y}" width="{width:.1f}" height="{_BAR_H - 1}" '
                f'fill="{COLOURS[j]}"/>'
            )
            shown = "–" if value is None else f"{value:.1%}"
            parts.append(_text(_LABEL_W + width + 4, y + _BAR_H - 1, shown, size=9))
    parts.append("</svg>")
    return "".join(parts)


def latency_cdf(samples: tuple[Sequence[float], Sequence[float]], names: tuple[str, str]) -> str:
    """Empirical distribution of turn times of A and B: share of cases answered within x ms."""
    values = [v for side in samples for v in side]
    top = _nice_ceiling(max(values, default=1.0))
    plot_w = _WIDTH - 2 * _MARGIN
    parts = [_open(_WIDTH, _PLOT_H + 70, "Turn time distribution, A and B")]
    parts.append(_legend(names, _MARGIN, 14))
    parts += _axes(top, plot_w)
    for colour, side in zip(COLOURS, samples, strict=True):
        if side:
            parts.append(_step_line(sorted(side), top, plot_w, colour))
    parts.append("</svg>")
    return "".join(parts)


def _step_line(ordered: Sequence[float], top: float, plot_w: float, colour: str) -> str:
    def x(v: float) -> float:
        return _MARGIN + v / top * plot_w

    def y(share: float) -> float:
        return 30 + _PLOT_H * (1 - share)

    points = [f"{x(0):.1f},{y(0):.1f}"]
    for i, value in enumerate(ordered):
        points.append(f"{x(value):.1f},{y(i / len(ordered)):.1f}")
        points.append(f"{x(value):.1f},{y((i + 1) / len(ordered)):.1f}")
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'


def _axes(top: float, plot_w: float) -> list[str]:
    base = 30 + _PLOT_H
    parts = [
        f'<line x1="{_MARGIN}" y1="{base}" x2="{_MARGIN + plot_w}" y2="{base}" stroke="#444"/>',
        f'<line x1="{_MARGIN}" y1="30" x2="{_MARGIN}" y2="{base}" stroke="#444"/>',
    ]
    for k in range(5):
        value = top * k / 4
        x = _MARGIN + plot_w * k / 4
        parts.append(_text(x, base + 14, f"{value:g} ms", size=9, anchor="middle"))
        y = base - _PLOT_H * k / 4
        parts.append(_text(_MARGIN - 4, y + 3, f"{k * 25}%", size=9, anchor="end"))
    parts.append(
        _text(_MARGIN + plot_w / 2, base + 30, "turn time (ms); y: share of cases", anchor="middle")
    )
    return parts


def _nice_ceiling(value: float) -> float:
    """A round axis end at or above `value` (1, 2 or 5 times a power of ten)."""
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif">'
        f"<title>{escape(title)}</title>"
    )


def _legend(names: tuple[str, str], x: int, y: int) -> str:
    parts = []
    for i, (name, colour) in enumerate(zip(names, COLOURS, strict=True)):
        left = x + i * 260
        parts.append(f'<rect x="{left}" y="{y - 9}" width="12" height="10" fill="{colour}"/>')
        parts.append(_text(left + 16, y, f"{'AB'[i]}: {name}", size=11))
    return "".join(parts)


def _text(x: float, y: float, text: str, *, size: int = 11, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )


_CELL = 46


def confusion_matrices(
    panels: Sequence[tuple[str, Sequence[str], Sequence[Sequence[int]]]], title: str
) -> str:
    """Confusion matrices side by side (rows gold, columns predicted), shaded by row share."""
    sizes = [len(labels) for _, labels, _ in panels]
    widths = [_LABEL_W - 60 + _CELL * n + 30 for n in sizes]
    height = 70 + _CELL * max(sizes, default=1) + 40
    parts = [_open(sum(widths), height, title), _text(10, 18, title, size=13)]
    caption = "rows: gold, columns: predicted; shade: share of the gold row"
    parts.append(_text(10, height - 12, caption, size=10))
    left = 0
    for (name, labels, matrix), width in zip(panels, widths, strict=True):
        parts += _matrix_panel(left + _LABEL_W - 60, name, labels, matrix)
        left += width
    parts.append("</svg>")
    return "".join(parts)


def _matrix_panel(
    x0: int, name: str, labels: Sequence[str], matrix: Sequence[Sequence[int]]
) -> list[str]:
    y0 = 70
    parts = [_text(x0, 44, name, size=11)]
    for j, label in enumerate(labels):
        parts.append(_text(x0 + _CELL * j + _CELL / 2, y0 - 6, label, size=9, anchor="middle"))
    for i, (label, row) in enumerate(zip(labels, matrix, strict=True)):
        y = y0 + _CELL * i
        parts.append(_text(x0 - 4, y + _CELL / 2 + 3, label, size=9, anchor="end"))
        total = sum(row) or 1
        for j, value in enumerate(row):
            share = value / total
            parts.append(
                f'<rect x="{x0 + _CELL * j}" y="{y}" width="{_CELL - 2}" height="{_CELL - 2}" '
                f'fill="{_shade(share)}"/>'
            )
            colour = "#fff" if share > 0.6 else "#222"
            parts.append(
                f'<text x="{x0 + _CELL * j + _CELL / 2 - 1:.1f}" y="{y + _CELL / 2 + 3:.1f}" '
                f'font-size="11" text-anchor="middle" fill="{colour}">{value}</text>'
            )
    return parts


def _shade(share: float) -> str:
    """White (0) to a dark blue (1)."""
    return f"rgb({int(247 - 156 * share)},{int(251 - 128 * share)},{int(255 - 75 * share)})"
