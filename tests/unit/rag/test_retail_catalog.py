"""Retail catalogue: product types with every variant line; customers and orders stay out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from tests.unit.rag.support import by_source

SOURCE = "retail_db.json"


def _raw(store: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((store / SOURCE).read_text(encoding="utf-8"))
    return data


def test_one_product_type_per_source_id(
    demo_store_dir: Path, demo_documents: list[Document]
) -> None:
    products = _raw(demo_store_dir)["products"]
    docs = by_source(demo_documents, SOURCE)
    assert len(products) == 50
    assert {d.metadata["product_id"] for d in docs} == set(products)


def test_every_variant_is_listed_once_with_price_and_availability(
    demo_store_dir: Path, demo_documents: list[Document]
) -> None:
    docs = by_source(demo_documents, SOURCE)
    for product_id, product in _raw(demo_store_dir)["products"].items():
        chunks = [d.page_content for d in docs if d.metadata["product_id"] == product_id]
        header = f"{product['name']} (product {product_id})"
        assert all(chunk.startswith(header + "\n") for chunk in chunks)
        assert all(len(chunk) <= 1000 for chunk in chunks)
        text = "\n".join(chunks)
        for item_id, variant in product["variants"].items():
            options = " / ".join(str(v) for v in variant["options"].values())
            state = "available" if variant["available"] else "unavailable"
            line = f"- {options} — ${variant['price']:.2f}, {state}, item {item_id}"
            assert text.count(line) == 1, line


def test_t_shirt_summary(demo_documents: list[Document]) -> None:
    chunks = [d for d in by_source(demo_documents, SOURCE) if d.metadata["title"] == "T-Shirt"]
    first = chunks[0].page_content
    assert "- blue / M / cotton / crew neck — $50.88, available, item 9612497925" in first
    assert "size: S, M, L, XL, XXL" in first
    assert chunks[0].metadata["price"] <= 50.88 <= chunks[0].metadata["price_max"]


def test_long_variant_lists_are_split(demo_documents: list[Document]) -> None:
    split = [d for d in by_source(demo_documents, SOURCE) if d.metadata["chunk_count"] > 1]
    assert split


def test_customers_and_orders_are_not_loaded(
    demo_store_dir: Path, demo_documents: list[Document]
) -> None:
    data = _raw(demo_store_dir)
    user = next(iter(data["users"].values()))
    order_id = next(iter(data["orders"]))
    text = "\n".join(d.page_content for d in by_source(demo_documents, SOURCE))
    assert user["email"] not in text and user["name"]["last_name"] not in text
    assert order_id not in text
