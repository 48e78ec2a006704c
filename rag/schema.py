"""Shared vocabulary of the knowledge layer: chunk metadata keys, filters and retrieved chunks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DocType = Literal["product", "policy"]

# Metadata keys every chunk carries (Chroma accepts only str/int/float/bool values, never None).
DOC_TYPE = "doc_type"  # "product" | "policy"
SOURCE = "source"  # file name, e.g. "luma_products.csv"
SOURCE_ID = "source_id"  # stable id of the source document, e.g. "luma_products.csv#MH01"
TITLE = "title"  # human title shown in citations (product name or page title)
SECTION = "section"  # section heading ("" for products)
ANCHOR = (
    "anchor"  # link or anchor for the citation, e.g. "/customer-service#returns-and-replacements"
)
PRODUCT_ID = "product_id"
SKU = "sku"
NAME = "name"
PRICE = "price"  # float; lowest price for products with priced variants
PRICE_MAX = "price_max"  # float; highest variant price (== price when single-priced)
CATEGORY = "category"
IN_STOCK = "in_stock"  # bool


@dataclass(frozen=True)
class SearchFilters:
    """Metadata filters applied to both dense and BM25 retrieval."""

    doc_type: DocType | None = None
    min_price: float | None = None
    max_price: float | None = None
    in_stock: bool | None = None
    category: str | None = None


@dataclass(frozen=True)
class RetrievedChunk:
    """One chunk returned by retrieval, with the fused score and its parts."""

    chunk_id: str
    text: str
    metadata: dict[str, Any]
    score: float
    dense_score: float = 0.0
    bm25_score: float = 0.0
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """Citation title of the chunk."""
        return str(
            self.metadata.get(TITLE) or self.metadata.get(NAME) or self.metadata.get(SOURCE, "")
        )
