"""A shopper who asks for a person is recognised; a question that mentions one is not."""

from __future__ import annotations

import pytest

from app.trust.handoff import asks_for_human, normalise


@pytest.mark.parametrize(
    "text",
    [
        "I want to talk to a real person",
        "Can I speak to a human agent?",
        "speak to a manager",
        "Let me speak to your supervisor!",
        "This bot is useless, connect me with a human",
        "transfer me to an agent please",
        "Is there someone I can talk to?",
        "Isn't there a supervisor or someone else who might help?",
        "Can I chat with someone about my refund?",
        "I need a human",
        "get me a real person now",
        "I WANT A LIVE AGENT",
        "call me",
        "Can someone call me back?",
        "please give me a call",
        "escalate this please",
        "human",
        "Agent please",
        "representative",
        "I want to speak with customer support",
        "Are you a bot? I want a real person",
        "I don't want to wait, let me talk to a person",
    ],
)
def test_a_request_for_a_person_is_recognised(text: str) -> None:
    assert asks_for_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "i wanna tlak to a prson",
        "how to speak tosomebody",
        "i need assistance speakign to a human agent",
        "chat wth somebody",
        "I have got to speak with a eprson",
        "I'm trying to talk to somone",
    ],
)
def test_cheap_typos_do_not_hide_the_request(text: str) -> None:
    assert asks_for_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "can a person return a gift?",
        "is the agent policy the same for sale items?",
        "Do you sell human hair wigs?",
        "I want the human hair wig in black",
        "Does a person need to sign for the delivery?",
        "Can someone else pick up my order?",
        "Is there a human-readable size chart?",
        "Am I talking to a real person?",
        "are you a human?",
        "I don't want to talk to a human",
        "I'd rather not talk to an agent",
        "I was talking to an agent yesterday and he said five days",
        "I spoke with someone last week about it",
        "What are your customer service hours?",
        "What is the customer service phone number?",
        "Who is the manager of this product line?",
        "Do I need a contract with an agent?",
        "It's nice to have someone to chat with about it.",
        "what do you call this colour?",
        "How much does shipping cost?",
        "",
    ],
)
def test_a_mention_of_a_person_is_not_a_request(text: str) -> None:
    assert not asks_for_human(text)


def test_typo_repair_leaves_real_words_alone() -> None:
    assert normalise("Taking  that CONTRACT, speakign to a Eprson") == (
        "taking that contract, speaking to a person"
    )
