"""`make trust`'s artefacts: what the manifest records, the held-out targets, reproducibility."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.trust.artefacts import MANIFEST_FILE, MODEL_FILE
from app.trust.base import Aspect
from app.trust.embedded import load_trust_scorer
from app.trust.training import train_trust
from rag.onnx_encoder import OnnxEmbeddings
from tests.integration.trust.conftest import DEV_DATA, STORE
from tests.support import require


def test_the_manifest_records_encoder_data_thresholds_and_heldout_metrics(
    trained: Path, encoder_sha: str
) -> None:
    manifest = json.loads((trained / MANIFEST_FILE).read_text())
    assert manifest["encoder"]["weights_sha256"] == encoder_sha
    assert {"bitext_customer_support.csv", "amazon_cells_labelled.txt"} <= set(
        manifest["data_sha256"]
    )
    assert set(manifest["thresholds"]) == {a.value for a in Aspect}
    # Chosen on unseen wording, and the model carries the same ones.
    assert "grouped by template" in manifest["threshold_selection"]
    model = json.loads((trained / MODEL_FILE).read_text())
    for aspect, threshold in manifest["thresholds"].items():
        assert abs(model["aspects"][aspect]["threshold"] - threshold) < 1e-6
        assert 0.0 < threshold < 1.0
    heldout = manifest["heldout"]
    assert heldout["texts"] > 500
    # The targets, on rows never trained on.
    assert heldout["aspect_macro_f1"] >= 0.80
    assert heldout["polarity_accuracy"] >= 0.92
    assert manifest["heldout_by_source"]["amazon"]["polarity_accuracy"] >= 0.85


def test_training_is_reproducible_and_loadable(
    tmp_path: Path, embeddings: OnnxEmbeddings, encoder_sha: str
) -> None:
    require(DEV_DATA.is_dir(), f"dev data missing at {DEV_DATA}")
    runs = []
    for name in ("a", "b"):
        report = train_trust(
            tmp_path / name,
            DEV_DATA,
            store_dir=STORE,
            embeddings=embeddings,
            encoder_sha256=encoder_sha,
            max_per_source=40,
            progress=False,
        )
        runs.append(report)
    first, second = (r.output_dir for r in runs)
    for file in (MODEL_FILE, MANIFEST_FILE):
        assert (first / file).read_bytes() == (second / file).read_bytes()
    assert any("aspect detection macro-F1" in line for line in runs[0].lines())
    scorer = load_trust_scorer(first, embeddings, encoder_sha256=encoder_sha)
    assert 0.0 <= scorer.score("Where is my parcel?").score <= 1.0


@pytest.mark.parametrize("source", ["bitext", "amazon", "tau", "templates"])
def test_every_source_has_heldout_rows(trained: Path, source: str) -> None:
    counts = json.loads((trained / MANIFEST_FILE).read_text())["counts"]
    assert counts[f"{source}_heldout"] > 0 and counts[f"{source}_train"] > 0
