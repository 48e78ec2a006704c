"""The fine-tuning export loads with Hugging Face `datasets` in the chat format trainers expect.

The export is made by `trustdesk export finetune` from a real SQLite turn log; `datasets` runs in
a child process so that HF_HOME and HF_DATASETS_OFFLINE apply from its first import (it reads them
once, at import), exactly as they would for someone loading the files on their own machine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import cli
from app.review.actions import correct_turn, label_turn
from tests.integration.review.conftest import REPO_ROOT
from tests.integration.review.factories import NOW, TurnSpec, seed_conversation

QUESTIONS = [
    "What is your return policy?",
    "How long does shipping to Canada take?",
    "Do you offer gift wrapping?",
    "Can I change the size of my order?",
    "Is the Hero Hoodie machine washable?",
    "Which payment methods do you accept?",
    "How do I track my parcel?",
    "Do you price match?",
]
FIXED = "Standard delivery to Canada takes 5-8 business days [1]."
# What `datasets` infers from the JSONL: one column, a list of {role, content} strings.
CHAT_FEATURES = {
    "messages": {
        "_type": "List",
        "feature": {
            "role": {"_type": "Value", "dtype": "string"},
            "content": {"_type": "Value", "dtype": "string"},
        },
    }
}
# Run in the child: the README's example, then the folder form that reads the card's splits.
LOADER = """
import json, sys
from datasets import config, load_dataset

out = sys.argv[1]
files = {s: f"{out}/{s}.jsonl" for s in sys.argv[2:]}
loaded = {"json": load_dataset("json", data_files=files), "folder": load_dataset(out)}
print(json.dumps({
    "offline": config.HF_HUB_OFFLINE,
    "cache": str(config.HF_DATASETS_CACHE),
    **{
        how: {
            name: {"rows": split.num_rows, "features": split.features.to_dict(),
                   "messages": split.to_dict()["messages"]}
            for name, split in dataset.items()
        }
        for how, dataset in loaded.items()
    },
}))
"""


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    return {
        "TRUSTDESK_ENVIRONMENT": "test",
        "TRUSTDESK_DATA__STATE_DIR": str(tmp_path / "state"),
        "TRUSTDESK_PROMPTS__DIR": str(REPO_ROOT / "prompts"),
    }


def export(database_url: str, out: Path, env: dict[str, str]) -> None:
    """`trustdesk export finetune --out OUT` on the test turn log."""
    args = ["export", "finetune", "--out", str(out), "--database-url", database_url]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output


def load_with_datasets(out: Path, splits: list[str], hf_home: Path) -> dict[str, Any]:
    """What `datasets` makes of the export, loaded offline with its cache under `hf_home`."""
    env = {**os.environ, "HF_HOME": str(hf_home), "HF_DATASETS_OFFLINE": "1"}
    env.pop("HF_DATASETS_CACHE", None)
    env.pop("HF_HUB_OFFLINE", None)  # HF_DATASETS_OFFLINE alone must keep it off the network
    done = subprocess.run(
        [sys.executable, "-c", LOADER, str(out), *splits],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def card_counts(out: Path) -> dict[str, int]:
    """The train and validation counts in the dataset card's table."""
    card = (out / "README.md").read_text(encoding="utf-8")
    return {
        name: int(match[1])
        for name in ("train", "validation")
        if (match := re.search(rf"^\| {name} \| (\d+) \|$", card, re.MULTILINE))
    }


def card_splits(out: Path) -> set[str]:
    """The splits the card's Hugging Face front matter names."""
    front = yaml.safe_load((out / "README.md").read_text(encoding="utf-8").split("---")[1])
    return {f["split"] for f in front["configs"][0]["data_files"]}


def seed_reviewed(engine: Engine, questions: list[str]) -> None:
    """One approved turn per question; the second question also gets a two-turn conversation."""
    with Session(engine) as session:
        for n, question in enumerate(questions):
            turns = [TurnSpec(user_text=question, answer=f"Answer {n}: see the policy [1].")]
            seeded = seed_conversation(session, turns, at=NOW - timedelta(hours=n))
            label_turn(session, turn_id=seeded.turn_ids[0], label="correct", reason="", agent="a")
        if len(questions) > 1:
            follow_up = [
                TurnSpec(user_text=questions[1], answer="Soon [1].", feedback=1),
                TurnSpec(user_text="And to Quebec?", answer="It depends [1]."),
            ]
            seeded = seed_conversation(session, follow_up, at=NOW - timedelta(days=1))
            first, second = seeded.turn_ids
            label_turn(session, turn_id=first, label="correct", reason="", agent="a")
            label_turn(session, turn_id=second, label="unhelpful", reason="vague", agent="a")
            correct_turn(session, turn_id=second, answer=FIXED, agent="a")
        session.commit()


def assert_chat_rows(conversations: list[list[dict[str, str]]]) -> None:
    """Every row is system, user, assistant with text in each (what chat trainers take)."""
    for messages in conversations:
        assert [m["role"] for m in messages] == ["system", "user", "assistant"]
        assert all(set(m) == {"role", "content"} and m["content"].strip() for m in messages)


def test_the_export_loads_with_datasets_offline_in_chat_format(
    engine: Engine, database_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    seed_reviewed(engine, QUESTIONS)
    out, hf_home = tmp_path / "ft", tmp_path / "hf"
    export(database_url, out, cli_env)

    loaded = load_with_datasets(out, ["train", "validation"], hf_home)

    counts = card_counts(out)
    assert counts["train"] >= 1 and counts["validation"] >= 1
    assert counts["train"] + counts["validation"] == len(QUESTIONS) + 2
    assert loaded["offline"] is True and Path(loaded["cache"]).is_relative_to(hf_home)
    for how in ("json", "folder"):
        assert set(loaded[how]) == {"train", "validation"} == card_splits(out)
        for name, split in loaded[how].items():
            assert split["rows"] == counts[name], (how, name)
            assert split["features"] == CHAT_FEATURES
            assert_chat_rows(split["messages"])
    rows = [m for split in loaded["json"].values() for m in split["messages"]]
    fixed = next(m for m in rows if m[-1]["content"] == FIXED)
    assert "And to Quebec?" in fixed[1]["content"]  # the question, after the history
    assert "Assistant: Soon" in fixed[1]["content"]  # the conversation so far


def test_a_single_example_is_a_loadable_train_split(
    engine: Engine, database_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    seed_reviewed(engine, QUESTIONS[:1])
    out = tmp_path / "ft"
    export(database_url, out, cli_env)

    loaded = load_with_datasets(out, ["train"], tmp_path / "hf")

    assert card_counts(out) == {"train": 1, "validation": 0}
    assert card_splits(out) == {"train"}  # an empty split would make `datasets` refuse the folder
    assert set(loaded["folder"]) == {"train"} and loaded["folder"]["train"]["rows"] == 1
    assert_chat_rows(loaded["json"]["train"]["messages"])
