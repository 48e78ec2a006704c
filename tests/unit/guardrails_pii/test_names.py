"""Names where the text says so (cues, honorifics, contact blocks), not product names."""

from __future__ import annotations

import pytest

from app.guardrails.pii import PiiDetector
from tests.unit.guardrails_pii.conftest import found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hi, my name is Jane Roe and my order is late", "Jane Roe"),
        ("Name: Martim A Pereira", "Martim A Pereira"),
        ("Please ask Mr. O'Connor to call me", "O'Connor"),
        ("This is Dr. Anette Lahtela speaking", "Anette Lahtela"),
        ("What's your last name? Magnusson", "Magnusson"),
        ("sometimes people call me višeslav", "višeslav"),
        ("Thanks,\nMaria Gonzalez", "Maria Gonzalez"),
        ("I'm Sofia Hernandez, and my zip code is 98193.", "Sofia Hernandez"),
        ("Please remove my son Mario from the account", "Mario"),
        ("Maybe it's under Mathias Ruud", "Mathias Ruud"),
        ("Sandra lives on the third floor", "Sandra"),
    ],
)
def test_names_with_cues(detector: PiiDetector, text: str, name: str) -> None:
    assert found(detector.find(text), "PERSON") == [name]


def test_name_line_above_an_address_is_a_name(detector: PiiDetector) -> None:
    text = "Gyala Antall\n3369 24 Clarke Avenue\nApt. 805\nPines Beach"
    assert found(detector.find(text), "PERSON") == ["Gyala Antall"]


def test_later_mentions_of_a_found_name(detector: PiiDetector) -> None:
    text = "The film was directed by Joakim Westgård and starring Westgård himself."
    assert found(detector.find(text), "PERSON") == ["Joakim Westgård", "Westgård"]


def test_cue_rules_work_without_name_lists() -> None:
    bare = PiiDetector(name_lists=False)
    assert found(bare.find("My name is Zizi Kónya"), "PERSON") == ["Zizi Kónya"]
    assert found(bare.find("Mathias Ruud called"), "PERSON") == []


@pytest.mark.parametrize(
    "text",
    [
        "Is the Olivia 1/4 Zip Light Jacket available in XS?",
        "Do you ship the Nadia Elements Shell to Canada?",
        "Chloe Compete Tank or Layla Tee - which is better for yoga?",
        "I need 2 pairs of Gwen Drawstring Bike Short in size 28",
        "Logan HeatTec Tee - do you have it in stock?",
        "Will the Sprite Yoga Strap arrive before June 15?",
        "Grace period for returns is 30 days right?",
        "Mark my order as a gift please",
        "Ah, I forgot the W at the beginning",
        "I'm Happy with the Endeavor Daytrip Backpack",
        "Knowledge Agency and Drake PLC are our suppliers",
        "my father retired at the age of 45",
    ],
)
def test_product_names_and_everyday_words_are_not_people(detector: PiiDetector, text: str) -> None:
    assert found(detector.find(text), "PERSON") == []


def test_catalogue_terms_are_never_people(detector: PiiDetector) -> None:
    shop = PiiDetector(allow_terms=["Calvin Klein CK One", "Annibale Colombo Sofa"])
    for question in ("Do you sell Calvin Klein?", "Anything by Annibale Colombo in oak?"):
        assert found(detector.find(question), "PERSON") != []  # brand names look like people
        assert found(shop.find(question), "PERSON") == []
    assert found(shop.find("My name is Calvin Harris"), "PERSON") == ["Calvin Harris"]
