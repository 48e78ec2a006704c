"""The grounding check: factual sentences need a source; conversation needs none."""

from __future__ import annotations

import pytest

from app.guardrails.output.grounding import GroundingCheck, is_factual
from rag.embeddings import SentenceTransformerEmbeddings
from rag.schema import RetrievedChunk
from tests.unit.guardrails_output.conftest import cited


@pytest.mark.parametrize(
    ("sentence", "factual"),
    [
        ("Would you like me to connect you with a member of our customer-service team?", False),
        ("I'm sorry, I couldn't find that in Luma's information.", False),
        ("Happy to help!", False),
        ("Standard shipping costs $16 [1].", True),
        ("The Chaz Kangeroo Hoodie comes in black, gray and orange [1].", True),
        ("Yes.", False),
    ],
)
def test_what_counts_as_a_claim(sentence: str, factual: bool) -> None:
    assert is_factual(sentence) is factual


def test_a_quoted_answer_is_supported(returns: RetrievedChunk, shipping: RetrievedChunk) -> None:
    sentence = next(s for s in returns.text.splitlines() if "completely happy" in s)
    result = GroundingCheck().check(f"{sentence} [1]", cited(returns, shipping))
    assert result.passed and result.score == 0.0


def test_an_invented_claim_fails_and_the_conversation_around_it_does_not(
    returns: RetrievedChunk,
) -> None:
    answer = (
        "We accept returns of unworn merchandise [1]. Our founder personally delivers every "
        "parcel by helicopter [1]. Would you like me to connect you with our team?"
    )
    result = GroundingCheck().check(answer, cited(returns))
    assert not result.passed and result.failing == (1,)


def test_a_claim_with_the_wrong_number_is_unsupported(returns: RetrievedChunk) -> None:
    result = GroundingCheck().check(
        "Please allow 2 to 3 days to process your return [1].", cited(returns)
    )
    assert not result.passed


@pytest.fixture(scope="module")
def embeddings() -> SentenceTransformerEmbeddings:
    return SentenceTransformerEmbeddings()


def test_a_paraphrase_is_supported_by_similarity(
    returns: RetrievedChunk, embeddings: SentenceTransformerEmbeddings
) -> None:
    paraphrase = "Used items cannot be sent back unless they are faulty [1]."
    assert not GroundingCheck().check(paraphrase, cited(returns)).passed  # words differ
    assert GroundingCheck(embeddings).check(paraphrase, cited(returns)).passed


def test_similarity_does_not_excuse_a_different_number(
    returns: RetrievedChunk, embeddings: SentenceTransformerEmbeddings
) -> None:
    claim = "Luma needs 2 to 3 days to process a return [1]."
    assert not GroundingCheck(embeddings).check(claim, cited(returns)).passed
