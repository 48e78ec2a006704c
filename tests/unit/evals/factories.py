"""Hand-made chunks, cases and turn records for the metric tests."""

from __future__ import annotations

from typing import Any

from evals.cases import EvalCase, Expected, Fact
from evals.records import (
    AspectRecord,
    CitationRecord,
    GuardRecord,
    RetrievedRecord,
    TrustRecord,
    TurnRecord,
)
from rag.schema import RetrievedChunk

HOODIE_ID = "luma_products.csv#MH01:0@a049fbd048a61737072d"
HOODIE = RetrievedChunk(
    chunk_id=HOODIE_ID,
    text=(
        "Chaz Kangeroo Hoodie (SKU MH01)\nPrice: $52.00.\nSizes: XS, S, M, L, XL.\n"
        "Colours: Black, Gray, Orange.\nAvailability: in stock (15 of 15 variants in stock)."
    ),
    metadata={"source": "luma_products.csv", "name": "Chaz Kangeroo Hoodie", "price": 52.0},
    score=0.8,
)
RETURNS_ID = "luma_pages.csv#customer-service#returns-and-replacements:0@c1a63712336278e33597"
RETURNS = RetrievedChunk(
    chunk_id=RETURNS_ID,
    text="Merchandise must be returned within 30 days of receipt of merchandise.",
    metadata={"source": "luma_pages.csv", "title": "Customer Service"},
    score=0.7,
)
CHUNKS = {chunk.chunk_id: chunk for chunk in (HOODIE, RETURNS)}


def price_case(**expected: Any) -> EvalCase:
    """How much is the hoodie: $52.00 from its catalogue row."""
    return EvalCase(
        id="store_qa.price.luma.MH01",
        input="How much is the Chaz Kangeroo Hoodie?",
        expected=Expected(
            facts=(Fact(kind="money", text="$52.00", value=52.0),),
            sources=("luma_products.csv#MH01",),
            **expected,
        ),
    )


def record(
    answer: str = "Chaz Kangeroo Hoodie (SKU MH01) — Price: $52.00. [1]",
    *,
    retrieved: tuple[str, ...] = (HOODIE_ID, RETURNS_ID),
    cited: tuple[str, ...] = (HOODIE_ID,),
    guards: tuple[GuardRecord, ...] = (),
    **fields: Any,
) -> TurnRecord:
    """A finished turn with the given answer, retrieval, citations and guard decisions."""
    return TurnRecord(
        turn_id="t1",
        conversation_id="c1",
        answer=answer,
        retrieved=tuple(RetrievedRecord(chunk_id=c, score=0.5) for c in retrieved),
        citations=tuple(
            CitationRecord(index=i, chunk_id=c, source=c.split("#")[0])
            for i, c in enumerate(cited, start=1)
        ),
        guards=guards,
        total_ms=12.0,
        retrieve_ms=3.0,
        **fields,
    )


def guard(validator: str, stage: str, action: str, *, passed: bool = False) -> GuardRecord:
    """One guard decision."""
    return GuardRecord(validator=validator, stage=stage, passed=passed, action=action, score=0.9)


def trust(*aspects: str) -> TrustRecord:
    """A trust reading that found these aspects."""
    return TrustRecord(
        score=0.3,
        level="low",
        polarity="negative",
        scorer="embedded",
        aspects=tuple(AspectRecord(aspect=a, polarity="negative", confidence=0.9) for a in aspects),
    )
