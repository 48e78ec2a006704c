"""`trustdesk export finetune` and `trustdesk export transcripts` on a real SQLite turn log."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import cli
from app.review.actions import correct_turn, label_turn
from tests.integration.review.conftest import REPO_ROOT, sign_in
from tests.integration.review.factories import NOW, TurnSpec, seed_conversation

ROLES = {"system", "user", "assistant"}
FIXED = "You can return unworn items within 30 days of delivery; refunds take 5-7 days [1]."


@pytest.fixture
def reviewed(engine: Engine) -> dict[str, list[str]]:
    """Conversations covering every export rule; returns their turn ids by name."""
    specs = {
        "kept": [
            TurnSpec(user_text="What is your return policy?", feedback=1),
            TurnSpec(user_text="And refunds?", answer="Refunds are quick [1].", feedback=0),
        ],
        "rated_down": [TurnSpec(user_text="Do you ship to Canada?", answer="Yes [1].", feedback=0)],
        "unsafe": [TurnSpec(user_text="Can I pay later?", answer="Sure, no fees ever [1].")],
        "duplicate": [TurnSpec(user_text="what is your  RETURN policy?")],
        "unreviewed": [TurnSpec(user_text="Hello?")],
        "pii": [TurnSpec(user_text="Email me: [EMAIL_1]", answer="Sent to ann.lee@example.com.")],
    }
    ids: dict[str, list[str]] = {}
    with Session(engine) as session:
        for n, (name, turns) in enumerate(specs.items()):
            seeded = seed_conversation(session, turns, at=NOW - timedelta(hours=n))
            ids[name] = seeded.turn_ids
        approve = [ids["kept"][0], ids["rated_down"][0], ids["duplicate"][0], ids["pii"][0]]
        for turn_id in approve:
            label_turn(session, turn_id=turn_id, label="correct", reason="", agent="alice")
        label_turn(
            session, turn_id=ids["kept"][1], label="incorrect", reason="vague", agent="alice"
        )
        correct_turn(session, turn_id=ids["kept"][1], answer=FIXED, agent="alice")
        label_turn(session, turn_id=ids["unsafe"][0], label="unsafe", reason="promise", agent="bob")
        session.commit()
    return ids


def run_cli(*args: str, settings_env: dict[str, str]) -> str:
    result = CliRunner().invoke(cli, list(args), env=settings_env)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    return {
        "TRUSTDESK_ENVIRONMENT": "test",
        "TRUSTDESK_DATA__STATE_DIR": str(tmp_path / "state"),
        "TRUSTDESK_PROMPTS__DIR": str(REPO_ROOT / "prompts"),
    }


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_chat_format(record: dict[str, object]) -> None:
    """The OpenAI / vLLM chat fine-tuning schema, checked independently of our own checker."""
    assert list(record) == ["messages"]
    messages = record["messages"]
    assert isinstance(messages, list) and len(messages) >= 2
    for message in messages:
        assert isinstance(message, dict) and set(message) == {"role", "content"}
        assert message["role"] in ROLES
        assert isinstance(message["content"], str) and message["content"].strip()
    assert messages[0]["role"] == "system" and messages[-1]["role"] == "assistant"


def test_finetune_export_applies_the_rules_and_writes_a_card(
    reviewed: dict[str, list[str]], database_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "ft"
    output = run_cli(
        "export", "finetune", "--out", str(out), "--database-url", database_url,
        settings_env=cli_env,
    )  # fmt: skip
    records = read_jsonl(out / "train.jsonl") + read_jsonl(out / "validation.jsonl")
    for record in records:
        assert_chat_format(record)
    answers = [r["messages"][-1]["content"] for r in records]  # type: ignore[index]
    assert len(records) == 3, answers  # kept x2 (one corrected) + pii; duplicate dropped
    assert FIXED in answers and "Refunds are quick [1]." not in answers
    assert "Sure, no fees ever [1]." not in answers and "Yes [1]." not in answers
    assert "Sent to [EMAIL]." in answers
    assert (
        "ann.lee@example.com"
        not in (out / "train.jsonl").read_text() + (out / "validation.jsonl").read_text()
    )
    corrected = next(r for r in records if r["messages"][-1]["content"] == FIXED)  # type: ignore[index]
    assert "Shopper: What is your return policy?" in corrected["messages"][1]["content"]  # type: ignore[index]
    assert "duplicates dropped 1" in output and "rated down: 1" in output
    assert "labelled unsafe: 1" in output
    card = (out / "README.md").read_text()
    front = yaml.safe_load(card.split("---")[1])
    assert {f["split"] for f in front["configs"][0]["data_files"]} == {"train", "validation"}
    assert "| corrected answers (written by an agent) | 1 |" in card
    assert "| duplicates dropped | 1 |" in card and "EMAIL" in card
    assert "## Date range" in card and "2026-11-20" in card


def test_finetune_export_is_deterministic(
    reviewed: dict[str, list[str]], database_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    for name in ("a", "b"):
        run_cli(
            "export", "finetune", "--out", str(tmp_path / name), "--database-url", database_url,
            settings_env=cli_env,
        )  # fmt: skip
    for split in ("train.jsonl", "validation.jsonl"):
        assert (tmp_path / "a" / split).read_bytes() == (tmp_path / "b" / split).read_bytes()


def test_corrections_can_be_made_to_need_a_good_rating(
    reviewed: dict[str, list[str]], database_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "strict"
    run_cli(
        "export", "finetune", "--out", str(out), "--database-url", database_url,
        "--corrected-need-good-rating", settings_env=cli_env,
    )  # fmt: skip
    answers = [
        r["messages"][-1]["content"]  # type: ignore[index]
        for r in read_jsonl(out / "train.jsonl") + read_jsonl(out / "validation.jsonl")
    ]
    assert FIXED not in answers and len(answers) == 2


def test_transcripts_export_as_jsonl_and_csv(
    reviewed: dict[str, list[str]], database_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    jsonl, table = tmp_path / "t.jsonl", tmp_path / "t.csv"
    assert "6 conversations" in run_cli(
        "export", "transcripts", "--out", str(jsonl), "--database-url", database_url,
        settings_env=cli_env,
    )  # fmt: skip
    run_cli(
        "export", "transcripts", "--format", "csv", "--out", str(table),
        "--database-url", database_url, settings_env=cli_env,
    )  # fmt: skip
    conversations = read_jsonl(jsonl)
    turns = [t for c in conversations for t in c["turns"]]  # type: ignore[attr-defined]
    fixed = next(t for t in turns if t["turn_id"] == reviewed["kept"][1])
    assert fixed["correction"]["answer"] == FIXED and fixed["labels"][0]["label"] == "incorrect"
    assert fixed["feedback"]["score"] == 0 and fixed["prompt"] == "answer@v1"
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == 7 and set(rows[0]) >= {"trust_score", "label", "corrected_answer"}
    row = next(r for r in rows if r["turn_id"] == reviewed["unsafe"][0])
    assert (row["label"], row["labelled_by"], row["label_reason"]) == ("unsafe", "bob", "promise")


def test_csv_cells_never_start_a_formula(
    engine: Engine, database_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    with Session(engine) as session:
        seed_conversation(session, [TurnSpec(user_text='=HYPERLINK("http://evil.example")')])
    out = tmp_path / "t.csv"
    run_cli(
        "export", "transcripts", "--format", "csv", "--out", str(out),
        "--database-url", database_url, settings_env=cli_env,
    )  # fmt: skip
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert row["user_text"].startswith("'=HYPERLINK")


def test_admins_download_the_same_exports_from_the_console(
    web: TestClient, reviewed: dict[str, list[str]]
) -> None:
    sign_in(web, "root")
    table = web.get("/console/exports/transcripts.csv")
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    assert 'filename="transcripts.csv"' in table.headers["content-disposition"]
    assert len(list(csv.DictReader(io.StringIO(table.text)))) == 7
    assert web.get("/console/exports/transcripts.xml").status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(web.get("/console/exports/finetune.zip").content))
    lines = archive.read("finetune/train.jsonl") + archive.read("finetune/validation.jsonl")
    assert FIXED in lines.decode()
    later = web.get("/console/exports/finetune.zip?since=2030-01-01")
    assert b"No turns were exported." in zipfile.ZipFile(io.BytesIO(later.content)).read(
        "finetune/README.md"
    )
