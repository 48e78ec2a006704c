"""DummyJSON products (a list, or the API's {"products": [...]} page): terms, stock and reviews."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from rag import schema
from rag.chunking import Metadata, split_with_header, to_documents
from rag.clean import normalize_space, with_period
from rag.loaders.base import format_number, format_price, product_metadata, read_json

# Keys that tell a DummyJSON product apart from other product lists.
REQUIRED_KEYS = frozenset({"id", "title", "price", "returnPolicy", "warrantyInformation"})
REVIEWS_SECTION = "Customer reviews"
_OUT_OF_STOCK = "out of stock"


class DummyJsonProductsLoader:
    """Loads a DummyJSON products export: one product document plus one reviews document each."""

    name = "dummyjson_products"

    def matches(self, path: Path) -> bool:
        """A JSON list of products carrying DummyJSON's keys (warranty, return policy...)."""
        products = products_in(read_json(path))
        return bool(products) and all(product.keys() >= REQUIRED_KEYS for product in products)

    def load(self, path: Path) -> Iterator[Document]:
        """Per product, in file order: its facts, then its customer reviews when it has any."""
        for product in products_in(read_json(path)):
            yield from product_documents(path.name, product)


def products_in(data: Any) -> list[dict[str, Any]]:
    """The product objects of a DummyJSON file ([] when the shape does not fit)."""
    if isinstance(data, dict) and isinstance(data.get("products"), list):
        data = data["products"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        return []
    return data


def product_documents(source: str, product: Mapping[str, Any]) -> list[Document]:
    """The product's fact document and, when it has reviews, its reviews document."""
    metadata = _metadata(source, product)
    title = normalize_space(str(product["title"]))
    header = f"{title} (SKU {product['sku']})" if product.get("sku") else title
    documents = to_documents(split_with_header(header, _facts(product)), metadata)
    reviews = _review_lines(product)
    if reviews:
        review_metadata = {
            **metadata,
            schema.SECTION: REVIEWS_SECTION,
            schema.SOURCE_ID: f"{metadata[schema.SOURCE_ID]}#reviews",
        }
        review_header = f"{header} — {REVIEWS_SECTION}"
        documents += to_documents(split_with_header(review_header, reviews), review_metadata)
    return documents


def readable_category(slug: str) -> str:
    """ "kitchen-accessories" -> "Kitchen Accessories"."""
    return " ".join(word.capitalize() for word in slug.replace("_", "-").split("-") if word)


def _in_stock(product: Mapping[str, Any]) -> bool:
    status = str(product.get("availabilityStatus", "")).strip().lower()
    return int(product.get("stock") or 0) > 0 and status != _OUT_OF_STOCK


def _metadata(source: str, product: Mapping[str, Any]) -> Metadata:
    product_id = str(product["id"])
    return product_metadata(
        source=source,
        source_id=f"{source}#{product_id}",
        name=normalize_space(str(product["title"])),
        sku=str(product.get("sku") or ""),
        product_id=product_id,
        prices=[float(product["price"])],
        category=readable_category(str(product.get("category") or "")),
        in_stock=_in_stock(product),
        anchor=f"/products/{product_id}",
    )


def _facts(product: Mapping[str, Any]) -> list[str]:
    """One fact per line; the shop's terms are quoted exactly as written."""
    tags = ", ".join(str(tag) for tag in product.get("tags") or [])
    return [
        _term_line("Brand", product.get("brand")),
        f"Category: {readable_category(str(product.get('category') or ''))}.",
        f"Tags: {tags}." if tags else "",
        f"Price: {format_price(float(product['price']))}.",
        _discount_line(product),
        _stock_line(product),
        _term_line("Minimum order quantity", product.get("minimumOrderQuantity")),
        _term_line("Warranty", product.get("warrantyInformation")),
        _term_line("Shipping", product.get("shippingInformation")),
        _term_line("Return policy", product.get("returnPolicy")),
        _rating_line(product),
        normalize_space(str(product.get("description") or "")),
    ]


def _term_line(label: str, value: Any) -> str:
    return with_period(f"{label}: {value}") if value not in (None, "") else ""


def _discount_line(product: Mapping[str, Any]) -> str:
    discount = product.get("discountPercentage")
    return f"Discount: {format_number(float(discount))}%." if discount else ""


def _stock_line(product: Mapping[str, Any]) -> str:
    status = product.get("availabilityStatus") or (
        "In Stock" if _in_stock(product) else "Out of Stock"
    )
    if product.get("stock") is None:
        return f"Availability: {status}."
    units = "unit" if product["stock"] == 1 else "units"
    return f"Availability: {status} ({product['stock']} {units} in stock)."


def _rating_line(product: Mapping[str, Any]) -> str:
    rating = product.get("rating")
    if rating is None:
        return ""
    return f"Rating: {format_number(float(rating))} out of 5."


def _review_lines(product: Mapping[str, Any]) -> list[str]:
    """Rating and comment of each review (reviewer names and e-mails stay out of the index)."""
    lines = []
    for review in product.get("reviews") or []:
        date = str(review.get("date") or "")[:10]
        when = f" ({date})" if date else ""
        lines.append(
            f"- {review.get('rating')}/5{when}: {normalize_space(str(review.get('comment')))}"
        )
    if not lines:
        return []
    return [_rating_line(product), f"{len(lines)} customer reviews:", *lines]
