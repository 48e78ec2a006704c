"""The guards' trained artefacts: small JSON files (weights, thresholds, metadata), no pickles.

Folder layout (default var/models/guards, rebuilt by `make guards`):
    manifest.json     format version, encoder weights sha256, training data sha256, metrics
    injection.json    InjectionModel
    toxicity.json     ToxicityModel
    off_topic.json    TopicModel
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from app.guardrails.base import TextDetector
from app.guardrails.detectors.injection import InjectionDetector, InjectionModel
from app.guardrails.detectors.size import SizeDetector
from app.guardrails.detectors.topic import OffTopicDetector, TopicModel
from app.guardrails.detectors.toxicity import ToxicityDetector, ToxicityModel

FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
INJECTION_FILE = "injection.json"
TOXICITY_FILE = "toxicity.json"
TOPIC_FILE = "off_topic.json"
DEFAULT_DIR = Path("var/models/guards")


@dataclass(frozen=True)
class GuardModels:
    """Everything the three learned detectors need, as trained."""

    injection: InjectionModel
    toxicity: ToxicityModel
    topic: TopicModel
    dim: int  # embedding size the weights expect


@dataclass(frozen=True)
class InputDetectors:
    """The embedded input detectors, built over one shared `Embeddings` instance."""

    size: SizeDetector
    injection: InjectionDetector
    toxicity: ToxicityDetector
    off_topic: OffTopicDetector
    manifest: dict[str, Any]

    def by_name(self) -> dict[str, TextDetector]:
        """{"size": ..., "injection": ..., "toxicity": ..., "off_topic": ...}."""
        return {
            detector.name: detector
            for detector in (self.size, self.injection, self.toxicity, self.off_topic)
        }


def save_models(output_dir: Path, models: GuardModels, manifest: dict[str, Any]) -> None:
    """Write the artefact files (stable formatting: same training, same bytes)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    _write(output_dir / INJECTION_FILE, models.injection.to_json())
    _write(output_dir / TOXICITY_FILE, models.toxicity.to_json())
    _write(output_dir / TOPIC_FILE, models.topic.to_json())
    _write(output_dir / MANIFEST_FILE, {**manifest, "format": FORMAT_VERSION, "dim": models.dim})


def read_manifest(artefact_dir: Path) -> dict[str, Any]:
    """The manifest of an artefact folder (FileNotFoundError when the guards are not trained)."""
    path = artefact_dir / MANIFEST_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no guard artefacts in {artefact_dir}: run `make guards`")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path}: format {manifest.get('format')!r}, expected {FORMAT_VERSION}")
    return manifest


def load_models(artefact_dir: Path) -> GuardModels:
    """Read the three models back from `artefact_dir`."""
    dim = int(read_manifest(artefact_dir)["dim"])
    return GuardModels(
        injection=InjectionModel.from_json(_read(artefact_dir / INJECTION_FILE), dim),
        toxicity=ToxicityModel.from_json(_read(artefact_dir / TOXICITY_FILE), dim),
        topic=TopicModel.from_json(_read(artefact_dir / TOPIC_FILE), dim),
        dim=dim,
    )


def load_detectors(
    artefact_dir: Path, embeddings: Embeddings, *, encoder_sha256: str | None = None
) -> InputDetectors:
    """The input detectors from trained artefacts, embedding with `embeddings` (shared)."""
    manifest = read_manifest(artefact_dir)
    trained_with = manifest.get("encoder", {}).get("weights_sha256")
    if encoder_sha256 is not None and trained_with != encoder_sha256:
        raise ValueError(
            f"guards in {artefact_dir} were trained on encoder {trained_with}, "
            f"not {encoder_sha256}: run `make guards`"
        )
    models = load_models(artefact_dir)
    return InputDetectors(
        size=SizeDetector(),
        injection=InjectionDetector(models.injection, embeddings),
        toxicity=ToxicityDetector(models.toxicity, embeddings),
        off_topic=OffTopicDetector(models.topic, embeddings),
        manifest=manifest,
    )


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
