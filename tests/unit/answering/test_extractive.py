"""The extractive backend answers from real shop text, quoting facts exactly, with citations."""

from __future__ import annotations

import re

import pytest

from app.llm.base import AnswerRequest, GeneratedAnswer, generate
from app.llm.extractive import ExtractiveGenerator
from app.prompts import Prompt
from rag.schema import RetrievedChunk
from tests.unit.answering.store_text import chunk, product, ranked

RETURNS = "returns-and-replacements"
SHIPPING_TABLE = ("shipping-and-delivery", "Merchandise total up to $200")
SHIPPING_PROSE = ("shipping-and-delivery", "Deliveries occur only on weekdays")


async def _answer(prompt: Prompt, question: str, chunks: list[RetrievedChunk]) -> GeneratedAnswer:
    request = AnswerRequest(question=question, chunks=chunks, prompt=prompt, shop_name="Luma")
    return await generate(ExtractiveGenerator(), request)


def _cited(answer: GeneratedAnswer, index: int = 1) -> str:
    return next(c.chunk_id for c in answer.citations if c.index == index)


def _markers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", text)}


@pytest.mark.parametrize(
    "question", ["How long do I have to return an item?", "What is your return policy?"]
)
async def test_return_window_quotes_the_30_day_sentence(
    answer_prompt: Prompt, question: str
) -> None:
    chunks = ranked(
        chunk("returning-merchandise-by-mail"),
        chunk("luma-delivery-and-returns"),
        chunk(RETURNS),
        product("Red Lipstick"),  # a product with its own "7 days return policy"
    )
    answer = await _answer(answer_prompt, question, chunks)
    assert (
        "Merchandise must be returned within 30 days of receipt of merchandise. [1]" in answer.text
    )
    assert answer.knows_answer
    assert RETURNS in _cited(answer)
    assert "7 days" not in answer.text and "10 to 14 days" not in answer.text


@pytest.mark.parametrize(
    ("question", "charges", "other_rows"),
    [
        ("How much is shipping on a $150 order?", ("$16", "$26", "$33"), ("$21", "$29", "$34")),
        ("How much is shipping for $350?", ("$21", "$31", "$38"), ("$16", "$29", "$34")),
        ("What are the delivery charges for 750 dollars?", ("$29", "$39", "$46"), ("$16", "$21")),
        ("shipping cost on orders over $1000?", ("$34", "$44", "$51"), ("$29", "$21")),
    ],
)
async def test_shipping_charge_comes_from_the_row_containing_the_amount(
    answer_prompt: Prompt, question: str, charges: tuple[str, ...], other_rows: tuple[str, ...]
) -> None:
    chunks = ranked(chunk(*SHIPPING_PROSE), chunk(*SHIPPING_TABLE), product("Metal Baseball Bat"))
    answer = await _answer(answer_prompt, question, chunks)
    for charge in charges:
        assert re.search(re.escape(charge) + r"\b", answer.text), answer.text
    for charge in other_rows:
        assert not re.search(re.escape(charge) + r"\b", answer.text), answer.text
    assert "Merchandise total" in answer.text
    assert "Merchandise total up to $200" in _snippet_source(answer, chunks)


def _snippet_source(answer: GeneratedAnswer, chunks: list[RetrievedChunk]) -> str:
    by_id = {c.chunk_id: c.text for c in chunks}
    return by_id[_cited(answer)]


async def test_shipping_for_an_amount_without_the_rate_table_is_not_guessed(
    answer_prompt: Prompt,
) -> None:
    chunks = ranked(chunk(*SHIPPING_PROSE), product("Metal Baseball Bat"))
    answer = await _answer(answer_prompt, "How much is shipping on a $150 order?", chunks)
    assert not answer.knows_answer
    assert "$5.00" not in answer.text  # the Alaska surcharge is not the rate for $150


async def test_product_price_is_quoted_exactly(answer_prompt: Prompt) -> None:
    hoodie = product("Chaz Kangeroo Hoodie")
    chunks = ranked(hoodie, product("Teton Pullover Hoodie"), product("Bruno Compete Hoodie"))
    answer = await _answer(answer_prompt, "How much is the Chaz Kangeroo Hoodie?", chunks)
    price = re.search(r"Price: \$[\d.]+\.", hoodie.text)
    assert price is not None
    assert price.group() in answer.text and "Chaz Kangeroo Hoodie" in answer.text
    assert _cited(answer) == hoodie.chunk_id and _markers(answer.text) == {1}
    assert "Teton" not in answer.text


