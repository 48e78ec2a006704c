"""Postal addresses: US/UK street lines with unit, city, state and postcode; EU styles; PO boxes."""

from __future__ import annotations

import pytest

from app.guardrails.pii import PiiDetector
from tests.unit.guardrails_pii.conftest import found


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Ship it to 1234 Elm Street, Apt 5B, Springfield, IL 62704 please",
            "1234 Elm Street, Apt 5B, Springfield, IL 62704",
        ),
        ("Send it to 221B Baker Street, London NW1 6XE.", "221B Baker Street, London NW1 6XE"),
        ("Mail it to P.O. Box 1234, Austin, TX 78701", "P.O. Box 1234, Austin, TX 78701"),
        ("PO Box 4821, Reno NV 89505", "PO Box 4821, Reno NV 89505"),
        (
            "Our office is 500 W 2nd St Suite 1900, Austin TX 78701",
            "500 W 2nd St Suite 1900, Austin TX 78701",
        ),
        (
            "Deliver to 1600 Pennsylvania Avenue NW, Washington, DC 20500 asap.",
            "1600 Pennsylvania Avenue NW, Washington, DC 20500",
        ),
        ("Flat 3, 14 Abbey Road, London NW8 9AY", "Flat 3, 14 Abbey Road, London NW8 9AY"),
        ("8 N Michigan Ave #300, Chicago, IL 60602", "8 N Michigan Ave #300, Chicago, IL 60602"),
        (
            "the parcel should go to 14 willow court, apt 2, dayton oh 45402",
            "14 willow court, apt 2, dayton oh 45402",
        ),
        (
            "Billing address:\n123 Main St\nSuite 400\nSpringfield\nIL 62704\nThanks",
            "123 Main St\nSuite 400\nSpringfield\nIL 62704",
        ),
    ],
)
def test_us_and_uk_addresses(detector: PiiDetector, text: str, address: str) -> None:
    assert found(detector.find(text), "ADDRESS") == [address]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Lieferadresse: Musterstraße 12, 10115 Berlin", "Musterstraße 12, 10115 Berlin"),
        ("Hauptstr. 5, 80331 München", "Hauptstr. 5, 80331 München"),
        ("Keizersgracht 123, 1015 CJ Amsterdam", "Keizersgracht 123, 1015 CJ Amsterdam"),
        ("Please ship to 12 rue de la Paix, 75002 Paris", "12 rue de la Paix, 75002 Paris"),
        ("Calle Mayor 10, 28013 Madrid", "Calle Mayor 10, 28013 Madrid"),
        ("ul. Marszałkowska 10, 00-590 Warszawa", "ul. Marszałkowska 10, 00-590 Warszawa"),
        ("Drottninggatan 5, 111 51 Stockholm", "Drottninggatan 5, 111 51 Stockholm"),
        ("I live at Kuusiku 7, Tallinn", "Kuusiku 7, Tallinn"),
    ],
)
def test_european_street_first_addresses(detector: PiiDetector, text: str, address: str) -> None:
    assert found(detector.find(text), "ADDRESS") == [address]


def test_corner_of_two_streets_is_one_address(detector: PiiDetector) -> None:
    text = "Meet me at the corner of ul. Cicha 86 and Leokadia Trail?"
    assert found(detector.find(text), "ADDRESS") == ["ul. Cicha 86 and Leokadia Trail"]


def test_multi_line_label_block(detector: PiiDetector) -> None:
    text = "Jane Roe\n> 6185 Pfarrgasse 91\n> Suite 170\n> MITTERLOBMING\n> Austria 26759\n"
    assert found(detector.find(text), "ADDRESS") == [
        "6185 Pfarrgasse 91\n> Suite 170\n> MITTERLOBMING\n> Austria 26759"
    ]


def test_military_addresses(detector: PiiDetector) -> None:
    spans = detector.find("PSC 7951, Box 9972\nAPO AA 69974 or USNS Foster\nFPO AP 12345")
    assert found(spans, "ADDRESS") == [
        "PSC 7951, Box 9972\nAPO AA 69974",
        "USNS Foster\nFPO AP 12345",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I ordered 2 Kenobi Trail Jacket last week",
        "Is the Mach Street Sweatshirt available in size M?",
        "Meet me at 10 am on Friday",
        "I need size 10 shoes in 2 colors",
        "Returns within 30 days, 2 items max",
        "Shipped via Royal Mail 2 days ago",
        "I bought 12 Apple Watch Series 4 units",
        "Ship 3 Crown Summit Backpack to my office",
        "We returned to Mill Village by helicopter.",
    ],
)
def test_product_names_quantities_and_times_are_not_addresses(
    detector: PiiDetector, text: str
) -> None:
    assert found(detector.find(text), "ADDRESS") == []


def test_address_stops_at_the_sentence_and_leaves_the_phone(detector: PiiDetector) -> None:
    text = "515 385 Gemsbok St\n Apt. 460\n Pietersburg\n South Africa 89082\n085 175 7641-Office"
    spans = detector.find(text)
    assert [(s.entity, s.text) for s in spans] == [
        ("ADDRESS", "515 385 Gemsbok St\n Apt. 460\n Pietersburg\n South Africa 89082"),
        ("PHONE", "085 175 7641"),
    ]
