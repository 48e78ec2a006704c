"""`trustdesk eval trust`: the paper's table on a labelled file and on the held-out dev split."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from tests.integration.trust.conftest import DEV_DATA, REPO, STORE
from tests.support import require

ROWS = [
    ("My parcel is two weeks late and nobody answers", "shipping", "negative"),
    ("My parcel is two weeks late and nobody answers", "customer_service", "negative"),
    ("Where is my refund?", "refunds", "neutral"),
    ("Love this jacket, great quality", "item_quality", "positive"),
    ("How much is shipping to Canada?", "shipping", "neutral"),
    ("How much is shipping to Canada?", "pricing", "neutral"),
    ("The zipper broke after one day", "item_quality", "negative"),
    ("Thanks, you have been very helpful!", "", "positive"),
]


@pytest.fixture
def env(trained: Path, state_dir: Path) -> dict[str, str]:
    return {
        "TRUSTDESK_DATA__STATE_DIR": str(state_dir),
        "TRUSTDESK_DATA__STORE_DIR": str(STORE),
        "TRUSTDESK_TRUST__ARTEFACT_DIR": str(trained),
    }


def test_a_labelled_csv_is_scored_and_reported(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "shop.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "aspect", "polarity"])
        writer.writerows(ROWS)
    report = tmp_path / "out" / "trust.md"
    args = ["eval", "trust", "--data", str(data), "--report", str(report)]
    done = CliRunner().invoke(cli, args, env=env)
    assert done.exit_code == 0, done.output
    assert "Trust scorer on shop.csv: 6 texts" in done.output
    for row in ("shipping", "refunds", "item_quality", "trust"):
        assert any(line.startswith(row + " ") for line in done.output.splitlines()), row
    assert "aspect detection macro-F1:" in done.output
    assert "trust polarity accuracy" in done.output
    assert "text polarity confusion" in done.output
    written = json.loads(report.with_suffix(".json").read_text())
    assert written["texts"] == 6 and written["polarity_texts"] == 6
    assert written["rows"]["shipping"]["n"] >= 2
    assert "| shipping |" in report.read_text()
    # The confusion matrices as an SVG beside the report, linked from it.
    svg = report.with_suffix(".svg").read_text()
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "text polarity" in svg and ">absent<" in svg
    assert "![Confusion matrices](trust.svg)" in report.read_text()


def test_a_malformed_file_is_a_clear_error_not_a_traceback(
    env: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("text,aspect,polarity\nWhere is my refund?,refund status,neutral\n")
    done = CliRunner().invoke(cli, ["eval", "trust", "--data", str(data)], env=env)
    assert done.exit_code == 2
    assert "row 2: unknown aspect 'refund status'" in done.output
    assert "Traceback" not in done.output


def test_without_data_the_heldout_dev_split_meets_the_targets(
    env: dict[str, str], tmp_path: Path
) -> None:
    require(DEV_DATA.is_dir(), f"dev data missing at {DEV_DATA}")
    report = tmp_path / "dev.md"
    args = ["eval", "trust", "--dev-dir", str(DEV_DATA), "--report", str(report)]
    done = CliRunner().invoke(cli, args, env=env)
    assert done.exit_code == 0, done.output
    assert "the held-out dev split" in done.output
    headline = [line for line in done.output.splitlines() if "(target >=" in line]
    assert len(headline) == 2 and all("PASS" in line for line in headline), headline
    assert "by source:" in done.output
    assert json.loads(report.with_suffix(".json").read_text())["by_source"]["amazon"]


@pytest.mark.parametrize("probe", ["trust_messages.csv", "trust_reviews.csv", "trust_blind.csv"])
def test_hand_written_probes_meet_the_aspect_target(
    env: dict[str, str], tmp_path: Path, probe: str
) -> None:
    # Shop messages and reviews written for this project, never trained on, many of them
    # without the aspect's keyword ("still no sign of my order"); trust_blind.csv was written by
    # someone who never saw the training data or the other probes.
    data = REPO / "evals" / "probes" / probe
    report = tmp_path / "probe.md"
    args = ["eval", "trust", "--data", str(data), "--report", str(report)]
    done = CliRunner().invoke(cli, args, env=env)
    assert done.exit_code == 0, done.output
    headline = next(line for line in done.output.splitlines() if "macro-F1:" in line)
    assert "PASS" in headline, headline
