"""Small store-like Documents shaped the way the loaders build them (see rag/schema.py)."""

from __future__ import annotations

from typing import Any

from langchain_core.documents import Document

from rag.schema import (
    ANCHOR,
    CATEGORY,
    DOC_TYPE,
    IN_STOCK,
    NAME,
    PRICE,
    PRICE_MAX,
    PRODUCT_ID,
    SECTION,
    SKU,
    SOURCE,
    SOURCE_ID,
    TITLE,
)

PRODUCTS_FILE = "luma_products.csv"
PAGES_FILE = "luma_pages.csv"


def product(
    sku: str,
    name: str,
    *,
    price: float,
    price_max: float | None = None,
    category: str = "Men > Tops > Jackets",
    in_stock: bool = True,
    body: str = "",
) -> Document:
    """A product chunk: name, SKU, price line, stock line, category and a description."""
    high = price if price_max is None else price_max
    price_line = f"Price: ${price:.2f}." if high == price else f"Price: ${price:.2f}-${high:.2f}."
    stock = "in stock" if in_stock else "out of stock"
    text = (
        f"{name} (SKU {sku})\n{price_line}\nAvailability: {stock}.\nCategory: {category}.\n{body}"
    ).strip()
    metadata: dict[str, Any] = {
        DOC_TYPE: "product",
        SOURCE: PRODUCTS_FILE,
        SOURCE_ID: f"{PRODUCTS_FILE}#{sku}",
        TITLE: name,
        SECTION: "",
        ANCHOR: f"/catalog/{name.lower().replace(' ', '-')}",
        PRODUCT_ID: sku,
        SKU: sku,
        NAME: name,
        PRICE: price,
        PRICE_MAX: high,
        CATEGORY: category,
        IN_STOCK: in_stock,
    }
    return Document(id=f"{PRODUCTS_FILE}#{sku}:0", page_content=text, metadata=metadata)


def policy(page: str, title: str, section: str, body: str) -> Document:
    """A policy chunk: one section of a CMS page, prefixed with its heading path."""
    slug = section.lower().replace(" ", "-")
    metadata: dict[str, Any] = {
        DOC_TYPE: "policy",
        SOURCE: PAGES_FILE,
        SOURCE_ID: f"{PAGES_FILE}#{page}#{slug}",
        TITLE: title,
        SECTION: section,
        ANCHOR: f"/{page}#{slug}",
    }
    return Document(
        id=f"{PAGES_FILE}#{page}#{slug}:0",
        page_content=f"{title} > {section}\n{body}",
        metadata=metadata,
    )


def small_store() -> list[Document]:
    """Eight chunks: five products (prices, stock, categories vary) and three policy sections."""
    return [
        product(
            "MJ11",
            "Typhon Performance Fleece-lined Jacket",
            price=60.0,
            body="A fleece-lined running jacket that keeps you warm on cold morning runs.",
        ),
        product(
            "WJ06",
            "Juno Jacket",
            price=77.0,
            category="Women > Tops > Jackets",
            in_stock=False,
            body="A light, packable rain jacket with a hood for women.",
        ),
        product(
            "MSH02",
            "Apollo Running Short",
            price=32.5,
            price_max=36.0,
            category="Men > Bottoms > Shorts",
            body="Breathable running shorts with a built-in liner.",
        ),
        product(
            "WSH02",
            "Maxima Drawstring Short",
            price=28.0,
            category="Women > Bottoms > Shorts",
            body="Cotton drawstring shorts for the gym or a lazy weekend.",
        ),
        product(
            "24-UG06",
            "Affirm Water Bottle",
            price=7.0,
            category="Gear > Fitness Equipment",
            body="A 20 oz sport water bottle with a leak-proof cap.",
        ),
        policy(
            "customer-service",
            "Customer Service",
            "Returns and Replacements",
            "You may return items within 30 days of delivery for a full refund. Items must be "
            "unworn and in their original packaging. Start a return from your account page.",
        ),
        policy(
            "customer-service",
            "Customer Service",
            "Shipping and Delivery",
            "Standard shipping takes 5-7 business days and costs $16 for orders up to $200. "
            "Overnight delivery costs $33.",
        ),
        policy(
            "privacy-policy",
            "Privacy Policy",
            "Cookies",
            "We use cookies to remember the contents of your cart and your login session.",
        ),
    ]
