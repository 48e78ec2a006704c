"""Embedded CPU input detectors: size/encoding, prompt injection, toxicity, off-topic.

The three learned detectors are linear models on the MiniLM sentence embedding the retriever
also uses (one shared, cached `Embeddings`), plus cheap patterns. Train them with
`python -m app.guardrails.training --out var/models/guards --dev data/dev` and load
them with `load_detectors(artefact_dir, embeddings)`.
"""

from app.guardrails.detectors.artefacts import InputDetectors, load_detectors
from app.guardrails.detectors.injection import InjectionDetector
from app.guardrails.detectors.size import SizeDetector
from app.guardrails.detectors.topic import OffTopicDetector
from app.guardrails.detectors.toxicity import ToxicityDetector, ToxicityLevel, level_of

__all__ = [
    "InjectionDetector",
    "InputDetectors",
    "OffTopicDetector",
    "SizeDetector",
    "ToxicityDetector",
    "ToxicityLevel",
    "level_of",
    "load_detectors",
]
