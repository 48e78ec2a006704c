"""`trustdesk eval guards` on the dev data and on files in the documented `--data` formats."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings
from app.guardrails.datasets import JAILBREAK_FILE, read_jailbreak
from tests.integration.guardrails.conftest import DEV_DATA, REPO
from tests.support import require


@pytest.fixture
def env(settings: Settings) -> dict[str, str]:
    require(DEV_DATA.is_dir(), f"dev data missing at {DEV_DATA}")
    return {
        "TRUSTDESK_DATA__STATE_DIR": str(settings.data.state_dir),
        "TRUSTDESK_DATA__STORE_DIR": str(settings.data.store_dir),
        "TRUSTDESK_PROMPTS__DIR": str(REPO / "prompts"),
        "TRUSTDESK_GUARDS__ARTEFACT_DIR": str(settings.guard_artefact_dir),
    }


def _row(output: str, guard: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith(guard + " "))
    return line.split()


def test_a_labelled_csv_is_scored_on_the_chosen_guard(env: dict[str, str], tmp_path: Path) -> None:
    prompts = read_jailbreak(DEV_DATA / JAILBREAK_FILE)[:40]
    data = tmp_path / "mine.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows([(p.text, "jailbreak" if p.label else "benign") for p in prompts])
    args = ["eval", "guards", "--data", str(data), "--guard", "injection", "--dev-dir"]
    done = CliRunner().invoke(cli, [*args, str(DEV_DATA), "--limit", "50"], env=env)
    assert done.exit_code == 0, done.output
    row = _row(done.output, "injection")
    assert "mine.csv" in row and row[row.index("mine.csv") + 1] == "40"
    assert "toxicity " not in done.output  # only the guard asked for
    assert row[-1] == "50"  # benign Bitext requests scored too


def test_a_span_annotated_file_is_scored_on_the_pii_guard(
    env: dict[str, str], tmp_path: Path
) -> None:
    text = "Write to ana.silva@example.com or call +44 20 7946 0958."
    spans = [
        {"start": text.index("ana"), "end": text.index(".com") + 4, "label": "EMAIL_ADDRESS"},
        {"start": text.index("+44"), "end": len(text) - 1, "label": "PHONE_NUMBER"},
    ]
    data = tmp_path / "pii.jsonl"
    data.write_text(json.dumps({"text": text, "spans": spans}) + "\n", encoding="utf-8")
    args = ["eval", "guards", "--data", str(data), "--dev-dir", str(DEV_DATA), "--limit", "20"]
    done = CliRunner().invoke(cli, args, env=env)
    assert done.exit_code == 0, done.output
    row = _row(done.output, "pii")
    assert row[row.index("pii.jsonl") + 2] == "2"  # two gold spans
    assert row[row.index("pii.jsonl") + 4] == "100.0%"  # both found


def test_an_unknown_guard_is_a_clear_error(env: dict[str, str]) -> None:
    done = CliRunner().invoke(cli, ["eval", "guards", "--guard", "spam"], env=env)
    assert done.exit_code == 2 and "unknown guard" in done.output
