"""Chroma vector store: embedded persistent client by default, HTTP client when a URL is given."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import chromadb
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings


def chroma_client(*, persist_dir: Path | None, url: str | None) -> ClientAPI:
    """Chroma client, telemetry off: HTTP when `url` is set, else persistent in `persist_dir`."""
    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parts = urlsplit(url)
        if not parts.hostname:
            raise ValueError(f"Chroma URL needs a host: {url!r}")
        secure = parts.scheme == "https"
        return chromadb.HttpClient(
            host=parts.hostname,
            port=parts.port or (443 if secure else 8000),
            ssl=secure,
            settings=settings,
        )
    if persist_dir is None:
        raise ValueError("either persist_dir or url must be set for Chroma")
    persist_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(persist_dir), settings=settings)


def build_chroma(
    *, collection: str, persist_dir: Path | None, url: str | None, embeddings: Embeddings
) -> Chroma:
    """LangChain Chroma store over `collection`, created with cosine distance if missing."""
    return Chroma(
        collection_name=collection,
        embedding_function=embeddings,
        client=chroma_client(persist_dir=persist_dir, url=url),
        # Cosine distance matches the unit-length MiniLM vectors: distance = 1 - cosine.
        collection_configuration={"hnsw": {"space": "cosine"}},
    )
