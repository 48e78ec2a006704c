"""Prompt-injection and jailbreak detector: strong patterns, then a linear model on embeddings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from app.guardrails.base import Detection
from app.guardrails.detectors.linear import FloatArray, LinearModel, embed_text
from app.guardrails.detectors.patterns import WEAK_NAMES, PatternHits, find_patterns

NAME = "injection"


@dataclass(frozen=True)
class InjectionModel:
    """Weights over [embedding, weak-pattern flags] and the blocking threshold."""

    linear: LinearModel
    threshold: float
    weak_patterns: tuple[str, ...] = WEAK_NAMES

    def to_json(self) -> dict[str, Any]:
        """Plain JSON for the artefact file."""
        return {
            "linear": self.linear.to_json(),
            "threshold": self.threshold,
            "weak_patterns": list(self.weak_patterns),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], dim: int) -> InjectionModel:
        """Rebuild from `to_json` output; the pattern list must match this code's."""
        weak = tuple(data["weak_patterns"])
        if weak != WEAK_NAMES:
            raise ValueError("injection artefact was trained with other patterns: retrain")
        linear = LinearModel.from_json(data["linear"], dim + len(weak))
        return cls(linear=linear, threshold=float(data["threshold"]), weak_patterns=weak)


def injection_features(embedding: FloatArray, hits: PatternHits) -> FloatArray:
    """The model's input: the sentence embedding followed by the weak-pattern flags."""
    flags = np.asarray(hits.weak_vector(), dtype=np.float32)
    return np.concatenate([embedding.astype(np.float32), flags])


class InjectionDetector:
    """Flags prompt injection and jailbreak attempts in a shopper's message."""

    name = NAME

    def __init__(self, model: InjectionModel, embeddings: Embeddings) -> None:
        self._model = model
        self._embeddings = embeddings

    @property
    def threshold(self) -> float:
        """Score at or above which a message is flagged."""
        return self._model.threshold

    def detect(self, text: str) -> Detection:
        """Score `text`: 1.0 on an outright attack pattern, else the model's probability."""
        if not text.strip():
            return Detection(NAME, False, 0.0, "empty")
        hits = find_patterns(text)
        if hits.strong:
            return Detection(NAME, True, 1.0, "pattern: " + ", ".join(hits.strong))
        features = injection_features(embed_text(self._embeddings, text), hits)
        score = self._model.linear.probability(features)
        flagged = score >= self._model.threshold
        detail = "model" + (f" (+{', '.join(sorted(hits.weak))})" if hits.weak else "")
        return Detection(NAME, flagged, round(score, 4), detail if flagged else "")
