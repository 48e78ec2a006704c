"""Magento product CSV: a fact-dense document per configurable product, exact prices, options."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from langchain_core.documents import Document

from rag.loaders import MagentoPagesLoader, MagentoProductsLoader, default_registry
from tests.unit.rag.support import by_source, csv_header, write_csv

SOURCE = "luma_products.csv"


def _raw_rows(store: Path) -> list[dict[str, str]]:
    with (store / SOURCE).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _product(documents: list[Document], sku: str) -> Document:
    found = [doc for doc in by_source(documents, SOURCE) if doc.metadata["sku"] == sku]
    assert len(found) == 1
    return found[0]


def test_every_configurable_product_becomes_one_document(
    demo_store_dir: Path, demo_documents: list[Document]
) -> None:
    configurable = [
        r["sku"] for r in _raw_rows(demo_store_dir) if r["product_type"] == "configurable"
    ]
    docs = by_source(demo_documents, SOURCE)
    assert len(configurable) == 147
    assert sorted(doc.metadata["sku"] for doc in docs) == sorted(configurable)


def test_chaz_kangeroo_hoodie_facts(demo_documents: list[Document]) -> None:
    doc = _product(demo_documents, "MH01")
    lines = doc.page_content.splitlines()
    assert lines[0] == "Chaz Kangeroo Hoodie (SKU MH01)"
    assert "Price: $52.00." in lines
    assert "Sizes: XS, S, M, L, XL." in lines
    assert "Colours: Black, Gray, Orange." in lines
    assert "Availability: in stock (15 of 15 variants in stock)." in lines
    assert "Category: Men > Tops > Hoodies & Sweatshirts." in doc.page_content
    assert "• Drawstring-adjustable hood." in lines
    assert doc.metadata["chunk_count"] == 1
    assert doc.metadata["price"] == 52.0 and doc.metadata["price_max"] == 52.0
    assert doc.metadata["category"] == "Men > Tops > Hoodies & Sweatshirts"
    assert doc.metadata["in_stock"] is True
    assert doc.metadata["anchor"] == "/catalog/chaz-kangeroo-hoodie"
    assert doc.metadata["source_id"] == "luma_products.csv#MH01"
    assert doc.metadata["doc_type"] == "product" and doc.metadata["section"] == ""


def test_every_price_is_quoted_exactly_as_in_the_file(
    demo_store_dir: Path, demo_documents: list[Document]
) -> None:
    rows = _raw_rows(demo_store_dir)
    for row in rows:
        if row["product_type"] == "configurable":
            doc = _product(demo_documents, row["sku"])
            assert f"Price: ${float(row['price']):.2f}." in doc.page_content, row["sku"]
            assert doc.metadata["price"] == float(row["price"])


def _shop_rows() -> list[dict[str, str]]:
    def variant(size: str, color: str, price: str, qty: str) -> dict[str, str]:
        return {
            "sku": f"T1-{size}-{color}", "product_type": "simple", "name": f"Trail Tee-{size}",
            "price": price, "visibility": "Not Visible Individually", "qty": qty,
            "is_in_stock": "1" if qty != "0" else "0",
            "additional_attributes": f"size={size},color={color}",
        }  # fmt: skip

    variants = [
        variant("S", "Red", "40", "5"),
        variant("S", "Blue", "40", "0"),
        variant("M", "Red", "45", "0"),
        variant("M", "Blue", "45", "0"),
    ]
    parent = {
        "sku": "T1", "product_type": "configurable", "name": "Trail Tee", "price": "40",
        "visibility": "Catalog, Search", "is_in_stock": "1",
        "categories": "Default Category/Women/Tops/Tees",
        "description": "<p>Light tee.</p>",
        "configurable_variations": "|".join(
            f"sku={v['sku']},{v['additional_attributes']}" for v in variants
        ),
    }  # fmt: skip
    standalone = {
        "sku": "B1", "product_type": "simple", "name": "Water Bottle", "price": "7.5",
        "visibility": "Catalog, Search", "qty": "3", "is_in_stock": "1",
    }  # fmt: skip
    return [*variants, parent, standalone]


def test_variant_prices_and_stock_that_differ_are_spelled_out(
    demo_store_dir: Path, tmp_path: Path
) -> None:
    columns = csv_header(demo_store_dir / SOURCE)
    path = write_csv(tmp_path / "shop_export.csv", _shop_rows(), columns)
    docs = list(MagentoProductsLoader().load(path))
    tee, bottle = docs
    assert "Price: $40.00–$45.00." in tee.page_content
    assert "Availability: in stock (1 of 4 variants in stock)." in tee.page_content
    assert "In stock by size (colours available): S (Red); M (sold out)." in tee.page_content
    assert (tee.metadata["price"], tee.metadata["price_max"]) == (40.0, 45.0)
    assert bottle.page_content.startswith("Water Bottle (SKU B1)\nPrice: $7.50.")
    assert bottle.metadata["in_stock"] is True


def test_renamed_exports_are_recognised_by_their_columns(
    demo_store_dir: Path, tmp_path: Path
) -> None:
    products = shutil.copyfile(demo_store_dir / SOURCE, tmp_path / "catalog_2024.csv")
    pages = shutil.copyfile(demo_store_dir / "luma_pages.csv", tmp_path / "cms_export.csv")
    other = write_csv(tmp_path / "luma_products.csv", [{"a": "1"}], ["a", "b"])
    registry = default_registry()
    assert isinstance(registry.find(products), MagentoProductsLoader)
    assert isinstance(registry.find(pages), MagentoPagesLoader)
    assert registry.find(other) is None
    assert len(list(MagentoProductsLoader().load(products))) == 147
