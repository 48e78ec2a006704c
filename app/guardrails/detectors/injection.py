"""Prompt-injection and jailbreak detector: strong patterns, then a linear model on embeddings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.guardrails.base import Detection
from app.guardrails.detectors.lexicon import abuse_in
from app.guardrails.detectors.linear import FloatArray, LinearDetector, LinearModel, embed_text
from app.guardrails.detectors.patterns import WEAK_NAMES, PatternHits, find_patterns

NAME = "injection"
# Short abuse with no sign of an attack is the toxicity guard's (jailbreaks run long).
ABUSE_CHARS = 300


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


class InjectionDetector(LinearDetector):
    """Flags prompt injection and jailbreak attempts in a shopper's message."""

    name = NAME

    def detect(self, text: str) -> Detection:
        """Score `text`: 1.0 on an outright attack pattern, else the model's probability."""
        if not text.strip():
            return Detection(NAME, False, 0.0, "empty")
        hits = find_patterns(text)
        if hits.strong:
            return Detection(NAME, True, 1.0, "pattern: " + ", ".join(hits.strong))
        if not hits.weak and len(text) <= ABUSE_CHARS and abuse_in(text):
            # "shut up you worthless bot" attacks the assistant, not its rules: the toxicity
            # guard answers it with its de-escalating reply and asks for an agent.
            return Detection(NAME, False, 0.0, "abuse: left to the toxicity guard")
        features = injection_features(embed_text(self._embeddings, text), hits)
        detail = "model" + (f" (+{', '.join(sorted(hits.weak))})" if hits.weak else "")
        return self._judge(features, detail)
