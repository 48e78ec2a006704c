"""store_qa cases about products: prices, sizes, colours, stock, warranty, returns, shipping time.

Read from the store's own files (Luma's Magento CSV, DummyJSON products, the tau2 retail
catalogue) with the same parsers ingest uses, so the expected source ids are the ones stored in
chunk metadata. Products whose name is not unique in the store are left out: a question about
"the Sunglasses" has no single right source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.cases import EvalCase, Expected, Fact
from evals.datasets_build.common import SourceTexts, money, rotate, stable_sample
from rag.clean import normalize_space
from rag.loaders.base import read_csv_rows, read_json
from rag.loaders.dummyjson_products import products_in
from rag.loaders.magento_products import variants_of
from rag.loaders.retail_catalog import catalogue_in

LUMA_FILE = "luma_products.csv"
DUMMYJSON_FILE = "dummyjson_products.json"
RETAIL_FILE = "retail_db.json"

PRICE = ("How much is the {name}?", "What does the {name} cost?", "What's the price of the {name}?")
SIZES = ("What sizes does the {name} come in?", "Which sizes is the {name} available in?")
COLOURS = ("What colours does the {name} come in?", "Which colors is the {name} available in?")
STOCK = ("Is the {name} in stock?", "Is the {name} available to buy right now?")
WARRANTY = ("What is the warranty on the {name}?", "How long is the {name} under warranty?")
RETURNS = ("What is the return policy for the {name}?", "Can I return the {name}?")
SHIPS = ("How soon does the {name} ship?", "When will the {name} be shipped?")
PRICE_RANGE = ("What is the price range of the {name}?", "How much does a {name} cost?")

# Cases per kind (a few hundred in all, spread over each catalogue by a stable hash).
COUNTS = {
    "luma_price": 50,
    "luma_sizes": 35,
    "luma_colours": 35,
    "luma_stock": 10,
    "dummyjson_price": 50,
    "dummyjson_warranty": 35,
    "dummyjson_returns": 35,
    "dummyjson_stock": 30,
    "dummyjson_shipping": 25,
    "retail_price": 20,
}

_DURATION = re.compile(r"(?P<n>\d+) (?P<unit>day|week|month|year)s?\b")


@dataclass(frozen=True)
class LumaProduct:
    """A configurable Luma product with what its variants offer."""

    sku: str
    name: str
    prices: tuple[float, ...]
    sizes: tuple[str, ...]
    colours: tuple[str, ...]
    in_stock: int


def luma_products(path: Path) -> list[LumaProduct]:
    """Configurable products of a Magento export, with sizes and colours in file order."""
    rows = read_csv_rows(path)
    by_sku = {row["sku"]: row for row in rows}
    products = []
    for row in rows:
        variants = variants_of(row, by_sku) if row.get("product_type") == "configurable" else []
        if not variants:
            continue
        sizes = dict.fromkeys(v.options["size"] for v in variants if "size" in v.options)
        colours = dict.fromkeys(v.options["color"] for v in variants if "color" in v.options)
        products.append(
            LumaProduct(
                sku=row["sku"].strip(),
                name=normalize_space(row["name"]),
                prices=tuple(v.price for v in variants),
                sizes=tuple(sizes),
                colours=tuple(colours),
                in_stock=sum(v.in_stock for v in variants),
            )
        )
    return products


def luma_cases(path: Path, sources: SourceTexts) -> list[EvalCase]:
    """Price, size, colour and stock questions about Luma products."""
    products = [p for p in luma_products(path) if sources.unambiguous(p.name)]
    cases: list[EvalCase] = []
    kinds: dict[str, tuple[tuple[str, ...], Callable[[LumaProduct], list[Fact]]]] = {
        "price": (PRICE, lambda p: [money(v) for v in sorted({min(p.prices), max(p.prices)})]),
        "sizes": (SIZES, lambda p: [Fact(kind="text", text=size) for size in p.sizes]),
        "colours": (COLOURS, lambda p: [Fact(kind="text", text=colour) for colour in p.colours]),
        "stock": (STOCK, lambda p: [_variants_in_stock(p)]),
    }
    for kind, (templates, facts) in kinds.items():
        eligible = [p for p in products if facts(p)]  # bags have no sizes
        chosen = stable_sample(eligible, lambda p: p.sku, COUNTS[f"luma_{kind}"], f"luma_{kind}")
        for index, product in enumerate(chosen):
            cases.append(
                _case(
                    f"store_qa.{kind}.luma.{product.sku}",
                    rotate(templates, index, name=product.name),
                    facts(product),
                    f"{path.name}#{product.sku}",
                    (kind, "luma"),
                )
            )
    return cases


def _variants_in_stock(product: LumaProduct) -> Fact:
    text = f"{product.in_stock} of {len(product.prices)} variants"
    return Fact(kind="quantity", text=text, value=product.in_stock, unit="variant")


def dummyjson_cases(path: Path, sources: SourceTexts) -> list[EvalCase]:
    """Price, warranty, return, stock and shipping-time questions about DummyJSON products."""
    products = [
        p for p in products_in(read_json(path)) if sources.unambiguous(normalize_space(p["title"]))
    ]
    kinds: dict[str, tuple[tuple[str, ...], Callable[[Mapping[str, Any]], list[Fact]]]] = {
        "price": (PRICE, lambda p: [money(float(p["price"]))]),
        "warranty": (WARRANTY, lambda p: [_term(p["warrantyInformation"], " warranty")]),
        "returns": (RETURNS, lambda p: [_term(p["returnPolicy"], " return policy")]),
        "stock": (STOCK, _stock_facts),
        "shipping": (SHIPS, lambda p: [_shipping(p["shippingInformation"])]),
    }
    cases: list[EvalCase] = []
    for kind, (templates, facts) in kinds.items():
        count = COUNTS[f"dummyjson_{kind}"]
        chosen = stable_sample(products, lambda p: str(p["id"]), count, f"dummyjson_{kind}")
        for index, product in enumerate(chosen):
            cases.append(
                _case(
                    f"store_qa.{kind}.dummyjson.{product['id']}",
                    rotate(templates, index, name=normalize_space(product["title"])),
                    facts(product),
                    f"{path.name}#{product['id']}",
                    (kind, "dummyjson"),
                )
            )
    return cases


def _term(value: str, suffix: str) -> Fact:
    """ "1 year warranty" -> 1 year; "No warranty" / "Lifetime warranty" stay phrases."""
    match = _DURATION.fullmatch(value.removesuffix(suffix))
    if match is None:
        return Fact(kind="text", text=value)
    return Fact(kind="quantity", text=match[0], value=float(match["n"]), unit=match["unit"])


def _shipping(value: str) -> Fact:
    """ "Ships in 2 weeks" -> 2 weeks; "Ships in 1-2 business days" -> that phrase."""
    match = _DURATION.fullmatch(value.removeprefix("Ships in "))
    if match is not None:
        return Fact(kind="quantity", text=match[0], value=float(match["n"]), unit=match["unit"])
    return Fact(kind="text", text=value.removeprefix("Ships in "))


def _stock_facts(product: Mapping[str, Any]) -> list[Fact]:
    stock = int(product["stock"])
    units = "unit" if stock == 1 else "units"
    return [
        Fact(kind="text", text=str(product["availabilityStatus"])),
        Fact(kind="quantity", text=f"{stock} {units}", value=stock, unit="unit"),
    ]


def retail_cases(path: Path, sources: SourceTexts) -> list[EvalCase]:
    """Price-range questions about retail product types (lowest and highest variant price)."""
    other_names = list(sources.product_names)
    products = [
        p
        for p in catalogue_in(read_json(path)).values()
        if sources.unambiguous(p["name"]) and not _inside_other_name(p["name"], other_names)
    ]
    chosen = stable_sample(products, lambda p: str(p["product_id"]), COUNTS["retail_price"], "rp")
    cases = []
    for index, product in enumerate(chosen):
        prices = [float(v["price"]) for v in product["variants"].values() if "price" in v]
        cases.append(
            _case(
                f"store_qa.price.retail.{product['product_id']}",
                rotate(PRICE_RANGE, index, name=product["name"]),
                [money(v) for v in sorted({min(prices), max(prices)})],
                f"{path.name}#{product['product_id']}",
                ("price", "retail"),
            )
        )
    return cases


def _inside_other_name(name: str, others: list[str]) -> bool:
    """ "Backpack" names several Luma bags too: the question would have no single answer."""
    pattern = re.compile(rf"\b{re.escape(name.lower())}s?\b")
    return any(pattern.search(other.lower()) for other in others if other.lower() != name.lower())


def _case(
    case_id: str, question: str, facts: list[Fact], source_id: str, tags: tuple[str, ...]
) -> EvalCase:
    file_name, _, key = source_id.partition("#")
    return EvalCase(
        id=case_id,
        input=question,
        expected=Expected(facts=tuple(facts), sources=(source_id,)),
        tags=tags,
        origin={"file": file_name, "key": key},
    )
