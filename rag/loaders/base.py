"""The loader seam: one SourceLoader per source format, picked by a file's shape, not its name."""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from langchain_core.documents import Document

from rag import schema
from rag.chunking import Metadata

logger = logging.getLogger(__name__)

_MAX_CELL_BYTES = 16 * 1024 * 1024


@runtime_checkable
class SourceLoader(Protocol):
    """Turns one source file into cleaned, chunked Documents."""

    name: str

    def matches(self, path: Path) -> bool:
        """Whether this loader understands the file (judged by its columns or keys)."""
        ...

    def load(self, path: Path) -> Iterator[Document]:
        """Documents of the file, in a stable order."""
        ...


class LoaderRegistry:
    """Ordered set of loaders; the first whose `matches` accepts a file loads it."""

    def __init__(self, loaders: Iterable[SourceLoader] = ()) -> None:
        self._loaders: list[SourceLoader] = []
        for loader in loaders:
            self.register(loader)

    def register(self, loader: SourceLoader) -> None:
        """Add a loader; names are unique."""
        if loader.name in self.names:
            raise ValueError(f"a loader named {loader.name!r} is already registered")
        self._loaders.append(loader)

    @property
    def names(self) -> list[str]:
        """Names of the registered loaders, in matching order."""
        return [loader.name for loader in self._loaders]

    def find(self, path: Path) -> SourceLoader | None:
        """The loader for `path`, or None when no loader understands it."""
        for loader in self._loaders:
            try:
                if loader.matches(path):
                    return loader
            except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
                # A file one loader cannot even parse is simply not that loader's format.
                logger.debug("loader %s rejected %s: %s", loader.name, path.name, exc)
        return None


def csv_columns(path: Path) -> frozenset[str]:
    """Column names of a CSV file (empty for anything that is not a .csv file)."""
    if path.suffix.lower() != ".csv":
        return frozenset()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    return frozenset(column.strip() for column in header)


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """All rows of a CSV file as dicts of stripped-key strings."""
    # CMS pages keep whole HTML documents in one cell, beyond csv's 128 KiB default limit.
    csv.field_size_limit(max(csv.field_size_limit(), _MAX_CELL_BYTES))
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [
            {key.strip(): (value or "") for key, value in row.items() if key}
            for row in csv.DictReader(handle)
        ]


def read_json(path: Path) -> Any:
    """Parsed JSON of a .json file (None for other files)."""
    if path.suffix.lower() != ".json":
        return None
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def format_price(value: float) -> str:
    """A price as customers read it: $52.00."""
    return f"${value:.2f}"


def format_price_range(low: float, high: float) -> str:
    """One price, or a range "$X.XX–$Y.YY" when they differ."""
    if format_price(low) == format_price(high):
        return format_price(low)
    return f"{format_price(low)}–{format_price(high)}"


def format_number(value: float) -> str:
    """A number exactly as written in the data, without a trailing ".0"."""
    return format(Decimal(str(value)).normalize(), "f")


def product_metadata(
    *,
    source: str,
    source_id: str,
    name: str,
    sku: str,
    product_id: str,
    prices: Iterable[float],
    category: str,
    in_stock: bool,
    anchor: str,
    section: str = "",
) -> Metadata:
    """Chunk metadata of a product document (keys from rag/schema.py)."""
    values = sorted(prices)
    return {
        schema.DOC_TYPE: "product",
        schema.SOURCE: source,
        schema.SOURCE_ID: source_id,
        schema.TITLE: name,
        schema.NAME: name,
        schema.SECTION: section,
        schema.ANCHOR: anchor,
        schema.PRODUCT_ID: product_id,
        schema.SKU: sku,
        schema.PRICE: float(values[0]) if values else 0.0,
        schema.PRICE_MAX: float(values[-1]) if values else 0.0,
        schema.CATEGORY: category,
        schema.IN_STOCK: in_stock,
    }


def policy_metadata(
    *, source: str, source_id: str, title: str, section: str, anchor: str
) -> Metadata:
    """Chunk metadata of a policy section (keys from rag/schema.py)."""
    return {
        schema.DOC_TYPE: "policy",
        schema.SOURCE: source,
        schema.SOURCE_ID: source_id,
        schema.TITLE: title,
        schema.SECTION: section,
        schema.ANCHOR: anchor,
    }
