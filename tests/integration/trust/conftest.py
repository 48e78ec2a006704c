"""Fixtures of the trust scorer tests: the real ONNX encoder and the artefacts of `make trust`."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.trust.embedded import EmbeddedTrustScorer, load_trust_scorer
from rag.embeddings import default_model_path
from rag.onnx_encoder import OnnxEmbeddings
from rag.onnx_export import ensure_onnx_model, weights_sha256
from tests.support import dev_data_dir, require

REPO = Path(__file__).resolve().parents[3]
TRAINED = REPO / "var" / "models" / "trust"
STORE = REPO / "data" / "store"
DEV_DATA = dev_data_dir()


@pytest.fixture(scope="session")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temp state folder holding the ONNX export of MiniLM (exported once per session)."""
    folder = tmp_path_factory.mktemp("trust-state")
    ensure_onnx_model(default_model_path(), folder / "models")
    return folder


@pytest.fixture(scope="session")
def embeddings(state_dir: Path) -> OnnxEmbeddings:
    """The torch-free query encoder the server uses (with its LRU cache)."""
    return OnnxEmbeddings(ensure_onnx_model(default_model_path(), state_dir / "models"))


@pytest.fixture(scope="session")
def encoder_sha() -> str:
    """sha256 of the MiniLM weights."""
    return weights_sha256(default_model_path())


@pytest.fixture(scope="session")
def trained() -> Path:
    """The artefacts `make trust` trains (make test trains them first)."""
    require((TRAINED / "manifest.json").is_file(), "trust scorer not trained: `make trust`")
    return TRAINED


@pytest.fixture(scope="session")
def scorer(trained: Path, embeddings: OnnxEmbeddings, encoder_sha: str) -> EmbeddedTrustScorer:
    """The embedded scorer loaded as the server loads it."""
    return load_trust_scorer(trained, embeddings, encoder_sha256=encoder_sha)
