"""Small helpers shared by the loader tests."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from langchain_core.documents import Document


def by_source(documents: Sequence[Document], source: str) -> list[Document]:
    """The chunks that came from one source file."""
    return [doc for doc in documents if doc.metadata["source"] == source]


def with_section(documents: Sequence[Document], section: str) -> list[Document]:
    """The chunks of one policy section."""
    return [doc for doc in documents if doc.metadata["section"] == section]


def write_csv(path: Path, rows: Sequence[dict[str, str]], columns: Sequence[str]) -> Path:
    """Write rows as a CSV with the given columns (missing cells empty)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def csv_header(path: Path) -> list[str]:
    """Column names of a CSV file."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle))
