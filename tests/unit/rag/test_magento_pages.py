"""Magento CMS pages: one policy chunk per section, shipping table as rows, no markup left."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from langchain_core.documents import Document

from rag.loaders import MagentoPagesLoader
from tests.unit.rag.support import by_source, with_section, write_csv

SOURCE = "luma_pages.csv"
PAGE_COLUMNS = ["title", "identifier", "content_heading", "content", "is_active"]


def _pages(documents: list[Document]) -> list[Document]:
    return by_source(documents, SOURCE)


def test_shipping_rate_rows_keep_every_number(demo_documents: list[Document]) -> None:
    shipping = "\n".join(
        d.page_content for d in with_section(_pages(demo_documents), "Shipping and Delivery")
    )
    assert (
        "Merchandise total up to $200: Standard (5—7 day shipping) $16; "
        "Priority (2—3 day shipping) $26; Overnight (next business day) $33."
    ) in shipping
    assert "Merchandise total over $1000.00: Standard (5—7 day shipping) $34;" in shipping
    assert "Note on Merchandise total: before tax and additional charges." in shipping


def test_every_amount_of_the_customer_service_page_is_in_its_chunks(
    demo_store_dir: Path, demo_documents: list[Document]
) -> None:
    with (demo_store_dir / SOURCE).open(newline="", encoding="utf-8") as handle:
        page = next(r for r in csv.DictReader(handle) if r["identifier"] == "customer-service")
    amounts = set(re.findall(r"\$[\d,.]*\d", page["content"]))
    text = "\n".join(
        d.page_content
        for d in _pages(demo_documents)
        if "#customer-service#" in d.metadata["source_id"]
    )
    assert len(amounts) >= 12
    assert {amount for amount in amounts if amount not in text} == set()


def test_return_window_sits_in_the_returns_section(demo_documents: list[Document]) -> None:
    (returns,) = with_section(_pages(demo_documents), "Returns and Replacements")
    assert (
        "Merchandise must be returned within 30 days of receipt of merchandise."
        in returns.page_content
    )
    assert returns.page_content.startswith("Customer Service > Returns and Replacements\n")
    assert returns.metadata["title"] == "Customer Service"
    assert returns.metadata["anchor"] == "/customer-service#returns-and-replacements"
    assert (
        returns.metadata["source_id"] == "luma_pages.csv#customer-service#returns-and-replacements"
    )
    assert returns.metadata["doc_type"] == "policy"


def test_subsections_carry_their_heading_path(demo_documents: list[Document]) -> None:
    (gifts,) = with_section(_pages(demo_documents), "Returning Gifts")
    first_line = gifts.page_content.splitlines()[0]
    assert first_line == "Customer Service > Returns and Replacements > Returning Gifts"
    assert "$2,000.00" in gifts.page_content


def test_split_sections_repeat_their_heading(demo_documents: list[Document]) -> None:
    split = [d for d in _pages(demo_documents) if d.metadata["chunk_count"] > 1]
    assert split, "the privacy policy has sections longer than one chunk"
    for doc in split:
        header = f"{doc.metadata['title']} > {doc.metadata['section']}"
        assert doc.page_content.startswith(header + "\n")
        assert len(doc.page_content) <= 1000


def test_home_page_and_navigation_menus_are_left_out(demo_documents: list[Document]) -> None:
    pages = _pages(demo_documents)
    assert not [d for d in pages if "#home#" in d.metadata["source_id"]]
    assert not [d for d in pages if "Privacy Menu" in d.page_content]
    assert {d.metadata["title"] for d in pages} == {
        "About us",
        "Privacy Policy",
        "Customer Service",
    }


def test_widget_only_and_inactive_pages_give_no_chunks(tmp_path: Path) -> None:
    rows = [
        {"title": "Home", "identifier": "home", "content": '{{widget type="Slider" id="1"}}'},
        {"title": "Old", "identifier": "old", "content": "<p>Gone.</p>", "is_active": "0"},
        {
            "title": "Welcome",
            "identifier": "home-2",
            "content": "<p>Free returns on all orders.</p>",
        },
    ]
    docs = list(MagentoPagesLoader().load(write_csv(tmp_path / "pages.csv", rows, PAGE_COLUMNS)))
    assert [(d.page_content, d.metadata["anchor"]) for d in docs] == [
        ("Welcome\nFree returns on all orders.", "/home-2")
    ]
