"""The README documents every metric an eval run reports."""

from __future__ import annotations

from pathlib import Path

from evals.metrics import SUMMARY_METRICS

README = Path(__file__).resolve().parents[3] / "README.md"


def test_every_summary_metric_is_defined_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Offline evals") :]
    section = section[: section.index("\n## ", 1)]
    missing = [spec.name for spec in SUMMARY_METRICS if f"`{spec.name}`" not in section]
    assert missing == []
