"""Small inline SVG charts drawn on the server (no JavaScript, no plotting library).

Every text that goes into a chart is escaped; the result is `Markup` for the templates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 34
GRID = "#e5e7eb"
INK = "#6b7280"
POLARITY_COLOURS = {"positive": "#16a34a", "neutral": "#9ca3af", "negative": "#dc2626"}


@dataclass(frozen=True)
class Series:
    """One line: a name, a colour and a value (or None for no data) per x position."""

    name: str
    colour: str
    values: Sequence[float | None]
    notes: Sequence[str] = field(default_factory=tuple)  # tooltip text per point


@dataclass(frozen=True)
class Band:
    """A shaded horizontal band behind a chart (e.g. the low-trust zone)."""

    low: float
    high: float
    colour: str
    label: str = ""


def percent(value: float) -> str:
    """0.25 -> "25%"."""
    return f"{value * 100:.0f}%"


def decimal(value: float) -> str:
    """0.25 -> "0.25"."""
    return f"{value:.2f}"


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_max: float = 1.0,
    y_format: Callable[[float], str] = decimal,
    bands: Sequence[Band] = (),
) -> Markup:
    """Lines over days (or any ordered x); gaps where a value is None."""
    parts = _frame(title)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(x_labels), 1)

    def x_at(i: int) -> float:
        return LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return TOP + plot_h * (1 - min(max(v / y_max, 0.0), 1.0))

    for band in bands:
        top, bottom = y_at(band.high), y_at(band.low)
        parts.append(_rect(LEFT, top, plot_w, bottom - top, band.colour, opacity=0.5))
        if band.label:
            parts.append(_text(WIDTH - RIGHT - 4, top + 12, band.label, anchor="end", size=10))
    parts += _y_axis(y_at, y_max, y_format, plot_w)
    parts += _x_labels(x_labels, x_at)
    for s in series:
        parts += _line(s, x_at, y_at, x_labels, y_format)
    parts.append(_legend([(s.name, s.colour) for s in series]))
    return _close(parts)


def stacked_bars(
    title: str,
    rows: Sequence[tuple[str, dict[str, int]]],
    *,
    colours: dict[str, str] = POLARITY_COLOURS,
) -> Markup:
    """Horizontal bars, one per row, split into coloured parts (e.g. aspect by polarity)."""
    label_w, row_h = 132, 22
    height = TOP + row_h * max(len(rows), 1) + 16
    parts = _frame(title, height)
    biggest = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    bar_w = WIDTH - label_w - RIGHT - 40
    for index, (label, counts) in enumerate(rows):
        y = TOP + index * row_h
        parts.append(_text(label_w - 8, y + 14, label.replace("_", " "), anchor="end", size=12))
        x = float(label_w)
        for key, colour in colours.items():
            width = bar_w * counts.get(key, 0) / biggest
            if width > 0:
                tip = f"{label}: {counts.get(key, 0)} {key}"
                parts.append(_rect(x, y + 3, width, row_h - 8, colour, tip=tip))
                x += width
        total = sum(counts.values())
        parts.append(_text(x + 6, y + 14, str(total), size=11, colour=INK))
    parts.append(_legend(list(colours.items())))
    return _close(parts)


def grouped_bars(
    title: str,
    groups: Sequence[str],
    series: Sequence[Series],
    *,
    y_max: float = 1.0,
    y_format: Callable[[float], str] = percent,
    width: int = WIDTH,
) -> Markup:
    """Vertical bars: for each group (e.g. prompt version) one bar per series (e.g. metric)."""
    slot = (width - LEFT - RIGHT) / max(len(groups), 1)
    longest = max((len(g) for g in groups), default=0)
    tilt = longest * 6.2 > slot  # side by side the labels would overlap: slant them
    extra = round(longest * 5.5 * 0.71) if tilt else 0
    parts = _frame(title, HEIGHT + extra, width)
    plot_h = HEIGHT - TOP - BOTTOM
    bar = min(28.0, slot * 0.8 / max(len(series), 1))

    def y_at(v: float) -> float:
        return TOP + plot_h * (1 - min(max(v / y_max, 0.0), 1.0))

    parts += _y_axis(y_at, y_max, y_format, width - LEFT - RIGHT)
    for g, group in enumerate(groups):
        start = LEFT + slot * g + (slot - bar * len(series)) / 2
        for k, s in enumerate(series):
            value = s.values[g]
            if value is None:
                continue
            top = y_at(value)
            tip = f"{group} · {s.name}: {y_format(value)}"
            parts.append(
                _rect(start + k * bar, top, bar - 2, TOP + plot_h - top, s.colour, tip=tip)
            )
        parts.append(_group_label(LEFT + slot * (g + 0.5), TOP + plot_h + 14, group, tilt=tilt))
    parts.append(_legend([(s.name, s.colour) for s in series]))
    return _close(parts)


def sparkline(values: Sequence[float], *, width: int = 220, height: int = 48) -> Markup:
    """A small 0-1 line with a dot per value (e.g. a conversation's trust turn by turn)."""
    if not values:
        return Markup("")
    step = (width - 12) / max(len(values) - 1, 1)

    def point(i: int, v: float) -> tuple[float, float]:
        x = 6 + i * step if len(values) > 1 else width / 2
        return x, 6 + (height - 12) * (1 - min(max(v, 0.0), 1.0))

    points = [point(i, v) for i, v in enumerate(values)]
    threshold = 6 + (height - 12) * 0.4  # trust 0.6: from here on "high"
    parts = [
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-label="conversation trust, turn by turn">',
        f'<rect x="0" y="0" width="{width}" height="{height}" rx="6" fill="#f9fafb"/>',
        f'<line x1="4" x2="{width - 4}" y1="{threshold:.1f}" y2="{threshold:.1f}" '
        f'stroke="{GRID}" stroke-dasharray="4 3"/>',
        '<polyline points="{}" fill="none" stroke="#4f46e5" stroke-width="2"/>'.format(
            " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        ),
    ]
    for (x, y), value in zip(points, values, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#4f46e5">'
            f"<title>{value:.2f}</title></circle>"
        )
    return Markup("".join([*parts, "</svg>"]))


# --- pieces -------------------------------------------------------------------------------------


def _frame(title: str, height: float = HEIGHT, width: int = WIDTH) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {width} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]


def _close(parts: list[str]) -> Markup:
    return Markup("".join([*parts, "</svg>"]))


def _y_axis(
    y_at: Callable[[float], float], y_max: float, fmt: Callable[[float], str], plot_w: float
) -> list[str]:
    parts = []
    for step in range(5):
        value = y_max * step / 4
        y = y_at(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(LEFT - 6, y + 4, fmt(value), anchor="end", size=10, colour=INK))
    return parts


def _group_label(x: float, y: float, label: str, *, tilt: bool) -> str:
    if not tilt:
        return _text(x, y, label, anchor="middle", size=11)
    return (
        f'<text x="{x:.1f}" y="{y - 4:.1f}" text-anchor="end" font-size="10" fill="#374151" '
        f'transform="rotate(-45 {x:.1f} {y - 4:.1f})">{escape(label)}</text>'
    )


def _x_labels(labels: Sequence[str], x_at: Callable[[int], float]) -> list[str]:
    if not labels:
        return []
    every = max(1, -(-len(labels) // 7))
    shown = list(range(0, len(labels), every))
    if shown[-1] != len(labels) - 1 and len(labels) - 1 - shown[-1] >= every / 2:
        shown.append(len(labels) - 1)
    last = len(labels) - 1
    return [
        _text(
            x_at(i),
            HEIGHT - 12,
            labels[i],
            anchor="end" if i == last and last > 0 else "middle",  # stays inside the frame
            size=10,
            colour=INK,
        )
        for i in shown
    ]


def _line(
    s: Series,
    x_at: Callable[[int], float],
    y_at: Callable[[float], float],
    x_labels: Sequence[str],
    fmt: Callable[[float], str],
) -> list[str]:
    parts: list[str] = []
    run: list[str] = []
    for i, value in enumerate([*s.values, None]):
        if value is None:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{s.colour}" '
                    f'stroke-width="2.2" stroke-linejoin="round"/>'
                )
            run = []
            continue
        x, y = x_at(i), y_at(value)
        run.append(f"{x:.1f},{y:.1f}")
        note = s.notes[i] if i < len(s.notes) else ""
        tip = f"{x_labels[i] if i < len(x_labels) else i} · {s.name}: {fmt(value)} {note}".strip()
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{s.colour}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    return parts


def _legend(items: Sequence[tuple[str, str]]) -> str:
    parts, x = [], float(LEFT)
    for name, colour in items:
        parts.append(_rect(x, 8, 10, 10, colour))
        parts.append(_text(x + 14, 17, name.replace("_", " "), size=11))
        x += 26 + 6.5 * len(name)
    return "".join(parts)


def _rect(
    x: float,
    y: float,
    w: float,
    h: float,
    colour: str,
    *,
    opacity: float = 1.0,
    tip: str = "",
) -> str:
    title = f"<title>{escape(tip)}</title>" if tip else ""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
        f'fill="{colour}" fill-opacity="{opacity}" rx="2">{title}</rect>'
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = 12,
    colour: str = "#374151",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{colour}">{escape(text)}</text>'
    )
