"""DummyJSON products: the shop's terms quoted verbatim, stock and reviews per product."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from rag.loaders import DummyJsonProductsLoader, default_registry
from tests.unit.rag.support import by_source

SOURCE = "dummyjson_products.json"


def _raw(store: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((store / SOURCE).read_text(encoding="utf-8"))
    return data


def _docs_of(documents: list[Document], product_id: int) -> dict[str, Document]:
    found = [d for d in by_source(documents, SOURCE) if d.metadata["product_id"] == str(product_id)]
    return {str(d.metadata["section"]): d for d in found}


def test_every_product_has_a_fact_document_and_a_reviews_document(
    demo_store_dir: Path, demo_documents: list[Document]
) -> None:
    products = _raw(demo_store_dir)
    docs = by_source(demo_documents, SOURCE)
    assert len(products) == 194
    assert sum(d.metadata["section"] == "" for d in docs) == 194
    assert sum(d.metadata["section"] == "Customer reviews" for d in docs) == 194


def test_terms_are_quoted_verbatim_for_every_product(
    demo_store_dir: Path, demo_documents: list[Document]
) -> None:
    for product in _raw(demo_store_dir):
        facts = _docs_of(demo_documents, product["id"])[""].page_content
        assert facts.startswith(f"{product['title']} (SKU {product['sku']})\n")
        for label, key in [
            ("Warranty", "warrantyInformation"),
            ("Shipping", "shippingInformation"),
            ("Return policy", "returnPolicy"),
            ("Minimum order quantity", "minimumOrderQuantity"),
        ]:
            assert f"{label}: {product[key]}" in facts, (product["id"], key)
        assert f"Price: ${product['price']:.2f}." in facts
        assert f"{product['availabilityStatus']} ({product['stock']} unit" in facts
        assert product["description"] in facts


def test_mascara_terms_and_metadata(demo_documents: list[Document]) -> None:
    mascara = _docs_of(demo_documents, 1)[""]
    assert "Warranty: 1 week warranty." in mascara.page_content
    assert "Return policy: No return policy." in mascara.page_content
    assert "Discount: 10.48%." in mascara.page_content
    assert mascara.metadata["price"] == 9.99
    assert mascara.metadata["category"] == "Beauty"
    assert mascara.metadata["in_stock"] is True
    assert mascara.metadata["source_id"] == "dummyjson_products.json#1"


def test_reviews_keep_rating_and_comment_but_not_reviewer_contacts(
    demo_store_dir: Path, demo_documents: list[Document]
) -> None:
    for product in _raw(demo_store_dir)[:40]:
        reviews = _docs_of(demo_documents, product["id"])["Customer reviews"].page_content
        assert reviews.startswith(f"{product['title']} (SKU {product['sku']}) — Customer reviews\n")
        for review in product["reviews"]:
            assert f"{review['rating']}/5" in reviews and review["comment"] in reviews
            assert review["reviewerEmail"] not in reviews


def test_out_of_stock_products_are_flagged(
    demo_store_dir: Path, demo_documents: list[Document]
) -> None:
    sold_out = {p["id"] for p in _raw(demo_store_dir) if p["availabilityStatus"] == "Out of Stock"}
    assert sold_out
    for product_id in sold_out:
        assert _docs_of(demo_documents, product_id)[""].metadata["in_stock"] is False


def test_api_page_shape_is_recognised_under_any_name(tmp_path: Path, demo_store_dir: Path) -> None:
    page = {"products": _raw(demo_store_dir)[:3], "total": 194, "skip": 0, "limit": 3}
    path = tmp_path / "catalogue_page.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    assert isinstance(default_registry().find(path), DummyJsonProductsLoader)
    assert len(list(DummyJsonProductsLoader().load(path))) == 6
