"""Fixtures of the eval tests: datasets built from the real store and dev data, a real index."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import DataSettings, GuardSettings, PromptSettings, Settings, TrustSettings
from app.container import run_ingest
from evals.datasets_build.build import BuiltDataset, build_all
from rag.embeddings import default_model_path
from rag.onnx_export import ensure_onnx_model
from tests.support import dev_data_dir, require

REPO = Path(__file__).resolve().parents[3]
STORE = REPO / "data" / "store"
STATE = REPO / "var"  # `make ingest` / `make guards` leave the index and detectors here
GUARDS = STATE / "models" / "guards"
TRUST = STATE / "models" / "trust"  # `make trust`'s scorer


@pytest.fixture(scope="session")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuiltDataset]:
    """Every eval dataset, built once from data/store and the dev data."""
    require(STORE.is_dir(), "demo store missing: run `make data`")
    dev = dev_data_dir()
    require((dev / "bitext_customer_support.csv").is_file(), "dev data missing: `make dev-data`")
    built = build_all(STORE, dev, tmp_path_factory.mktemp("eval-datasets"))
    return {item.name: item for item in built}


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over the whole store's real index: `make ingest`'s, else ingested here once."""
    require(STORE.is_dir(), "demo store missing: run `make data`")
    guards = GuardSettings(artefact_dir=GUARDS if (GUARDS / "manifest.json").is_file() else None)
    trust = TrustSettings(artefact_dir=TRUST if (TRUST / "manifest.json").is_file() else None)
    if (STATE / "chroma").is_dir():
        state = STATE
    else:  # a clean clone (CI): index the full store the way `make ingest` does
        state = tmp_path_factory.mktemp("eval-index")
        ensure_onnx_model(default_model_path(), state / "models")
    settings = Settings(
        data=DataSettings(store_dir=STORE, state_dir=state),
        prompts=PromptSettings(dir=REPO / "prompts"),
        guards=guards,
        trust=trust,
    )
    if state != STATE:
        run_ingest(settings, progress=False)
    return settings