@pytest.mark.parametrize(
    ("name", "question", "fact"),
    [
        (
            "Essence Mascara Lash Princess",
            "What is the warranty on the {}?",
            "Warranty: 1 week warranty.",
        ),
        (
            "Essence Mascara Lash Princess",
            "How long does shipping take for the {}?",
            "Shipping: Ships in 3-5 business days.",
        ),
        (
            "Red Lipstick",
            "What is the return policy for the {}?",
            "Return policy: 7 days return policy.",
        ),
        ("Chaz Kangeroo Hoodie", "Does the {} come in orange?", "Colours: Black, Gray, Orange."),
        ("Chaz Kangeroo Hoodie", "What sizes does the {} come in?", "Sizes: XS, S, M, L, XL."),
    ],
)
async def test_product_fact_asked_for_is_quoted(
    answer_prompt: Prompt, name: str, question: str, fact: str
) -> None:
    subject = product(name)
    assert fact in subject.text  # the fixture is the real loader text
    chunks = ranked(subject, chunk(RETURNS), product("Powder Canister"))
    answer = await _answer(answer_prompt, question.format(name), chunks)
    assert fact in answer.text and _cited(answer) == subject.chunk_id


@pytest.mark.parametrize(
    "question",
    ["Do you sell car tyres?", "What's the weather in Paris?", "Can I pay with bitcoin?", "Hi"],
)
async def test_off_catalogue_question_says_so_and_offers_a_human(
    answer_prompt: Prompt, question: str
) -> None:
    # What a retriever returns for such questions: nearest neighbours that do not answer them.
    chunks = ranked(
        product("Argus All-Weather Tank"),
        product("Chaz Kangeroo Hoodie"),
        chunk("privacy-policy-cookie-restriction-mode#security", contains=""),
    )
    answer = await _answer(answer_prompt, question, chunks)
    assert not answer.knows_answer and answer.citations == []
    assert answer.text == answer_prompt.layout.dont_know_text("Luma")
    assert "couldn't find" in answer.text and "connect you" in answer.text


async def test_no_chunks_means_dont_know(answer_prompt: Prompt) -> None:
    answer = await _answer(answer_prompt, "How much is the Chaz Kangeroo Hoodie?", [])
    assert not answer.knows_answer


async def test_product_search_lists_matching_products_with_citations(answer_prompt: Prompt) -> None:
    names = ["Orestes Yoga Pant", "Zeppelin Yoga Pant", "Karmen Yoga Pant", "Chaz Kangeroo Hoodie"]
    answer = await _answer(answer_prompt, "Do you have yoga pants?", ranked(*map(product, names)))
    assert [c.index for c in answer.citations] == [1, 2, 3] and _markers(answer.text) == {1, 2, 3}
    for name in names[:3]:
        assert name in answer.text
    assert "Chaz" not in answer.text


async def test_stream_yields_the_answer_in_pieces(answer_prompt: Prompt) -> None:
    request = AnswerRequest(
        question="How much is the Chaz Kangeroo Hoodie?",
        chunks=ranked(product("Chaz Kangeroo Hoodie")),
        prompt=answer_prompt,
        shop_name="Luma",
    )
    pieces, finished = [], None
    async for event in ExtractiveGenerator().stream(request):
        if event.answer is not None:
            finished = event.answer
        else:
            pieces.append(event.text)
    assert finished is not None and len(pieces) > 3
    assert "".join(pieces) == finished.text


async def test_citation_snippet_is_the_quoted_text(answer_prompt: Prompt) -> None:
    chunks = ranked(chunk(*SHIPPING_TABLE))
    answer = await _answer(answer_prompt, "How much is shipping for $350?", chunks)
    citation = answer.citations[0]
    assert citation.snippet.startswith("Merchandise total $200.01")
    assert citation.source == "luma_pages.csv" and citation.anchor.endswith(
        "#shipping-and-delivery"
    )
    assert "Shipping and Delivery" in citation.title
