"""Odd input never raises, and adversarial 4,000-character strings finish fast."""

from __future__ import annotations

import time

import pytest

from app.guardrails.base import PiiSpan
from app.guardrails.pii import PiiDetector

ADVERSARIAL = {
    "digits": "1" * 4000,
    "spaced digits": "1 " * 2000,
    "at signs": "a@" * 2000,
    "dots then at": "a." * 2000 + "@x",
    "phone separators": "+" + "1-" * 1999,
    "numbers and capitals": "1 A " * 1000,
    "street words": "1234 " + "Elm " * 995 + "Street",
    "honorifics": "Mr. " * 1000,
    "name list": ",".join(["Anna"] * 800),
    "newlines": "\n" * 4000,
    "iban starts": "GB82 " * 800,
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_input_finishes_fast(detector: PiiDetector, text: str) -> None:
    began = time.perf_counter()
    detector.find(text)
    assert time.perf_counter() - began < 0.5  # linear patterns: tens of ms on a busy CPU


@pytest.mark.parametrize(
    "text", ["", " ", "\x00\x01\x02", "\ufffd" * 50, "€" * 10, "🙂 jane@example.com 🙂"]
)
def test_odd_input_never_raises(detector: PiiDetector, text: str) -> None:
    detection = detector.detect(text)
    assert detection.detector == "pii"
    assert detection.flagged == ("@" in text)


def test_detect_reports_types_and_spans(detector: PiiDetector) -> None:
    detection = detector.detect("Call +44 20 7946 0958 or mail jane@example.com")
    assert detection.flagged and detection.detail == "EMAIL,PHONE"
    assert [s.entity for s in detection.spans] == ["PHONE", "EMAIL"]
    assert 0 < detection.score <= 1


def test_entity_subset_and_unknown_types() -> None:
    emails_only = PiiDetector(frozenset({"EMAIL"}))
    spans = emails_only.find("I'm Jane Roe, jane@example.com, +44 20 7946 0958")
    assert [s.entity for s in spans] == ["EMAIL"]
    with pytest.raises(ValueError, match="unknown PII entities"):
        PiiDetector(frozenset({"EMAIL", "SHOE_SIZE"}))


def test_an_internal_error_is_raised_never_reported_as_clean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A bug inside the detector (injected here) must not let unchecked text pass as clean.
    detector = PiiDetector(name_lists=False)

    def broken(text: str) -> list[PiiSpan]:
        raise RuntimeError("detector bug")

    monkeypatch.setattr(detector, "find", broken)
    with pytest.raises(RuntimeError, match="detector bug"):
        detector.detect("mail me at jane@example.com")
