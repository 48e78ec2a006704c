"""Redaction: typed placeholders the bot can restore, hard redaction that forgets."""

from __future__ import annotations

import copy
import logging
import pickle

import pytest

from app.guardrails.base import PiiSpan
from app.guardrails.pii import PiiDetector
from app.guardrails.redaction import PiiVault, Redactor, foreign_pii


@pytest.fixture(scope="module")
def redactor(detector: PiiDetector) -> Redactor:
    """The default policy on the shared detector."""
    return Redactor(find=detector.find)


def test_default_policy_placeholders_and_hard_redaction(redactor: Redactor) -> None:
    vault = PiiVault()
    text = "I'm Jane Roe, mail jane@example.com, card 4111 1111 1111 1111, call +1 415 555 0134"
    result = redactor.redact(text, vault)
    assert result.text == ("I'm [PERSON_1], mail [EMAIL_1], card [CREDIT_CARD], call [PHONE_1]")
    assert result.entities == ("CREDIT_CARD", "EMAIL", "PERSON", "PHONE")
    assert vault.restore(result.text) == (
        "I'm Jane Roe, mail jane@example.com, card [CREDIT_CARD], call +1 415 555 0134"
    )


def test_same_value_keeps_its_placeholder_across_turns(redactor: Redactor) -> None:
    vault = PiiVault()
    first = redactor.redact("My email is Jane@Example.com", vault)
    second = redactor.redact("Did you send it to other@example.com or jane@example.com?", vault)
    assert first.text == "My email is [EMAIL_1]"
    assert second.text == "Did you send it to [EMAIL_2] or [EMAIL_1]?"
    # The bot may put a value back only where it needs it (an order look-up by e-mail).
    answer = "I found your order under [EMAIL_1]; [PERSON_9] is unknown."
    assert (
        vault.restore(answer) == "I found your order under Jane@Example.com; [PERSON_9] is unknown."
    )
    assert vault.restore("[EMAIL_2] and [PHONE_1]", entities={"PHONE"}) == "[EMAIL_2] and [PHONE_1]"


def test_redact_mode_forgets_but_still_recognises(redactor: Redactor) -> None:
    vault = PiiVault()
    result = redactor.redact("IBAN GB82 WEST 1234 5698 7654 32 please", vault)
    assert result.text == "IBAN [IBAN] please"
    assert len(vault) == 0
    assert vault.restore(result.text) == result.text
    assert vault.seen("IBAN", "GB82WEST12345698765432")
    assert not vault.seen("IBAN", "DE89370400440532013000")


def test_policy_per_type(detector: PiiDetector) -> None:
    keep_names = Redactor({"PERSON": "keep", "EMAIL": "redact"}, find=detector.find)
    vault = PiiVault()
    result = keep_names.redact("My name is Jane Roe, jane@example.com", vault)
    assert result.text == "My name is Jane Roe, [EMAIL]"
    assert [r.mode for r in result.redactions] == ["keep", "redact"]


def test_unknown_types_are_redacted_and_given_spans_are_used(detector: PiiDetector) -> None:
    redactor = Redactor(find=detector.find)
    span = PiiSpan(9, 16, "PASSPORT", "X123456")
    result = redactor.redact("Passport X123456 ok", PiiVault(), spans=[span])
    assert result.text == "Passport [PASSPORT] ok"


def test_vault_never_shows_values(redactor: Redactor, caplog: pytest.LogCaptureFixture) -> None:
    vault = PiiVault()
    result = redactor.redact("jane@example.com and 4111 1111 1111 1111", vault)
    logging.getLogger("test").warning("turn redacted: %s %s %r", result, vault, vault)
    assert "jane@example.com" not in caplog.text
    assert "4111" not in caplog.text
    assert "EMAIL=1" in repr(vault)
    with pytest.raises(TypeError):
        pickle.dumps(vault)
    with pytest.raises(TypeError):
        copy.deepcopy(vault)


def test_text_without_pii_is_unchanged(redactor: Redactor) -> None:
    result = redactor.redact("Where is my order #W2378156?", PiiVault())
    assert result.text == "Where is my order #W2378156?"
    assert not result.changed


def test_leak_check_flags_only_pii_the_shopper_did_not_give(
    detector: PiiDetector, redactor: Redactor
) -> None:
    vault = PiiVault()
    redactor.redact("I'm Jane Roe, 1234 Elm Street, Springfield, IL 62704, jane@example.com", vault)
    answer = (
        "Thanks Jane, your parcel goes to Springfield, IL 62704 and the receipt to "
        "jane@example.com; the other order belongs to bob.smith@example.org."
    )
    leaks = foreign_pii(detector.find(answer), vault)
    assert [s.text for s in leaks] == ["bob.smith@example.org"]
