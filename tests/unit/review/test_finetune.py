"""Fine-tuning examples: chat format, PII removed, duplicates dropped, deterministic split."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.guardrails.pii import PiiDetector
from app.prompts import PromptRegistry
from app.review.finetune import (
    Example,
    ExampleBuilder,
    chat_format_errors,
    deduplicate,
    numbered_citations,
    split,
)
from app.review.reviewed import APPROVED, CORRECTED, Reviewed
from app.store.models import Turn

PROMPTS_DIR = Path(__file__).resolve().parents[3] / "prompts"
CITATION = {
    "index": 1,
    "title": "Customer Service",
    "snippet": "Returns accepted within 30 days. Call us on +1 (800) 555-0199.",
}


@pytest.fixture(scope="module")
def builder() -> ExampleBuilder:
    registry = PromptRegistry.load(PROMPTS_DIR)
    return ExampleBuilder(registry.get, shop_name="Luma", find_pii=PiiDetector().find)


def turn(question: str, answer: str, *, number: int = 2, version: int = 1) -> Turn:
    return Turn(
        id=f"t-{abs(hash((question, answer, number)))}",
        conversation_id="c-1",
        number=number,
        created_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        user_text=question,
        resolved_question=question,
        answer=answer,
        citations=[CITATION],
        backend="extractive",
        model="extractive",
        prompt_name="answer",
        prompt_version=version,
        prompt_sha256="ab" * 32,
    )


def example(question: str, answer: str, created: str = "2026-11-20") -> Example:
    messages = (
        {"role": "system", "content": "s"},
        {"role": "user", "content": question},
        {"role": "assistant", "content": answer},
    )
    return Example(messages, question, APPROVED, f"t-{question}", created, "answer@v1", "x")


def test_example_is_the_turns_prompt_rendered_with_sources_history_and_answer(
    builder: ExampleBuilder,
) -> None:
    item = Reviewed(
        turn("Can I return these shoes?", "Yes, within 30 days [1]."),
        "Yes, within 30 days [1].",
        APPROVED,
        history=(("Do you sell shoes?", "Yes [1]."),),
    )
    built = builder.build(item)
    assert built is not None
    system, user, assistant = built.messages
    assert [m["role"] for m in built.messages] == ["system", "user", "assistant"]
    assert system["content"].startswith("You are the customer-service assistant of Luma")
    assert "[1] Customer Service\nReturns accepted within 30 days." in user["content"]
    assert "Shopper: Do you sell shoes?" in user["content"]
    assert "Shopper's question: Can I return these shoes?" in user["content"]
    assert assistant["content"] == "Yes, within 30 days [1]."
    assert chat_format_errors(json.loads(built.line())) == []


def test_personal_data_is_removed_but_the_shops_own_details_stay(
    builder: ExampleBuilder,
) -> None:
    item = Reviewed(
        turn("I'm John Smith, mail me at john.smith@example.com", "old"),
        "Email sent to john.smith@example.com. You can also call +1 (800) 555-0199 [1].",
        CORRECTED,
        history=(),
    )
    built = builder.build(item)
    assert built is not None
    text = built.line()
    assert "john.smith@example.com" not in text and "John Smith" not in text
    assert "[EMAIL]" in built.messages[-1]["content"]
    assert "+1 (800) 555-0199" in built.messages[-1]["content"]  # quoted from the cited source
    assert builder.report.pii["EMAIL"] >= 2


def test_unknown_prompt_versions_are_skipped_and_counted(builder: ExampleBuilder) -> None:
    item = Reviewed(turn("Hi?", "Hello.", version=99), "Hello.", APPROVED, ())
    assert builder.build(item) is None
    assert builder.report.skipped["prompt answer@v99 not found"] == 1


def test_duplicates_ignore_case_and_spacing_but_keep_different_answers() -> None:
    examples = [
        example("Return policy?", "30 days."),
        example("  return   POLICY? ", "30 days."),
        example("Return policy?", "Thirty days from delivery."),
    ]
    kept, dropped = deduplicate(examples)
    assert dropped == 1 and len(kept) == 2


def test_split_is_deterministic_never_splits_a_question_and_fills_both_sides() -> None:
    examples = [example(f"question {n}", f"answer {n}") for n in range(200)]
    examples += [example("question 7", "another answer")]
    train, validation = split(examples, validation_share=0.1, seed="s")
    again = split(list(reversed(examples)), validation_share=0.1, seed="s")
    assert ([e.turn_id for e in train], [e.turn_id for e in validation]) == (
        [e.turn_id for e in again[0]],
        [e.turn_id for e in again[1]],
    )
    assert 10 <= len(validation) <= 35 and len(train) + len(validation) == 201
    sides = {e.question: e in validation for e in examples}
    assert all((e in validation) == sides[e.question] for e in examples)
    tiny_train, tiny_validation = split(examples[:2], validation_share=0.1, seed="s")
    assert len(tiny_train) == 1 and len(tiny_validation) == 1
    other_seed = split(examples, validation_share=0.1, seed="other")[1]
    assert {e.turn_id for e in other_seed} != {e.turn_id for e in validation}


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"messages": []}, "at least two"),
        ({"messages": [{"role": "user", "content": "hi"}], "id": 1}, "exactly one key"),
        ({"messages": [{"role": "user", "content": "a"}, {"role": "bot", "content": "b"}]}, "role"),
        (
            {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": " "}]},
            "empty",
        ),
        (
            {"messages": [{"role": "assistant", "content": "a"}, {"role": "user", "content": "b"}]},
            "last",
        ),
    ],
)
def test_chat_format_check_names_the_problem(record: object, problem: str) -> None:
    errors = chat_format_errors(record)
    assert errors and problem in " ".join(errors)


def test_no_citations_reads_like_the_chat_prompt() -> None:
    assert numbered_citations([]) == "(no sources found)"
