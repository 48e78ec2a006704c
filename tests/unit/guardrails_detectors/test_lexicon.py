"""Toxicity word lists: swearing is masked, name-calling, threats and slurs are recognised."""

from __future__ import annotations

import pytest

from app.guardrails.detectors.lexicon import (
    INSULT,
    SLUR,
    THREAT,
    has_mild_profanity,
    mask_mild_profanity,
)
from app.guardrails.detectors.topic import conversational


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("where the hell is my damn parcel?", "where the is my parcel?"),
        ("this f***ing order is late again", "this order is late again"),
        ("this fucking order is late AGAIN", "this order is late AGAIN"),
        ("my refund is f*cking late, wtf", "my refund is late,"),
        ("sh!t, the zip broke", ", the zip broke"),
    ],
)
def test_mild_profanity_is_masked(text: str, masked: str) -> None:
    assert has_mild_profanity(text)
    assert mask_mild_profanity(text) == masked


@pytest.mark.parametrize(
    "text",
    ["Where is my parcel?", "I'd like to shell out for the deluxe hamper", "Hello, Dr Assam"],
)
def test_clean_text_has_no_profanity(text: str) -> None:
    assert not has_mild_profanity(text)


@pytest.mark.parametrize(
    "text",
    [
        "you are a stupid idiot",
        "your staff are useless morons",
        "fuck you",
        "shut up you worthless bot",
        "stupid bot",
        "you are a useless bot",
        "you useless machine, answer me",
        "you guys are such clowns",
        "the courier is an a**hole",
        "go to hell",
    ],
)
def test_name_calling_is_an_insult(text: str) -> None:
    assert INSULT.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "I will find you and hurt you",
        "I'm going to burn your store down",
        "I know where you live",
        "I hope you die",
        "you will regret this",
    ],
)
def test_threats_are_recognised(text: str) -> None:
    assert THREAT.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "your service is terrible and your support is a joke",
        "I'm so angry, this is the third late delivery",
        "I will find another shop if this happens again",
        "I'd kill for a coffee right now",
        "this product is garbage, I want a refund",
        "I'll beat any price you quote, said the other shop",
        "this stupid washing machine broke after a week",
        "my robot vacuum is useless on carpets",
        "are you a bot or a real person?",
        "dumb question: is the chat bot available at night?",
    ],
)
def test_complaints_are_neither_insults_nor_threats(text: str) -> None:
    assert not INSULT.search(text) and not THREAT.search(text) and not SLUR.search(text)


def test_slur_stems_match_words_not_substrings() -> None:
    assert SLUR.search("you f*ggot")
    assert not SLUR.search("the raccoon plush and the cocoons kit")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("hi", "short"),
        ("thanks a lot", "small talk"),
        ("hey, quick question", "small talk"),
        ("Good morning! Thank you so much", "small talk"),
        ("I want to talk to a human", "human"),
        ("can you put me through to a real person please", "human"),
        ("agent please", "human"),
        ("and in orange?", ""),
        ("write a poem about the sea", ""),
    ],
)
def test_conversational_messages_are_recognised(text: str, reason: str) -> None:
    assert conversational(text) == reason
