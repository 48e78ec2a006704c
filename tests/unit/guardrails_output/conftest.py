"""Fixtures of the output-check unit tests: the shop's real policy and product chunks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.guardrails.base import PiiSpan
from app.guardrails.output.base import OutputContext
from app.llm.citations import make_citation
from app.prompts import Prompt, PromptRegistry
from rag.schema import RetrievedChunk
from tests.unit.answering.store_text import chunk, product

PROMPTS_DIR = Path(__file__).resolve().parents[3] / "prompts"
SHIPPING = "customer-service#shipping-and-delivery:1"
RETURNS = "customer-service#returns-and-replacements:0"
DELIVERY = "customer-service#shipping-and-delivery:0"


@pytest.fixture(scope="session")
def answer_prompt() -> Prompt:
    """The released answer prompt (its system template is what must never leak)."""
    return PromptRegistry.load(PROMPTS_DIR).get("answer@v1")


@pytest.fixture(scope="session")
def shipping() -> RetrievedChunk:
    """Luma's shipping-rate table."""
    return chunk(SHIPPING)


@pytest.fixture(scope="session")
def returns() -> RetrievedChunk:
    """Luma's returns policy."""
    return chunk(RETURNS)


@pytest.fixture(scope="session")
def by_mail() -> RetrievedChunk:
    """How to return merchandise by mail ("allow 10 to 14 days")."""
    return chunk("customer-service#returning-merchandise-by-mail:0")


@pytest.fixture(scope="session")
def delivery() -> RetrievedChunk:
    """Luma's delivery terms ("We don't guarantee delivery times")."""
    return chunk(DELIVERY)


@pytest.fixture(scope="session")
def hoodie() -> RetrievedChunk:
    """The Chaz Kangeroo Hoodie, $52.00."""
    return product("Chaz Kangeroo Hoodie")


def cited(
    *chunks: RetrievedChunk, user_texts: tuple[str, ...] = (), system: str = ""
) -> OutputContext:
    """A context in which chunk n is cited as [n]."""
    return OutputContext(
        chunks=chunks,
        citations=[make_citation(i, c) for i, c in enumerate(chunks, start=1)],
        user_texts=user_texts,
        system_prompt=system,
    )


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ()-]{7,}\d")


def small_pii_finder(text: str) -> list[PiiSpan]:
    """A tiny e-mail and phone finder, so the leak check is tested on its own."""
    spans = [PiiSpan(m.start(), m.end(), "EMAIL", m.group(0)) for m in _EMAIL.finditer(text)]
    spans += [PiiSpan(m.start(), m.end(), "PHONE", m.group(0)) for m in _PHONE.finditer(text)]
    return spans
