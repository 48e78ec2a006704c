"""Property over real retrieval: every number an answer states is in a chunk it cites."""

from __future__ import annotations

import random

import pytest

from app.chat import ChatService
from app.llm.lexical import numbers
from rag.retriever import HybridRetriever
from rag.schema import DOC_TYPE
from tests.integration.answering.conftest import DUMMYJSON_PRODUCTS

pytestmark = pytest.mark.asyncio(loop_scope="session")

POLICY_QUESTIONS = [
    "What is your return policy?",
    "How long do I have to return an item?",
    "How long does delivery take?",
    "Do you ship to Alaska?",
    "Can I return a gift?",
    "How long does it take to process my refund?",
    "Is there a restocking fee?",
    "Do you deliver on Saturdays?",
    "Do you use cookies?",
    "How much is shipping?",
    "Do you sell car tyres?",
    "Who founded Luma?",
]
PRODUCT_QUESTIONS = [
    "How much is the {}?",
    "Is the {} in stock?",
    "What sizes does the {} come in?",
    "What is the warranty on the {}?",
    "Does the {} come in black?",
]


def _questions(retriever: HybridRetriever) -> list[str]:
    rng = random.Random(7)
    raw = retriever.vectorstore.get(include=["metadatas"])
    names = sorted(
        {
            str(m["name"])
            for m in raw["metadatas"]
            if m and m.get(DOC_TYPE) == "product" and m.get("name")
        }
    )
    product = [rng.choice(PRODUCT_QUESTIONS).format(name) for name in names]
    shipping = [f"How much is shipping on a ${rng.randint(1, 2000)} order?" for _ in range(30)]
    return product + shipping + POLICY_QUESTIONS


async def test_answers_only_state_numbers_from_cited_chunks(
    service: ChatService, retriever: HybridRetriever
) -> None:
    questions = _questions(retriever)
    assert len(questions) > 147 + DUMMYJSON_PRODUCTS
    failures, answered = [], 0
    for i, question in enumerate(questions):
        result = await service.ask(conversation_id=f"p-{i}", text=question)
        answered += result.knows_answer
        ids = [c.chunk_id for c in result.citations]
        texts = retriever.vectorstore.get(ids=ids)["documents"] if ids else []
        cited = {n for text in texts for n in numbers(text or "")}
        stray = [n for n in numbers(result.answer) if n not in cited]
        if stray or result.error:
            failures.append((question, stray, result.answer, result.error))
    assert not failures, failures[:5]
    assert answered > len(questions) // 2
