"""E-mails, phones, cards, IBANs, SSNs and IPs in the formats shoppers write them."""

from __future__ import annotations

import pytest

from app.guardrails.pii import PiiDetector
from app.guardrails.pii_patterns import iban_valid, luhn_valid
from tests.unit.guardrails_pii.conftest import found


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("my email is jane.doe@example.com thanks", "jane.doe@example.com"),
        ("Use JANE+orders@mail.shop.co.uk please", "JANE+orders@mail.shop.co.uk"),
        ("reach me at o'brien_k-9@sub.domain.example.org.", "o'brien_k-9@sub.domain.example.org"),
        ("Sure, it's isabella.lopez3271@example.com.", "isabella.lopez3271@example.com"),
        ("(mail: a.b@c.io)", "a.b@c.io"),
    ],
)
def test_emails_with_plus_dots_and_subdomains(detector: PiiDetector, text: str, email: str) -> None:
    assert found(detector.find(text), "EMAIL") == [email]


@pytest.mark.parametrize("text", ["ping me @home", "price@2x", "a@b", "user@localhost"])
def test_not_emails(detector: PiiDetector, text: str) -> None:
    assert found(detector.find(text), "EMAIL") == []


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Call me on +1 (415) 555-0134 after 5", "+1 (415) 555-0134"),
        ("my number: 415.555.0134", "415.555.0134"),
        ("UK office +44 20 7946 0958.", "+44 20 7946 0958"),
        ("text 07700 900123 when it ships", "07700 900123"),
        ("Desk: (898)666-3621x0135", "(898)666-3621x0135"),
        ("Tel. 020 7946 0958", "020 7946 0958"),
        ("call 001-518-640-0854 tomorrow", "001-518-640-0854"),
        ("Bitte ruf +49 30 901820 an", "+49 30 901820"),
        ("Phone:\n9469 9966", "9469 9966"),
        ("085 175 7641-Office", "085 175 7641"),
        ("Mobile: 432 03 163", "432 03 163"),
    ],
)
def test_phones_national_and_international(detector: PiiDetector, text: str, phone: str) -> None:
    assert found(detector.find(text), "PHONE") == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "Order #W2378156 has not arrived",
        "I try to cancel purchase 113542617735902",
        "the item ID 6259501109 is broken",
        "ordered on 2023-10-12 and again 12/05/2023",
        "it costs $1,299.99 for 3 units",
        "my zip code is 98193",
        "My driver's license number is 6940579",
        "sizes 28 30 32 34 36",
    ],
)
def test_order_ids_dates_prices_are_not_phones(detector: PiiDetector, text: str) -> None:
    assert detector.find(text) == []


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("card 4111 1111 1111 1111 expires 05/27", "4111 1111 1111 1111"),
        ("My Visa is 4111-1111-1111-1111", "4111-1111-1111-1111"),
        ("amex 3782 822463 10005 please", "3782 822463 10005"),
        ("charge 5555555555554444 now", "5555555555554444"),
        ("my credit card number is 6011000990139424", "6011000990139424"),
    ],
)
def test_cards_with_spaces_dashes_or_bare(detector: PiiDetector, text: str, card: str) -> None:
    assert found(detector.find(text), "CREDIT_CARD") == [card]


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1112 expires 05/27",  # Luhn fails
        "my card is 1234 5678 9012 3456",  # Luhn fails
        "4111 11111 111 1111",  # odd grouping
    ],
)
def test_luhn_invalid_or_oddly_grouped_numbers_are_not_cards(
    detector: PiiDetector, text: str
) -> None:
    assert found(detector.find(text), "CREDIT_CARD") == []


def test_luhn_check() -> None:
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        ("My IBAN is GB82 WEST 1234 5698 7654 32 ok", "GB82 WEST 1234 5698 7654 32"),
        ("IBAN: DE89370400440532013000.", "DE89370400440532013000"),
        ("send to fr1420041010050500013m02606", "fr1420041010050500013m02606"),
        ("NL91ABNA0417164300", "NL91ABNA0417164300"),
    ],
)
def test_valid_ibans(detector: PiiDetector, text: str, iban: str) -> None:
    assert found(detector.find(text), "IBAN") == [iban]


@pytest.mark.parametrize(
    "candidate",
    ["GB82 WEST 1234 5698 7654 33", "DE89370400440532013001", "XX82WEST12345698765432", "GB82"],
)
def test_invalid_ibans_fail_mod_97(detector: PiiDetector, candidate: str) -> None:
    assert not iban_valid(candidate)
    assert found(detector.find(f"My IBAN is {candidate}"), "IBAN") == []


def test_ssn_and_ip(detector: PiiDetector) -> None:
    spans = detector.find("SSN 123-45-6789, from 192.168.10.254 and 2001:db8::8a2e:370:7334")
    assert [(s.entity, s.text) for s in spans] == [
        ("US_SSN", "123-45-6789"),
        ("IP_ADDRESS", "192.168.10.254"),
        ("IP_ADDRESS", "2001:db8::8a2e:370:7334"),
    ]


def test_version_numbers_and_invalid_ssns_are_left_alone(detector: PiiDetector) -> None:
    assert detector.find("app version 1.2.3.4 crashed; ref 000-12-3456; 999.1.1.1") == []


def test_a_card_is_not_also_a_phone(detector: PiiDetector) -> None:
    spans = detector.find("Call me about card 4111 1111 1111 1111")
    assert [s.entity for s in spans] == ["CREDIT_CARD"]
