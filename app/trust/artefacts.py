"""The trust scorer's trained artefacts: two small JSON files, no pickles.

Folder layout (default var/models/trust, rebuilt by `make trust`):
    manifest.json      format, encoder weights sha256, data sha256s, thresholds, held-out metrics
    trust_model.json   TrustModel (aspect detectors with thresholds, polarity model)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.trust.model import TrustModel

FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
MODEL_FILE = "trust_model.json"
DEFAULT_DIR = Path("var/models/trust")


def save_model(folder: Path, model: TrustModel, manifest: dict[str, Any]) -> None:
    """Write the model, then the manifest (stable formatting: same training, same bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / MODEL_FILE, model.to_json())
    # Last, so that a manifest always describes a complete folder (make keys on it).
    _write(folder / MANIFEST_FILE, {**manifest, "format": FORMAT_VERSION, "dim": model.dim})


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of an artefact folder (FileNotFoundError when the scorer is not trained)."""
    path = folder / MANIFEST_FILE
    if not path.is_file() or not (folder / MODEL_FILE).is_file():
        raise FileNotFoundError(f"no trust scorer in {folder}: run `make trust`")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path}: format {manifest.get('format')!r}, expected {FORMAT_VERSION}")
    return manifest


def load_model(folder: Path) -> TrustModel:
    """The trained model of `folder`."""
    read_manifest(folder)
    data = json.loads((folder / MODEL_FILE).read_text(encoding="utf-8"))
    return TrustModel.from_json(data)


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
