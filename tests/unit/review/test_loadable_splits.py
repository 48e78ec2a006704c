"""Exports `datasets` can load (no empty split named) and sessions that can be signed out."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.review.card import dataset_card
from app.review.export_finetune import FinetuneOptions, FinetuneResult
from app.review.finetune import Example, split
from app.review.reviewed import APPROVED
from app.review.sessions import SessionSigner


def example(question: str) -> Example:
    messages = (
        {"role": "system", "content": "s"},
        {"role": "user", "content": question},
        {"role": "assistant", "content": f"answer to {question}"},
    )
    return Example(messages, question, APPROVED, f"t-{question}", "2026-11-20", "answer@v1", "x")


def card_splits(train: list[Example], validation: list[Example]) -> set[str]:
    result = FinetuneResult(
        out_dir=Path("ft"),
        options=FinetuneOptions(),
        source="sqlite:///turns.db",
        shop_name="Luma",
        train=train,
        validation=validation,
    )
    front = yaml.safe_load(dataset_card(result).split("---")[1])
    return {f["split"] for config in front.get("configs", []) for f in config["data_files"]}


@pytest.mark.parametrize("seed", ["a", "b", "c", "d", "e", "f", "g", "h"])
def test_a_lone_example_always_trains(seed: str) -> None:
    train, validation = split([example("Do you ship to Canada?")], validation_share=0.9, seed=seed)
    assert len(train) == 1 and validation == []


def test_the_card_names_only_splits_with_rows() -> None:
    one, two = example("q1"), example("q2")
    assert card_splits([one], [two]) == {"train", "validation"}
    assert card_splits([one, two], []) == {"train"}
    assert card_splits([], []) == set()


def test_every_session_has_its_own_id_kept_in_its_cookie() -> None:
    signer = SessionSigner("test-secret-" + "x" * 40, max_age_s=3600)
    (first_cookie, first), (_, second) = (signer.issue("alice", "agent", now=1_000) for _ in "ab")
    assert first.sid and first.sid != second.sid
    read = signer.read(first_cookie, now=2_000)
    assert read is not None and read.sid == first.sid
