"""Fixtures of the loader tests: the real demo store and the documents the loaders make of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.documents import Document

from rag.store import load_store
from tests.support import require

DEMO_STORE = Path(__file__).resolve().parents[3] / "data" / "store"
DEMO_FILES = (
    "luma_products.csv",
    "luma_pages.csv",
    "dummyjson_products.json",
    "retail_db.json",
    "retail_agent_policy.md",
)


@pytest.fixture(scope="session")
def demo_store_dir() -> Path:
    """The demo store folder; the test is skipped when its files are missing."""
    missing = [name for name in DEMO_FILES if not (DEMO_STORE / name).is_file()]
    require(not missing, f"demo store files missing in {DEMO_STORE}: {missing} (run `make data`)")
    return DEMO_STORE


@pytest.fixture(scope="session")
def demo_documents(demo_store_dir: Path) -> list[Document]:
    """Every chunk the registered loaders make of the demo store."""
    return load_store(demo_store_dir)
