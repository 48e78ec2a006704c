"""Magento product-import CSV: a document per configurable or visible standalone product."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.documents import Document

from rag.chunking import split_with_header, to_documents
from rag.clean import html_to_text, normalize_space, slugify
from rag.loaders.base import (
    csv_columns,
    format_price,
    format_price_range,
    product_metadata,
    read_csv_rows,
)

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = frozenset({"sku", "product_type", "name", "price"})
# Products that exist only as options of a configurable product are not shown on their own.
_HIDDEN = "not visible individually"
# A comma starts a new pair only when a `key=` follows; values may themselves contain commas.
_PAIR_SPLIT = re.compile(r",(?=[A-Za-z_][A-Za-z0-9_]*=)")
_TECHNICAL_ATTRIBUTES = frozenset({"has_options", "required_options", "quantity_and_stock_status"})
_OPTION_LABELS = {"size": "Sizes", "color": "Colours"}
_ATTRIBUTE_LABELS = {"style_general": "Style", "style_bottom": "Style", "style_bags": "Style"}
_PRODUCT_MAX_CHARS = 1500  # a product stays whole unless it is far longer than usual


@dataclass(frozen=True)
class Variant:
    """One purchasable option combination of a configurable product."""

    sku: str
    options: dict[str, str]
    price: float
    in_stock: bool


class MagentoProductsLoader:
    """Loads Magento's product import/export CSV (configurable products with simple variants)."""

    name = "magento_products"

    def matches(self, path: Path) -> bool:
        """A CSV with Magento's product columns (sku, product_type, name, price)."""
        return csv_columns(path) >= REQUIRED_COLUMNS

    def load(self, path: Path) -> Iterator[Document]:
        """One document per configurable product and per visible standalone product."""
        rows = read_csv_rows(path)
        by_sku = {row["sku"]: row for row in rows}
        for row in rows:
            if not _is_listed(row):
                continue
            variants = variants_of(row, by_sku)
            yield from _product_documents(path.name, row, variants)


def parse_pairs(text: str) -> dict[str, str]:
    """Magento's "key=value,key=value" cells as a dict."""
    pairs = (part.split("=", 1) for part in _PAIR_SPLIT.split(text.strip()) if "=" in part)
    # Attribute values carry HTML entities ("CoolTech&trade;") in Magento exports.
    return {key.strip(): normalize_space(html.unescape(value)) for key, value in pairs}


def variants_of(row: dict[str, str], by_sku: dict[str, dict[str, str]]) -> list[Variant]:
    """The simple products listed in a configurable row's `configurable_variations`."""
    variants: list[Variant] = []
    for spec in filter(None, row.get("configurable_variations", "").split("|")):
        options = parse_pairs(spec)
        child = by_sku.get(options.pop("sku", ""))
        if child is None:
            logger.warning("%s lists a variant that is not in the file: %s", row["sku"], spec)
            continue
        price = _to_float(child.get("price", "")) or _to_float(row.get("price", "")) or 0.0
        variants.append(Variant(child["sku"], options, price, _row_in_stock(child)))
    return variants


def _is_listed(row: dict[str, str]) -> bool:
    visible = row.get("visibility", "").strip().lower() != _HIDDEN
    online = row.get("product_online", "1").strip() != "0"
    return visible and online and bool(row.get("sku")) and bool(row.get("name"))


def _to_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _row_in_stock(row: dict[str, str]) -> bool:
    quantity = _to_float(row.get("qty", ""))
    flagged = row.get("is_in_stock", "1").strip() != "0"
    return flagged and (quantity is None or quantity > 0)


def _product_in_stock(row: dict[str, str], variants: Sequence[Variant]) -> bool:
    if not variants:
        return _row_in_stock(row)
    # A configurable parent carries no quantity of its own, only a stock flag.
    return row.get("is_in_stock", "1").strip() != "0" and any(v.in_stock for v in variants)


def category_paths(raw: str) -> list[str]:
    """Readable category paths, most specific first ("Men > Tops > Hoodies & Sweatshirts")."""
    paths: list[list[str]] = []
    for entry in filter(None, (part.strip() for part in html.unescape(raw).split(","))):
        # The first segment is the root category ("Default Category"), never shown to shoppers.
        segments = [normalize_space(segment) for segment in entry.split("/")][1:]
        if segments and segments not in paths:
            paths.append(segments)
    ranked = sorted(paths, key=lambda segments: -len(segments))  # stable: ties keep file order
    return [" > ".join(segments) for segments in ranked]


