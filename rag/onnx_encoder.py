"""Torch-free sentence encoder for serving: onnxruntime + tokenizers, mean pooling, LRU cache."""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from langchain_core.embeddings import Embeddings
from tokenizers import Tokenizer

from rag.onnx_export import MANIFEST_FILE, TOKENIZER_FILE

FloatMatrix = npt.NDArray[np.float32]


class OnnxEncoder:
    """Runs the exported transformer and pools its token vectors into unit sentence vectors."""

    def __init__(self, model_file: Path, *, threads: int | None = None) -> None:
        folder = model_file.parent
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        # tokenizer.json ships fixed 128-token padding; match sentence-transformers instead
        # (truncate at max_seq_length, pad only to the longest text of a batch).
        self._tokenizer.enable_truncation(int(manifest["max_seq_length"]))
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Two threads by default: on a 2-core box a short query takes ~3 ms with two and ~6 ms
        # with one, while more threads only add synchronisation for inputs this small.
        # (0 lets onnxruntime use every physical core.)
        options.intra_op_num_threads = min(2, os.cpu_count() or 1) if threads is None else threads
        self._session = ort.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self._input_names = {node.name for node in self._session.get_inputs()}

    def encode(self, texts: list[str], batch_size: int = 32) -> FloatMatrix:
        """Unit-length sentence vectors, one row per text, in input order."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        # Sorting by length keeps padding (wasted compute) small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        rows: list[FloatMatrix] = []
        for start in range(0, len(order), batch_size):
            rows.append(self._encode_batch([texts[i] for i in order[start : start + batch_size]]))
        stacked = np.concatenate(rows)
        out = np.empty_like(stacked)
        out[order] = stacked
        return out

    def _encode_batch(self, texts: list[str]) -> FloatMatrix:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        hidden: FloatMatrix = self._session.run(None, feeds)[0]
        return _mean_pool_normalise(hidden, mask)


def _mean_pool_normalise(hidden: FloatMatrix, mask: npt.NDArray[np.int64]) -> FloatMatrix:
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    unit: FloatMatrix = (pooled / norms).astype(np.float32)
    return unit


class OnnxEmbeddings(Embeddings):
    """LangChain embeddings over `OnnxEncoder`, with an LRU cache of query vectors."""

    def __init__(
        self, model_file: Path, *, cache_size: int = 2048, threads: int | None = None
    ) -> None:
        self._encoder = OnnxEncoder(model_file, threads=threads)
        self._cache: OrderedDict[str, tuple[float, ...]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._encode_seconds = 0.0

    @property
    def encode_seconds(self) -> float:
        """Total seconds spent inside the model since construction."""
        return self._encode_seconds

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed document texts as L2-normalised vectors (not cached)."""
        return [row.tolist() for row in self._encode(texts)]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query, served from the LRU cache when it was asked before."""
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return list(cached)
        vector = tuple(self._encode([text])[0].tolist())
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return list(vector)

    def _encode(self, texts: list[str]) -> FloatMatrix:
        started = time.perf_counter()
        vectors = self._encoder.encode(texts)
        self._encode_seconds += time.perf_counter() - started
        return vectors
