"""Fixtures of the loader tests: the real demo store and the documents the loaders make of it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
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


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


@pytest.fixture
def file_host(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local stand-in for a file host (GitHub): (base URL, the folder it serves)."""
    root = tmp_path / "host"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """An HTTP client that ignores proxy settings, so loopback requests stay local."""
    with httpx.Client(trust_env=False, timeout=10.0) as http:
        yield http
