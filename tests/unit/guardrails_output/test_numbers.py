"""The number check: prices, percentages and days must be in the cited sources, as written there."""

from __future__ import annotations

import pytest

from app.guardrails.output.numbers import NumberCheck, quantities
from rag.schema import RetrievedChunk
from tests.unit.guardrails_output.conftest import cited


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "Standard (5—7 day shipping) $16",
            {("money", 16.0), ("duration", 5.0), ("duration", 7.0)},
        ),
        ("within thirty days", {("duration", 30.0)}),
        ("a 30-day window and 20% off", {("duration", 30.0), ("percent", 20.0)}),
        ("it costs 1,000.00 USD", {("money", 1000.0)}),
        ("ships in 1 week", {("duration", 7.0)}),
        ("size 32 in 2 colours", set()),
    ],
)
def test_quantities_are_read_with_their_kind(text: str, found: set[tuple[str, float]]) -> None:
    assert {(q.kind, q.value) for q in quantities(text)} == found


def test_the_real_shipping_rate_passes(shipping: RetrievedChunk) -> None:
    answer = "Standard shipping (5—7 days) costs $16 on orders up to $200 [1]."
    assert NumberCheck().check(answer, cited(shipping)).passed


def test_a_made_up_price_fails_and_names_itself(hoodie: RetrievedChunk) -> None:
    answer = "The Chaz Kangeroo Hoodie costs $52.00 [1]. Today it is only $1 [1]."
    result = NumberCheck().check(answer, cited(hoodie))
    assert not result.passed and result.failing == (1,) and "$1" in result.detail


def test_the_catalogue_price_counts_however_it_is_written(hoodie: RetrievedChunk) -> None:
    assert NumberCheck().check("The hoodie is $52 [1].", cited(hoodie)).passed


def test_a_number_must_come_from_the_source_the_sentence_cites(
    shipping: RetrievedChunk, returns: RetrievedChunk, hoodie: RetrievedChunk
) -> None:
    # $16 is in the shipping table [1], not in the hoodie's page [2].
    result = NumberCheck().check("Shipping is $16 [2].", cited(shipping, hoodie))
    assert not result.passed


def test_the_same_number_of_another_kind_is_no_support(by_mail: RetrievedChunk) -> None:
    assert "10 to 14 days" in by_mail.text
    assert NumberCheck().check("Allow 10 to 14 days for your return [1].", cited(by_mail)).passed
    assert not NumberCheck().check("A return costs $14 [1].", cited(by_mail)).passed


def test_durations_compare_in_days(by_mail: RetrievedChunk) -> None:
    assert not NumberCheck().check("Allow 10 to 14 weeks [1].", cited(by_mail)).passed
