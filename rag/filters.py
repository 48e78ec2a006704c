"""SearchFilters translated for both retrievers: a Chroma `where` clause and a numpy row mask."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from rag.schema import CATEGORY, DOC_TYPE, IN_STOCK, PRICE, PRICE_MAX, SearchFilters

BoolArray = npt.NDArray[np.bool_]


def chroma_where(filters: SearchFilters | None) -> dict[str, Any] | None:
    """Chroma `where` clause for `filters`, or None when nothing is filtered."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.doc_type is not None:
        clauses.append({DOC_TYPE: {"$eq": filters.doc_type}})
    # Price ranges overlap-match: a product whose variants cost 30-45 is "under 40" (its
    # cheapest variant is) and "over 40" (its dearest is).
    if filters.max_price is not None:
        clauses.append({PRICE: {"$lte": float(filters.max_price)}})
    if filters.min_price is not None:
        clauses.append({PRICE_MAX: {"$gte": float(filters.min_price)}})
    if filters.in_stock is not None:
        clauses.append({IN_STOCK: {"$eq": filters.in_stock}})
    if filters.category is not None:
        clauses.append({CATEGORY: {"$eq": filters.category}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass(frozen=True)
class MetadataTable:
    """Column arrays of the filterable metadata of every chunk, for vectorised filtering."""

    doc_type: npt.NDArray[np.str_]
    price: npt.NDArray[np.float64]
    price_max: npt.NDArray[np.float64]
    in_stock: npt.NDArray[np.int8]  # 1 / 0, and -1 where the chunk has no stock flag
    category: npt.NDArray[np.str_]

    @classmethod
    def from_metadatas(cls, metadatas: Sequence[Mapping[str, Any]]) -> MetadataTable:
        """Columns built from chunk metadata; a missing value never matches a filter on it."""
        nan = float("nan")
        return cls(
            doc_type=np.array([str(m.get(DOC_TYPE, "")) for m in metadatas], dtype=np.str_),
            price=np.array([_number(m.get(PRICE), nan) for m in metadatas], np.float64),
            price_max=np.array([_number(m.get(PRICE_MAX), nan) for m in metadatas], np.float64),
            in_stock=np.array([_flag(m.get(IN_STOCK)) for m in metadatas], dtype=np.int8),
            category=np.array([str(m.get(CATEGORY, "")) for m in metadatas], dtype=np.str_),
        )

    def mask(self, filters: SearchFilters | None) -> BoolArray | None:
        """Rows that pass `filters` (same semantics as `chroma_where`), or None for all rows."""
        if filters is None:
            return None
        keep = np.ones(len(self.doc_type), dtype=np.bool_)
        if filters.doc_type is not None:
            keep &= self.doc_type == filters.doc_type
        # Comparisons with NaN are False, so chunks without a price drop out of price filters.
        if filters.max_price is not None:
            keep &= self.price <= filters.max_price
        if filters.min_price is not None:
            keep &= self.price_max >= filters.min_price
        if filters.in_stock is not None:
            keep &= self.in_stock == int(filters.in_stock)
        if filters.category is not None:
            keep &= self.category == filters.category
        return keep


def _number(value: Any, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value)


def _flag(value: Any) -> int:
    return int(value) if isinstance(value, bool) else -1
