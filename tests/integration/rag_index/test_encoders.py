"""The two encoders: sentence-transformers for ingestion and the torch-free ONNX one for queries."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
from langchain_core.documents import Document

from rag.embeddings import SentenceTransformerEmbeddings
from rag.onnx_encoder import OnnxEmbeddings
from rag.onnx_export import MANIFEST_FILE, ensure_onnx_model, weights_sha256

REPO = Path(__file__).resolve().parents[3]


def _sentences(documents: list[Document], count: int = 36) -> list[str]:
    """`count` real sentences of varied length, spread over the store subset."""
    lines = [
        line.strip()
        for doc in documents[:: max(1, len(documents) // count)]
        for line in doc.page_content.splitlines()
        if len(line.strip()) > 20
    ]
    return lines[::3][:count]


def _cosines(left: list[list[float]], right: list[list[float]]) -> npt.NDArray[np.float64]:
    a, b = np.asarray(left, dtype=np.float64), np.asarray(right, dtype=np.float64)
    cosines: npt.NDArray[np.float64] = (a * b).sum(axis=1) / (
        np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    )
    return cosines


def test_sentence_transformer_vectors_are_unit_length_and_meaningful(
    st_embeddings: SentenceTransformerEmbeddings,
) -> None:
    question = st_embeddings.embed_query("How long do I have to return an item?")
    returns, jacket = st_embeddings.embed_documents(
        [
            "You may return items within 30 days of delivery for a full refund.",
            "Typhon Performance Fleece-lined Jacket, $60.00, in stock.",
        ]
    )

    assert len(question) == 384
    assert abs(np.linalg.norm(question) - 1.0) < 1e-5
    assert _cosines([question], [returns])[0] > _cosines([question], [jacket])[0] + 0.2


def test_onnx_matches_sentence_transformers_on_store_sentences(
    st_embeddings: SentenceTransformerEmbeddings,
    onnx_embeddings: OnnxEmbeddings,
    store_documents: list[Document],
) -> None:
    sentences = _sentences(store_documents)
    assert len(sentences) >= 30

    batched = _cosines(
        onnx_embeddings.embed_documents(sentences), st_embeddings.embed_documents(sentences)
    )
    one_by_one = _cosines(
        [onnx_embeddings.embed_query(s) for s in sentences[:8]],
        st_embeddings.embed_documents(sentences[:8]),
    )

    assert batched.min() >= 0.999
    assert one_by_one.min() >= 0.999


def test_onnx_padding_does_not_change_vectors(onnx_model_file: Path) -> None:
    encoder = OnnxEmbeddings(onnx_model_file, cache_size=0)
    texts = ["Hi", "Do you ship to Alaska and Hawaii, and what does it cost for a $250 order?"]

    together = encoder.embed_documents(texts)
    alone = [encoder.embed_query(text) for text in texts]

    assert _cosines(together, alone).min() > 0.99999


def test_onnx_query_cache_skips_the_model_on_repeat(onnx_model_file: Path) -> None:
    encoder = OnnxEmbeddings(onnx_model_file, cache_size=2)
    first = encoder.embed_query("Do you ship to Canada?")
    spent = encoder.encode_seconds

    again = encoder.embed_query("Do you ship to Canada?")
    assert again == first
    assert encoder.encode_seconds == spent

    encoder.embed_query("What is your returns policy?")
    encoder.embed_query("Is the Juno Jacket in stock?")  # evicts the oldest entry
    encoder.embed_query("Do you ship to Canada?")
    assert encoder.encode_seconds > spent


def test_onnx_query_path_never_imports_torch(onnx_model_file: Path) -> None:
    # The serving path: find the cached export by the weights' hash, load it, embed, search.
    script = f"""
import sys
from pathlib import Path
from rag.embeddings import default_model_path
from rag.ingest import ingest
from rag.onnx_encoder import OnnxEmbeddings
from rag.onnx_export import ensure_onnx_model
from rag.retriever import HybridRetriever
from rag.vectorstore import build_chroma

cache = Path({str(onnx_model_file.parent.parent)!r})
embeddings = OnnxEmbeddings(ensure_onnx_model(default_model_path(), cache))
vector = embeddings.embed_query("How long do I have to return an item?")
assert len(vector) == 384
heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "HEAVY=\n" in done.stdout


def test_onnx_export_is_cached_by_weights_and_reproducible(
    model_path: Path, onnx_model_file: Path, tmp_path: Path
) -> None:
    manifest = json.loads((onnx_model_file.parent / MANIFEST_FILE).read_text())
    assert manifest["weights_sha256"] == weights_sha256(model_path)
    assert onnx_model_file.parent.name == f"minilm-{manifest['weights_sha256'][:16]}"

    built_before = onnx_model_file.stat().st_mtime_ns
    assert ensure_onnx_model(model_path, onnx_model_file.parent.parent) == onnx_model_file
    assert onnx_model_file.stat().st_mtime_ns == built_before  # reused, not rebuilt

    fresh = ensure_onnx_model(model_path, tmp_path)
    assert _sha256(fresh) == _sha256(onnx_model_file)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
