"""The promise check: no commitment a cited policy does not make, negations understood."""

from __future__ import annotations

import pytest

from app.guardrails.output.promises import PromiseCheck, promises_in
from rag.schema import RetrievedChunk
from tests.unit.guardrails_output.conftest import cited


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("We offer free returns on every order.", {"free returns"}),
        ("I can refund you today.", {"immediate refund"}),
        ("We'll process your refund immediately.", {"immediate refund"}),
        ("We guarantee delivery by Friday.", {"guarantee"}),
        ("We will waive the restocking fee for you.", {"waived fee"}),
        ("I'll send you a $20 voucher.", {"compensation"}),
        ("We don’t guarantee delivery times.", set()),
        ("Shipping is not free.", set()),
        ("Merchandise must be returned within 30 days.", set()),
    ],
)
def test_promises_are_recognised(sentence: str, kinds: set[str]) -> None:
    assert promises_in(sentence) == kinds


def test_a_promise_the_policy_does_not_make_fails(returns: RetrievedChunk) -> None:
    answer = "We will gladly accept your return [1]. Returns are always free [1]."
    result = PromiseCheck().check(answer, cited(returns))
    assert not result.passed and result.failing == (1,) and "free returns" in result.detail


def test_a_negated_policy_sentence_backs_no_promise(delivery: RetrievedChunk) -> None:
    assert "guarantee delivery times" in delivery.text.replace("’", "'")
    result = PromiseCheck().check("We guarantee delivery times [1].", cited(delivery))
    assert not result.passed


def test_repeating_the_policy_is_no_promise(delivery: RetrievedChunk) -> None:
    answer = (
        "We don't guarantee delivery times, but we do our best to provide accurate estimates [1]."
    )
    assert PromiseCheck().check(answer, cited(delivery)).passed


def test_a_promise_a_source_makes_passes(hoodie: RetrievedChunk) -> None:
    made_up = RetrievedChunk(
        "policy:free",
        "Free returns: every order ships with free returns.",
        {"title": "Returns"},
        0.9,
    )
    assert PromiseCheck().check("We offer free returns [1].", cited(made_up, hoodie)).passed
