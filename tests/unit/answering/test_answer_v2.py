"""answer@v2: its cues and vocabulary let the extractive backend answer what v1 could not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from app.llm.base import AnswerRequest, GeneratedAnswer, generate
from app.llm.extractive import ExtractiveGenerator
from app.prompts import CUE_KINDS, PromptError, PromptRegistry
from rag.schema import RetrievedChunk
from tests.unit.answering.conftest import PROMPTS_DIR
from tests.unit.answering.store_text import chunk, product, ranked

SHIPPING = ("shipping-and-delivery", "Deliveries occur only on weekdays")


async def _answer(
    prompts: PromptRegistry, key: str, question: str, chunks: list[RetrievedChunk]
) -> GeneratedAnswer:
    request = AnswerRequest(
        question=question, chunks=chunks, prompt=prompts.get(key), shop_name="Luma"
    )
    return await generate(ExtractiveGenerator(), request)


def _availability() -> list[RetrievedChunk]:
    return ranked(product("Autumn Pullie"), product("Chaz Kangeroo Hoodie"))


def _returns() -> list[RetrievedChunk]:
    return ranked(
        product("Rolex Datejust"),  # "Return policy: 7 days" and a "date window": a decoy
        chunk("luma-delivery-and-returns"),
        chunk("returning-merchandise-by-mail"),
        chunk("returns-and-replacements"),
    )


def _shipping() -> list[RetrievedChunk]:
    return ranked(chunk(*SHIPPING), chunk("luma-delivery-and-returns"))


CASES = [
    (
        "Is the Autumn Pullie available to buy right now?",
        _availability,
        "15 of 15 variants in stock",
    ),
    ("What is your return window?", _returns, "returned within 30 days"),
    ("Do you deliver on weekends?", _shipping, "Deliveries occur only on weekdays."),
]


@pytest.mark.parametrize(("question", "chunks", "expected"), CASES)
async def test_v2_answers_what_v1_does_not_know(
    prompts: PromptRegistry, question: str, chunks: Any, expected: str
) -> None:
    before = await _answer(prompts, "answer@v1", question, chunks())
    after = await _answer(prompts, "answer@v2", question, chunks())
    assert not before.knows_answer
    assert after.knows_answer and expected in after.text and after.text.endswith("[1]")


# Phrasings that are in no eval dataset: the cues and vocabulary are not fitted to its questions.
HELD_OUT = [
    ("Can I buy the Bella Tank at the moment?", "Bella Tank", "15 of 15 variants in stock"),
    ("Is the Layla Tee available to order right now?", "Layla Tee", "15 of 15 variants in stock"),
    ("Do you ship on weekends?", "", "Deliveries occur only on weekdays."),
    ("What's the deadline for returns?", "", "returned within 30 days"),
]


@pytest.mark.parametrize(("question", "name", "expected"), HELD_OUT)
async def test_v2_generalises_to_other_phrasings(
    prompts: PromptRegistry, question: str, name: str, expected: str
) -> None:
    if name:
        chunks = ranked(product(name), product("Chaz Kangeroo Hoodie"))
    else:
        chunks = _shipping() if "ship" in question else _returns()
    answer = await _answer(prompts, "answer@v2", question, chunks)
    assert answer.knows_answer and expected in answer.text


async def test_v2_answers_the_same_way_where_v1_already_did(prompts: PromptRegistry) -> None:
    question = "Is the Autumn Pullie in stock?"
    before = await _answer(prompts, "answer@v1", question, _availability())
    after = await _answer(prompts, "answer@v2", question, _availability())
    assert before.text == after.text and "15 of 15 variants" in after.text


def test_v2_keeps_v1_s_variables_and_layout_texts(prompts: PromptRegistry) -> None:
    v1, v2 = prompts.get("answer@v1"), prompts.get("answer@v2")
    assert v2.variables == v1.variables
    assert (v2.layout.dont_know, v2.layout.apology) == (v1.layout.dont_know, v1.layout.apology)
    assert dict(v2.layout.vocabulary)["send back"] == "return"
    assert {kind for kind, _ in v2.layout.cues} <= set(CUE_KINDS)
    assert v1.layout.cues == () and v1.layout.vocabulary == ()


def _v2() -> dict[str, Any]:
    data = yaml.safe_load((PROMPTS_DIR / "answer" / "v2.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ({"cues": {"colour": ["in red"]}}, "layout.cues must map"),
        ({"cues": {"filler": "right now"}}, "list of phrases"),
        ({"cues": {"filler": ["Right Now!"]}}, "lower-case words"),
        ({"vocabulary": ["weekend"]}, "layout.vocabulary must map"),
        ({"vocabulary": {"weekend": 7}}, "lower-case words"),
    ],
)
def test_bad_cues_or_vocabulary_name_the_file(
    tmp_path: Path, layout: dict[str, Any], message: str
) -> None:
    data = _v2()
    data["layout"].update(layout)
    path = tmp_path / "answer" / "v2.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(PromptError, match=message) as error:
        PromptRegistry.load(tmp_path)
    assert str(path) in str(error.value)