def _product_documents(source: str, row: dict[str, str], variants: list[Variant]) -> list[Document]:
    name, sku = normalize_space(html.unescape(row["name"])), row["sku"].strip()
    prices = [variant.price for variant in variants] or [_to_float(row.get("price", "")) or 0.0]
    in_stock = _product_in_stock(row, variants)
    categories = category_paths(row.get("categories", ""))
    header = f"{name} (SKU {sku})"
    lines = [
        f"Price: {format_price_range(min(prices), max(prices))}.",
        _special_price_line(row),
        *_option_lines(variants),
        _availability_line(variants, in_stock=in_stock),
        *_stock_detail_lines(variants),
        _category_line(categories),
        _attribute_line(row.get("additional_attributes", "")),
        html_to_text(row.get("description", "")),
        html_to_text(row.get("short_description", "")),
    ]
    metadata = product_metadata(
        source=source,
        source_id=f"{source}#{sku}",
        name=name,
        sku=sku,
        product_id=sku,
        prices=prices,
        category=categories[0] if categories else "",
        in_stock=in_stock,
        anchor=f"/catalog/{row.get('url_key', '').strip() or slugify(name)}",
    )
    pieces = split_with_header(header, lines, max_chars=_PRODUCT_MAX_CHARS)
    return to_documents(pieces, metadata)


def _special_price_line(row: dict[str, str]) -> str:
    special = _to_float(row.get("special_price", ""))
    if special is None:
        return ""
    return f"Special price: {format_price(special)}."


def _option_values(variants: Sequence[Variant]) -> dict[str, list[str]]:
    """Option name -> values in the order the file lists them."""
    values: dict[str, list[str]] = {}
    for variant in variants:
        for option, value in variant.options.items():
            seen = values.setdefault(option, [])
            if value not in seen:
                seen.append(value)
    return values


def _option_label(option: str) -> str:
    return _OPTION_LABELS.get(option, f"{option.replace('_', ' ').capitalize()} options")


def _option_lines(variants: Sequence[Variant]) -> list[str]:
    return [
        f"{_option_label(option)}: {', '.join(values)}."
        for option, values in _option_values(variants).items()
    ]


def _availability_line(variants: Sequence[Variant], *, in_stock: bool) -> str:
    state = "in stock" if in_stock else "out of stock"
    if not variants:
        return f"Availability: {state}."
    available = sum(variant.in_stock for variant in variants)
    return f"Availability: {state} ({available} of {len(variants)} variants in stock)."


def _stock_detail_lines(variants: Sequence[Variant]) -> list[str]:
    """Which options are in stock, only when some variants are and some are not."""
    if all(v.in_stock for v in variants) or not any(v.in_stock for v in variants):
        return []
    options = list(_option_values(variants))
    if len(options) == 1:
        return _single_option_stock(variants, options[0])
    first, rest = options[0], options[1:]
    groups: list[str] = []
    for value in _option_values(variants)[first]:
        matching = [v for v in variants if v.options.get(first) == value and v.in_stock]
        others = [" / ".join(v.options.get(option, "") for option in rest) for v in matching]
        groups.append(f"{value} ({', '.join(others)})" if others else f"{value} (sold out)")
    rest_label = " / ".join(_option_label(option).lower() for option in rest)
    return [f"In stock by {first.replace('_', ' ')} ({rest_label} available): {'; '.join(groups)}."]


def _single_option_stock(variants: Sequence[Variant], option: str) -> list[str]:
    available = [v.options.get(option, "") for v in variants if v.in_stock]
    sold_out = [v.options.get(option, "") for v in variants if not v.in_stock]
    return [f"In stock: {', '.join(available)}.", f"Sold out: {', '.join(sold_out)}."]


def _category_line(categories: Sequence[str]) -> str:
    if not categories:
        return ""
    also = f" Also in: {'; '.join(categories[1:])}." if len(categories) > 1 else ""
    return f"Category: {categories[0]}.{also}"


def _attribute_line(raw: str) -> str:
    """Material, pattern, climate, style and the Yes/No flags of a product."""
    facts: list[str] = []
    flags: list[str] = []
    for key, value in parse_pairs(raw).items():
        if key in _TECHNICAL_ATTRIBUTES or not value or key in _OPTION_LABELS:
            continue
        if value in {"Yes", "No"}:
            if value == "Yes":
                flags.append(key.replace("_", " "))
            continue
        label = _ATTRIBUTE_LABELS.get(key, key.replace("_", " ").capitalize())
        facts.append(f"{label}: {value.replace('|', ', ')}.")
    if flags:
        facts.append(f"Tags: {', '.join(flags)}.")
    return " ".join(facts)
