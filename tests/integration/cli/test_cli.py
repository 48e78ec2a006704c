"""`trustdesk ingest` and `trustdesk ask` as a shop owner runs them, on the real policy pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import cli
from app.store import make_engine
from app.store.models import Turn
from tests.support import require

REPO_ROOT = Path(__file__).resolve().parents[3]
POLICY_PAGES = REPO_ROOT / "data" / "store" / "luma_pages.csv"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for a shop whose store holds the Luma policy pages, state in a temp folder."""
    require(POLICY_PAGES.is_file(), "demo store missing: run `make data`")
    root = tmp_path_factory.mktemp("shop")
    (root / "store").mkdir()
    shutil.copy(POLICY_PAGES, root / "store" / POLICY_PAGES.name)
    return {
        "TRUSTDESK_DATA__STORE_DIR": str(root / "store"),
        "TRUSTDESK_DATA__STATE_DIR": str(root / "state"),
        "TRUSTDESK_PROMPTS__DIR": str(REPO_ROOT / "prompts"),
    }


def test_ingest_reports_counts_and_a_second_run_embeds_nothing(shop: dict[str, str]) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", "--no-progress"], env=shop)
    assert first.exit_code == 0, first.output
    assert "33 chunks" in first.output and "33 added" in first.output
    again = runner.invoke(cli, ["ingest", "--no-progress"], env=shop)
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 33 unchanged, 0 deleted" in again.output


def test_ask_json_answers_with_citation_prompt_ref_and_a_logged_turn(shop: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "--no-progress"], env=shop).exit_code == 0
    asked = runner.invoke(cli, ["ask", "How long do I have to return an item?", "--json"], env=shop)
    assert asked.exit_code == 0, asked.output
    turn = json.loads(asked.output[asked.output.index("{") :])
    assert "30 days" in turn["answer"]
    assert turn["citations"][0]["source"] == "luma_pages.csv"
    assert turn["citations"][0]["chunk_id"] in {chunk_id for chunk_id, _ in turn["retrieved"]}
    assert turn["prompt"]["ref"] == "answer@v2" and len(turn["prompt"]["sha256"]) == 64
    assert turn["backend"] == "extractive"
    assert turn["latency"]["total_ms"] >= turn["latency"]["retrieve_ms"] > 0
    database = f"sqlite:///{Path(shop['TRUSTDESK_DATA__STATE_DIR']) / 'trustdesk.db'}"
    with Session(make_engine(database)) as session:
        logged = session.exec(select(Turn).where(Turn.id == turn["turn_id"])).one()
    assert logged.answer == turn["answer"] and logged.prompt_version == 2


def test_ingest_without_a_store_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["ingest"],
        env={
            "TRUSTDESK_DATA__STORE_DIR": str(tmp_path / "nowhere"),
            "TRUSTDESK_DATA__STATE_DIR": str(tmp_path / "state"),
        },
    )
    assert result.exit_code == 2
    assert "make data" in result.output
