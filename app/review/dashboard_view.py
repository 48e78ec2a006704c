"""The dashboard's charts, drawn from its numbers."""

from __future__ import annotations

from markupsafe import Markup

from app.review.charts import Band, Series, grouped_bars, line_chart, percent, stacked_bars
from app.review.drift import DriftCheck
from app.review.metrics import Dashboard

INDIGO, RED, AMBER, TEAL, GREY = "#4f46e5", "#dc2626", "#d97706", "#0d9488", "#9ca3af"
DRIFT_WIDTH = 380  # three side by side: a narrower canvas keeps the text readable
TRUST_BANDS = (
    Band(0.0, 0.4, "#fee2e2", "low"),
    Band(0.6, 1.0, "#dcfce7", "high"),
)


def dashboard_charts(board: Dashboard) -> dict[str, object]:
    """Every chart of the dashboard page as inline SVG."""
    days = [d.day.strftime("%d %b") for d in board.days]
    return {
        "trust": line_chart(
            "Mean trust per day",
            days,
            [
                Series(
                    "mean trust",
                    INDIGO,
                    [d.mean_trust for d in board.days],
                    [f"(n={d.scored})" for d in board.days],
                )
            ],
            bands=TRUST_BANDS,
        ),
        "feedback": line_chart(
            "Feedback per day",
            days,
            [
                Series("rated", TEAL, [d.feedback_rate for d in board.days]),
                Series("rated down", RED, [d.thumbs_down_rate for d in board.days]),
            ],
            y_format=percent,
        ),
        "handoff": line_chart(
            "Handoff rate per day",
            days,
            [Series("handoff rate", AMBER, [d.handoff_rate for d in board.days])],
            y_format=percent,
        ),
        "aspects": stacked_bars(
            "Aspects by polarity",
            sorted(board.aspects.items(), key=lambda kv: -sum(kv[1].values())),
        ),
        "prompts": _prompts_chart(board),
        "drift": {check.name: drift_chart(check) for check in board.drift},
    }


def drift_chart(check: DriftCheck) -> Markup:
    """Baseline against this week's shares for one drift check."""
    psi = "not enough data" if check.psi is None else f"PSI {check.psi:.2f}"
    return grouped_bars(
        f"{check.name}: {psi} ({check.status})",
        [label.replace("_", " ") for label in check.labels],
        [
            Series(f"baseline (n={sum(check.baseline)})", GREY, check.shares("baseline")),
            Series(f"this week (n={sum(check.current)})", INDIGO, check.shares("current")),
        ],
        width=DRIFT_WIDTH,
    )


def _prompts_chart(board: Dashboard) -> Markup:
    prompts = board.prompts
    return grouped_bars(
        "Per prompt version",
        [p.prompt for p in prompts],
        [
            Series("mean trust", INDIGO, [p.mean_trust for p in prompts]),
            Series("thumbs-up rate", TEAL, [p.thumbs_up_rate for p in prompts]),
            Series("handoff rate", AMBER, [p.handoff_rate for p in prompts]),
            Series("answer confidence", GREY, [p.mean_confidence for p in prompts]),
        ],
    )
