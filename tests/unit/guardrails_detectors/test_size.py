"""The size and encoding guard: what it stops and what it must let through."""

from __future__ import annotations

import pytest

from app.guardrails.detectors.size import MAX_CHARS, SizeDetector


@pytest.fixture
def size() -> SizeDetector:
    return SizeDetector()


@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n"])
def test_empty_or_blank_is_flagged(size: SizeDetector, text: str) -> None:
    detection = size.detect(text)
    assert detection.flagged and detection.detail == "empty"


def test_limit_is_4000_characters(size: SizeDetector) -> None:
    assert not size.detect("a" * MAX_CHARS).flagged
    over = size.detect("a" * (MAX_CHARS + 1))
    assert over.flagged and over.detail.startswith("too_long")


def test_huge_input_is_judged_without_scanning_it(size: SizeDetector) -> None:
    assert size.detect("x\x00" * 5_000_000).detail.startswith("too_long")


@pytest.mark.parametrize(
    "text",
    [
        "where is my order?\x00",
        "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        "\ufffd\ufffd\ufffd\ufffd\ufffdJFIF\ufffd\ufffd",
        "bad decode \udc8f here",
    ],
)
def test_binary_is_flagged(size: SizeDetector, text: str) -> None:
    assert size.detect(text).detail == "binary"


@pytest.mark.parametrize(
    "text",
    [
        "my order \x1b[31mRED\x1b[0m is late",
        "ring the bell\x07 please",
        "invoice \u202etxt.exe",
        "price\x85 list",
    ],
)
def test_control_characters_are_flagged(size: SizeDetector, text: str) -> None:
    assert size.detect(text).detail.startswith("control_chars")


@pytest.mark.parametrize(
    "text",
    [
        "Love the hoodie 😍👍🏽 thanks!",
        "family pack 👨‍👩‍👧‍👦 and ❤️ and 🏳️‍🌈",
        "Größe 38, Farbe: weiß — geht das?",
        "注文はいつ届きますか？",
        "line one\nline two\r\n\ttabbed",
        "my order \ufffd is late",  # one stray replacement character is a typo, not binary
    ],
)
def test_ordinary_text_passes(size: SizeDetector, text: str) -> None:
    detection = size.detect(text)
    assert not detection.flagged and detection.score == 0.0
