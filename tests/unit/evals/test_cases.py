"""Eval datasets as JSON Lines: stable writing, strict reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.cases import EvalCase, Expected, Fact, dataset_path, read_cases, unmet_needs, write_cases

CASES = [
    EvalCase(
        id="a",
        input="How much is the hoodie?",
        expected=Expected(facts=(Fact(kind="money", text="$52.00", value=52.0),), sources=("x#1",)),
        tags=("price",),
    ),
    EvalCase(id="b", input="hi", turns=("hi", "and in orange?"), needs=("llm", "order_tools")),
]


def test_writing_is_byte_stable_and_reads_back(tmp_path: Path) -> None:
    first = write_cases(tmp_path / "one.jsonl", CASES)
    second = write_cases(tmp_path / "two.jsonl", CASES)
    assert first == second and len(first) == 64
    assert read_cases(tmp_path / "one.jsonl") == CASES
    assert read_cases(tmp_path / "one.jsonl")[1].messages == ("hi", "and in orange?")


def test_duplicate_ids_and_bad_lines_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    write_cases(path, [CASES[0], CASES[0]])
    with pytest.raises(ValueError, match=r"bad.jsonl:2: duplicate case id"):
        read_cases(path)
    path.write_text('{"id": "x", "input": "q", "expected": {"facts": [{"kind": "euro"}]}}\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:1"):
        read_cases(path)


def test_a_missing_dataset_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make eval-data"):
        read_cases(dataset_path("store_qa", tmp_path))


def test_datasets_are_found_by_name_or_path(tmp_path: Path) -> None:
    assert dataset_path("smoke", tmp_path) == tmp_path / "smoke.jsonl"
    assert dataset_path("my/cases.jsonl") == Path("my/cases.jsonl")


def test_unmet_needs() -> None:
    assert unmet_needs(CASES[1], ["llm"]) == ("order_tools",)
    assert unmet_needs(CASES[0], []) == ()
