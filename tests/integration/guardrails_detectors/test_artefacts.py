"""Trained artefacts: plain JSON, traceable, reproducible, loaded back to the same detectors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.guardrails.datasets import BITEXT_FILE, DAVIDSON_FILE, JAILBREAK_FILE
from app.guardrails.detectors.artefacts import (
    MANIFEST_FILE,
    InputDetectors,
    load_detectors,
    load_models,
)
from app.guardrails.training import TrainingReport, main, train_guards
from rag.onnx_encoder import OnnxEmbeddings

SMALL = 40  # rows per source: enough for every fold to see both classes


def test_artefacts_are_small_json_files(trained: TrainingReport) -> None:
    files = sorted(p.name for p in trained.output_dir.iterdir())
    assert files == ["injection.json", "manifest.json", "off_topic.json", "toxicity.json"]
    for path in trained.output_dir.iterdir():
        assert path.stat().st_size < 200_000
        json.loads(path.read_text(encoding="utf-8"))  # no pickle anywhere


def test_manifest_traces_encoder_data_and_heldout_metrics(
    trained: TrainingReport, dev_dir: Path, encoder_sha: str
) -> None:
    manifest = json.loads((trained.output_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["encoder"]["weights_sha256"] == encoder_sha
    for name in (JAILBREAK_FILE, BITEXT_FILE, DAVIDSON_FILE):
        digest = hashlib.sha256((dev_dir / name).read_bytes()).hexdigest()
        assert manifest["data_sha256"][name] == digest
    assert manifest["thresholds"] == trained.thresholds
    injection = manifest["heldout"]["injection"]["jailbreak_train.csv (held-out)"]
    assert injection["n"] == trained.counts["jailbreak_heldout"]


def test_loaded_detectors_score_like_the_trained_models(
    trained: TrainingReport, detectors: InputDetectors
) -> None:
    models = load_models(trained.output_dir)
    assert detectors.injection.threshold == models.injection.threshold
    assert detectors.off_topic.threshold == trained.thresholds["off_topic"]
    assert models.toxicity.abusive_threshold == trained.thresholds["toxicity_abusive"]
    assert models.injection.linear.coef.shape == (models.dim + len(models.injection.weak_patterns),)


def test_detectors_refuse_another_encoder(
    trained: TrainingReport, embeddings: OnnxEmbeddings
) -> None:
    with pytest.raises(ValueError, match="make guards"):
        load_detectors(trained.output_dir, embeddings, encoder_sha256="0" * 64)


def test_missing_or_foreign_artefacts_are_refused(
    tmp_path: Path, trained: TrainingReport, embeddings: OnnxEmbeddings
) -> None:
    with pytest.raises(FileNotFoundError, match="make guards"):
        load_detectors(tmp_path, embeddings)
    for path in trained.output_dir.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    manifest = json.loads((tmp_path / MANIFEST_FILE).read_text())
    (tmp_path / MANIFEST_FILE).write_text(json.dumps({**manifest, "format": 99}))
    with pytest.raises(ValueError, match="format"):
        load_detectors(tmp_path, embeddings)


def test_training_is_deterministic(
    tmp_path: Path, dev_dir: Path, embeddings: OnnxEmbeddings, encoder_sha: str
) -> None:
    for run in ("a", "b"):
        train_guards(
            tmp_path / run,
            dev_dir,
            store_dir=tmp_path / "no-store",
            embeddings=embeddings,
            encoder_sha256=encoder_sha,
            max_per_source=SMALL,
        )
    for name in ("injection.json", "toxicity.json", "off_topic.json", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_command_line_trains_and_prints_heldout_metrics(
    tmp_path: Path,
    dev_dir: Path,
    encoder_dir: Path,
    embeddings: OnnxEmbeddings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "guards"
    args = ["--out", str(out), "--dev", str(dev_dir), "--store", str(tmp_path / "none")]
    args += ["--encoder-dir", str(encoder_dir), "--cache", str(tmp_path / "cache")]
    assert main([*args, "--limit", str(SMALL)]) == 0
    printed = capsys.readouterr().out
    assert "jailbreak_train.csv (held-out)" in printed and "thresholds:" in printed
    assert (out / MANIFEST_FILE).is_file()
    assert list((tmp_path / "cache").glob("guard-embeddings-*.npz"))
    load_detectors(out, embeddings)
