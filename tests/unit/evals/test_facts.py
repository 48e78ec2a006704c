"""Answer correctness on expected facts: money, quantities with units, phrases."""

from __future__ import annotations

import pytest

from evals.cases import Fact
from evals.metrics.facts import fact_found, fact_recall

PRICE = Fact(kind="money", text="$52.00", value=52.0)
EXPENSIVE = Fact(kind="money", text="$1899.99", value=1899.99)
THIRTY_DAYS = Fact(kind="quantity", text="30 days", value=30, unit="days")
STOCK = Fact(kind="quantity", text="99 units", value=99, unit="unit")
VARIANTS = Fact(kind="quantity", text="12 of 12 variants", value=12, unit="variant")
SMALL = Fact(kind="text", text="S")
WAIST = Fact(kind="text", text="32")
NO_RETURNS = Fact(kind="text", text="No return policy")
SHIPS = Fact(kind="text", text="1-2 business days")


@pytest.mark.parametrize(
    ("fact", "answer"),
    [
        (PRICE, "The Chaz Kangeroo Hoodie costs $52. [1]"),
        (PRICE, "Price: $52.00."),
        (PRICE, "It is 52.00 USD."),
        (PRICE, "That is 52 dollars."),
        (EXPENSIVE, "The bed is $1,899.99."),
        (EXPENSIVE, "The bed is $1899.99 [2]."),
        (THIRTY_DAYS, "Merchandise must be returned within 30 days of receipt."),
        (THIRTY_DAYS, "You have thirty days to send it back."),
        (STOCK, "Availability: In Stock (99 units in stock)."),
        (VARIANTS, "Availability: in stock (12 of 12 variants in stock)."),
        (SMALL, "Sizes: XS, S, M, L, XL."),
        (WAIST, "Sizes: 28, 29, 30, 31, 32."),
        (NO_RETURNS, "Return policy: no return policy."),
        (SHIPS, "Shipping: Ships in 1–2 business days."),
    ],
)
def test_a_fact_stated_in_any_usual_form_is_found(fact: Fact, answer: str) -> None:
    assert fact_found(fact, answer)


@pytest.mark.parametrize(
    ("fact", "answer"),
    [
        (PRICE, "The Chaz Kangeroo Hoodie costs $25.00."),
        (PRICE, "We have 52 hoodies."),  # a number is not a price
        (PRICE, "It costs $520.00."),
        (EXPENSIVE, "The bed is $1,899.00."),
        (THIRTY_DAYS, "Returns are accepted within 3 days."),
        (THIRTY_DAYS, "Returns are accepted within 30 weeks."),
        (STOCK, "Availability: In Stock (98 units in stock)."),
        (STOCK, "99 reviews say it is great."),
        (SMALL, "Sizes: XS, M, L."),  # the S of XS is not size S
        (SMALL, "That is Luma's best seller."),
        (WAIST, "Price: $32.00."),  # the 32 of a price is not waist 32
        (NO_RETURNS, "Return policy: 30 days return policy."),
        (SHIPS, "Shipping: Ships in 3-5 business days."),
    ],
)
def test_a_fact_that_is_absent_or_different_is_not_found(fact: Fact, answer: str) -> None:
    assert not fact_found(fact, answer)


def test_a_duration_range_states_both_of_its_ends() -> None:
    ten, fourteen = (
        Fact(kind="quantity", text="10 to 14 days", value=v, unit="day") for v in (10, 14)
    )
    answer = "Please allow 10 to 14 days for Luma to process your return."
    assert fact_found(ten, answer) and fact_found(fourteen, answer)
    assert not fact_found(fourteen, "Please allow 10 days.")


def test_fact_recall_is_the_share_of_facts_stated_and_none_without_facts() -> None:
    facts = [PRICE, STOCK]
    assert fact_recall(facts, "It costs $52.00 and we have 99 units.") == 1.0
    assert fact_recall(facts, "It costs $52.00.") == 0.5
    assert fact_recall(facts, "I'm sorry, I couldn't find that.") == 0.0
    assert fact_recall([], "anything") is None
