"""Real shop text: customer requests, catalogue names and shop chatter raise (almost) nothing."""

from __future__ import annotations

import csv
import json
import re

import pytest

from app.guardrails.pii import PiiDetector
from tests.support import require
from tests.unit.guardrails_pii.conftest import STORE_DIR, dev_path, found

SHOP_LINES = [
    "Do you have the MH01-XS-Black in stock?",
    "The Hero Hoodie costs $52.00, is there a discount?",
    "Where is my order #W2378156?",
    "I ordered on 2023-10-12 and it's still not here",
    "It was delivered on 12/05/2023 at 10:30",
    "I need size 10 shoes, preferably black",
    "The price is 1,299.99 USD for 3 units",
    "Call center hours are 9 am to 5 pm, Monday to Friday",
    "My tracking number is 1Z999AA10123456784",
    "It weighs 2.5 kg and measures 30 x 40 x 10 cm",
    "Promo code SUMMER2024 did not work",
    "I have 4 orders: #W1234567, #W7654321, #W1111111 and #W2222222",
    "The Apollo Running Short comes in 32, 33, 34 and 36",
    "Order 4 x Fusion Backpack, SKU 24-MB02",
    "My invoice number INV-2024-000123 is wrong",
    "I'm really disappointed, the parcel is 2 weeks late!",
    "Can you deliver by Friday 3rd March?",
]


@pytest.mark.parametrize("text", SHOP_LINES)
def test_shop_chatter_has_no_pii(detector: PiiDetector, text: str) -> None:
    assert detector.find(text) == []


def test_bitext_requests_are_almost_never_flagged(detector: PiiDetector) -> None:
    with dev_path("bitext_customer_support.csv").open(encoding="utf-8") as handle:
        requests = [row["instruction"] for row in csv.DictReader(handle)]
    flagged = {text: detector.find(text) for text in requests}
    flagged = {text: spans for text, spans in flagged.items() if spans}
    # The requests carry raw order numbers ("cancel purchase 113542617735902"): none is PII.
    assert sum(bool(re.search(r"\d{6,}", t)) for t in requests) > 300
    assert all(s.entity == "PERSON" for spans in flagged.values() for s in spans)
    # The only hits are the people some requests name ("the bill from Mr. Jones").
    assert all(re.search(r"\b(?:from|rfom|Mr\.|Ms\.)\s", text) for text in flagged)
    assert len(flagged) / len(requests) < 0.04


def test_catalogue_product_names_are_not_pii(detector: PiiDetector) -> None:
    path = STORE_DIR / "luma_products.csv"
    require(path.is_file(), f"demo store missing: {path} (run `make data`)")
    with path.open(encoding="utf-8") as handle:
        names = {
            r["name"].strip() for r in csv.DictReader(handle) if r["product_type"] == "configurable"
        }
    questions = [f"Is the {n} available in size M?" for n in sorted(names)]
    questions += [f"I ordered 2 {n} last week, where is it?" for n in sorted(names)]
    hits = [(q, found(detector.find(q))) for q in questions]
    assert [h for h in hits if h[1]] == []


def test_retail_dialogues_find_what_shoppers_give(detector: PiiDetector) -> None:
    lines = []
    for raw in dev_path("tau_retail_dialogues.jsonl").read_text(encoding="utf-8").splitlines():
        dialogue = json.loads(raw)["messages_display"]
        lines += [line[5:] for line in dialogue.split("\n") if line.startswith("user:")]
    spans = [s for line in lines for s in detector.find(line)]
    emails = [line for line in lines if re.search(r"\w@\w", line)]
    assert len([s for s in spans if s.entity == "EMAIL"]) >= len(emails) > 10
    assert {s.entity for s in spans} <= {"EMAIL", "PERSON", "ADDRESS"}  # no order/item ids
    assert any(s.text == "1234 Elm St, Springfield, IL, 62701" for s in spans)
