"""Short, anaphoric follow-ups are rewritten into standalone questions about the last subject."""

from __future__ import annotations

import pytest

from app.followup import RuleFollowupResolver, history_text, is_followup, resolve_followup

HOODIE = "Chaz Kangeroo Hoodie"
HISTORY = [
    (
        "Do you have the Chaz Kangeroo Hoodie?",
        "Chaz Kangeroo Hoodie (SKU MH01) — Price: $52.00. [1]",
    )
]


@pytest.mark.parametrize(
    ("message", "resolved"),
    [
        ("and in orange?", "Chaz Kangeroo Hoodie in orange?"),
        ("what about the XL?", "Chaz Kangeroo Hoodie XL?"),
        ("How much is it?", "How much is the Chaz Kangeroo Hoodie?"),
        ("And is it in stock?", "Is the Chaz Kangeroo Hoodie in stock?"),
        ("What is its return policy?", "What is the Chaz Kangeroo Hoodie's return policy?"),
        ("ok, and in gray?", "Chaz Kangeroo Hoodie in gray?"),
        ("Does it come in blue?", "Does the Chaz Kangeroo Hoodie come in blue?"),
        ("What colours?", "Chaz Kangeroo Hoodie: What colours?"),
    ],
)
def test_followups_carry_the_product_subject(message: str, resolved: str) -> None:
    assert resolve_followup(message, HISTORY, HOODIE) == resolved


@pytest.mark.parametrize(
    "message",
    [
        "Do you sell yoga pants?",
        "What is your return policy?",
        "And what is your return policy?",
        "and the Hero Hoodie?",
        "Is it possible to return a gift?",
        "Thanks!",
        "Hello",
    ],
)
def test_standalone_messages_are_left_alone(message: str) -> None:
    assert not is_followup(message) or message in ("Thanks!",)
    assert resolve_followup(message, HISTORY, HOODIE) == message


def test_first_message_is_never_rewritten() -> None:
    assert resolve_followup("and in orange?", [], None) == "and in orange?"


def test_without_a_product_the_previous_question_is_carried() -> None:
    history = [("How much is shipping on a $150 order?", "Merchandise total up to $200: ... [1]")]
    assert (
        resolve_followup("and for $350?", history, None) == "How much is shipping on a $350 order?"
    )
    assert resolve_followup("and overnight?", history, None) == (
        "How much is shipping on a $150 order — overnight?"
    )


async def test_rule_resolver_is_the_async_seam() -> None:
    assert await RuleFollowupResolver().resolve("and in orange?", HISTORY, HOODIE) == (
        "Chaz Kangeroo Hoodie in orange?"
    )


def test_history_text_drops_markers_and_keeps_the_last_turns() -> None:
    history = [(f"question {i}", f"answer {i} [1]") for i in range(5)]
    text = history_text(history, limit=2)
    assert text.splitlines() == [
        "Shopper: question 3",
        "Assistant: answer 3",
        "Shopper: question 4",
        "Assistant: answer 4",
    ]
    assert history_text([]) == "(none)"
