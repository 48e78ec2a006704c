"""What every offline trainer reads besides its own data: the shop's documents and the encoder."""

from __future__ import annotations

import logging
from pathlib import Path

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

logger = logging.getLogger(__name__)


def store_documents(store_dir: Path, *, without: str) -> list[Document]:
    """The demo store's documents, or none (with a warning saying what is `without` them)."""
    if not store_dir.is_dir():
        logger.warning("no store at %s: %s", store_dir, without)
        return []
    from rag.store import load_store

    return load_store(store_dir)


def offline_encoder(encoder_dir: Path) -> tuple[Embeddings, str]:
    """The ONNX MiniLM encoder (exported into `encoder_dir` once) and its weights' sha256."""
    from rag.embeddings import default_model_path
    from rag.onnx_encoder import OnnxEmbeddings
    from rag.onnx_export import ensure_onnx_model, weights_sha256

    model_path = default_model_path()
    model_file = ensure_onnx_model(model_path, encoder_dir)
    return OnnxEmbeddings(model_file), weights_sha256(model_path)
