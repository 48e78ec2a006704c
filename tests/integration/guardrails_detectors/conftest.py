"""Fixtures of the input-detector tests: the real ONNX encoder, the real dev data, and guards
trained once per session into a temporary folder (never var/)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.guardrails.datasets import BITEXT_FILE, is_heldout
from app.guardrails.detectors.artefacts import InputDetectors, load_detectors
from app.guardrails.training import TrainingReport, train_guards
from app.guardrails.training_corpus import HELDOUT_PERCENT
from rag.embeddings import default_model_path
from rag.onnx_encoder import OnnxEmbeddings
from rag.onnx_export import ensure_onnx_model, weights_sha256
from tests.support import dev_data_dir, require

REPO = Path(__file__).resolve().parents[3]
DEV_DIR = dev_data_dir()
STORE_DIR = REPO / "data" / "store"


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    """The dev data (jailbreak, Bitext, Davidson, tau-bench, Amazon reviews)."""
    require((DEV_DIR / BITEXT_FILE).is_file(), f"dev data not found in {DEV_DIR}")
    return DEV_DIR


@pytest.fixture(scope="session")
def encoder_sha() -> str:
    """sha256 of the MiniLM weights the guards are trained on."""
    return weights_sha256(default_model_path())


@pytest.fixture(scope="session")
def encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temp folder holding the ONNX export of MiniLM (exported once per session)."""
    folder = tmp_path_factory.mktemp("onnx")
    ensure_onnx_model(default_model_path(), folder)
    return folder


@pytest.fixture(scope="session")
def embeddings(encoder_dir: Path) -> OnnxEmbeddings:
    """The torch-free query encoder the server uses."""
    return OnnxEmbeddings(ensure_onnx_model(default_model_path(), encoder_dir))


@pytest.fixture(scope="session")
def trained(
    tmp_path_factory: pytest.TempPathFactory,
    dev_dir: Path,
    embeddings: OnnxEmbeddings,
    encoder_sha: str,
) -> TrainingReport:
    """The guards trained on the full dev data and the demo store, as `make guards` does."""
    return train_guards(
        tmp_path_factory.mktemp("guards"),
        dev_dir,
        store_dir=STORE_DIR,
        embeddings=embeddings,
        encoder_sha256=encoder_sha,
    )


@pytest.fixture(scope="session")
def detectors(
    trained: TrainingReport, embeddings: OnnxEmbeddings, encoder_sha: str
) -> InputDetectors:
    """The input detectors loaded back from the trained artefacts."""
    return load_detectors(trained.output_dir, embeddings, encoder_sha256=encoder_sha)


@pytest.fixture(scope="session")
def heldout_requests(dev_dir: Path) -> dict[str, list[str]]:
    """Held-out Bitext shopper requests (never trained on), by intent."""
    by_intent: dict[str, list[str]] = {}
    with (dev_dir / BITEXT_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row["instruction"].strip()
            if is_heldout(text, HELDOUT_PERCENT):
                by_intent.setdefault(row["intent"], []).append(text)
    return by_intent
