"""Retail order-system catalogue (tau2-bench db.json): product types with priced variants.

Only the "products" key is read; customers and orders are private records, not knowledge.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from rag.chunking import join_lines, pack_lines, to_documents
from rag.clean import normalize_space
from rag.loaders.base import format_price, format_price_range, product_metadata, read_json

_SIZE_ORDER = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL")


class RetailCatalogLoader:
    """Loads the "products" of a retail database export: one document per product type."""

    name = "retail_catalog"

    def matches(self, path: Path) -> bool:
        """A JSON object whose "products" map product ids to {name, variants}."""
        return bool(catalogue_in(read_json(path)))

    def load(self, path: Path) -> Iterator[Document]:
        """Product types in file order, long variant lists split into several chunks."""
        for product in catalogue_in(read_json(path)).values():
            yield from product_documents(path.name, product)


def catalogue_in(data: Any) -> dict[str, dict[str, Any]]:
    """The "products" mapping of a retail database ({} when the shape does not fit)."""
    products = data.get("products") if isinstance(data, dict) else None
    if not isinstance(products, dict) or not products:
        return {}
    shaped = all(
        isinstance(p, dict) and "name" in p and isinstance(p.get("variants"), dict)
        for p in products.values()
    )
    return products if shaped else {}


def product_documents(source: str, product: Mapping[str, Any]) -> list[Document]:
    """Chunks of one product type; every chunk starts with the product's summary lines."""
    product_id = str(product.get("product_id") or "")
    name = normalize_space(str(product["name"]))
    variants = [v for v in product["variants"].values() if isinstance(v, dict)]
    prices = [float(v["price"]) for v in variants if v.get("price") is not None]
    available = sum(bool(v.get("available")) for v in variants)
    options = _option_values(variants)
    header = join_lines(
        f"{name} (product {product_id})",
        _options_line(options),
        f"Price: {format_price_range(min(prices), max(prices))}." if prices else "",
        f"Availability: {available} of {len(variants)} variants available.",
        f"Variants ({' / '.join(options)}):",
    )
    metadata = product_metadata(
        source=source,
        source_id=f"{source}#{product_id}",
        name=name,
        sku="",
        product_id=product_id,
        prices=prices,
        category="",
        in_stock=available > 0,
        anchor=f"/products/{product_id}",
    )
    lines = [_variant_line(variant, list(options)) for variant in variants]
    return to_documents(pack_lines(header, lines), metadata)


def _options_line(options: Mapping[str, list[str]]) -> str:
    listed = "; ".join(f"{option}: {', '.join(values)}" for option, values in options.items())
    return f"Options: {listed}." if listed else ""


def _variant_line(variant: Mapping[str, Any], option_names: list[str]) -> str:
    chosen = variant.get("options") or {}
    label = " / ".join(str(chosen.get(option, "-")) for option in option_names)
    state = "available" if variant.get("available") else "unavailable"
    price = (
        format_price(float(variant["price"])) if variant.get("price") is not None else "no price"
    )
    return f"- {label} — {price}, {state}, item {variant.get('item_id', '')}"


def _option_values(variants: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Option name -> its distinct values, sizes in size order and the rest alphabetically."""
    values: dict[str, set[str]] = {}
    for variant in variants:
        for option, value in (variant.get("options") or {}).items():
            values.setdefault(str(option), set()).add(str(value))
    return {option: sorted(found, key=_value_order) for option, found in values.items()}


def _value_order(value: str) -> tuple[int, float, str]:
    if value.upper() in _SIZE_ORDER:
        return (0, float(_SIZE_ORDER.index(value.upper())), "")
    try:
        return (1, float(value.split()[0]), value.lower())  # "10 inch", "1.5L" sort by number
    except (ValueError, IndexError):
        return (2, 0.0, value.lower())
