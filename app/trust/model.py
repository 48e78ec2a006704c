"""The embedded trust model: eight aspect detectors and a three-way polarity model.

Features are the message's MiniLM vector followed by the lexicon's cheap features (scaled, so
that L2 regularisation treats the two parts alike). Inference is numpy only: eleven dot products.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.guardrails.detectors.linear import FloatArray, LinearModel
from app.trust.base import Aspect, Polarity
from app.trust.lexicon import LEXICAL_FEATURES, lexical_features

# The order of the polarity model's outputs.
POLARITIES = (Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE)


@dataclass(frozen=True)
class SoftmaxModel:
    """Multinomial logistic regression: P(class | features) = softmax(coef @ features + b)."""

    coef: FloatArray  # (classes, features)
    intercept: FloatArray  # (classes,)

    def probabilities(self, features: FloatArray) -> FloatArray:
        """Class probabilities of one feature vector (or one row per vector of a matrix)."""
        logits = features @ self.coef.T + self.intercept
        logits = logits - logits.max(axis=-1, keepdims=True)
        exp = np.exp(logits)
        out: FloatArray = (exp / exp.sum(axis=-1, keepdims=True)).astype(np.float32)
        return out

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (7 significant digits)."""
        return {
            "coef": [[_round(x) for x in row] for row in self.coef.tolist()],
            "intercept": [_round(x) for x in self.intercept.tolist()],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], dim: int, classes: int) -> SoftmaxModel:
        """Rebuild from `to_json` output, checking the shapes."""
        coef = np.asarray(data["coef"], dtype=np.float32)
        intercept = np.asarray(data["intercept"], dtype=np.float32)
        if coef.shape != (classes, dim) or intercept.shape != (classes,):
            raise ValueError(f"expected {classes}x{dim} coefficients, found {coef.shape}")
        return cls(coef=coef, intercept=intercept)


@dataclass(frozen=True)
class AspectModel:
    """One aspect's detector and the probability from which the message is about it."""

    model: LinearModel
    threshold: float


@dataclass(frozen=True)
class TrustModel:
    """Everything the embedded scorer computes with, as trained."""

    aspects: Mapping[Aspect, AspectModel]
    polarity: SoftmaxModel
    dim: int  # embedding size
    lexical_scale: float  # multiplies the lexical features (kept beside the weights)
    neutral_trust: float  # trust contributed by P(neutral): a plain question is not distrust

    def features(self, vector: FloatArray, text: str) -> FloatArray:
        """The feature vector of a message: its embedding, then the scaled lexical features."""
        return feature_vector(vector, text, self.lexical_scale)

    def trust(self, probabilities: FloatArray) -> float:
        """0-1 trust from polarity probabilities (negative, neutral, positive)."""
        # P(negative) contributes nothing.
        neutral, positive = float(probabilities[1]), float(probabilities[2])
        return min(1.0, max(0.0, positive + self.neutral_trust * neutral))

    def to_json(self) -> dict[str, Any]:
        """Plain JSON, stable key order."""
        return {
            "dim": self.dim,
            "lexical_features": list(LEXICAL_FEATURES),
            "lexical_scale": self.lexical_scale,
            "neutral_trust": self.neutral_trust,
            "polarities": [p.value for p in POLARITIES],
            "polarity": self.polarity.to_json(),
            "aspects": {
                a.value: {"threshold": _round(m.threshold), **m.model.to_json()}
                for a, m in self.aspects.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrustModel:
        """Rebuild from `to_json` output (ValueError when the features changed since)."""
        if list(data["lexical_features"]) != list(LEXICAL_FEATURES):
            raise ValueError("the lexical features changed since training: retrain the scorer")
        if list(data["polarities"]) != [p.value for p in POLARITIES]:
            raise ValueError(f"unexpected polarity order {data['polarities']}")
        width = int(data["dim"]) + len(LEXICAL_FEATURES)
        aspects = {
            Aspect(name): AspectModel(LinearModel.from_json(part, width), float(part["threshold"]))
            for name, part in data["aspects"].items()
        }
        return cls(
            aspects=aspects,
            polarity=SoftmaxModel.from_json(data["polarity"], width, len(POLARITIES)),
            dim=int(data["dim"]),
            lexical_scale=float(data["lexical_scale"]),
            neutral_trust=float(data["neutral_trust"]),
        )


def feature_vector(vector: FloatArray, text: str, lexical_scale: float) -> FloatArray:
    """The embedding followed by the lexical features times `lexical_scale`."""
    lexical = np.asarray(lexical_features(text), dtype=np.float32) * np.float32(lexical_scale)
    return np.concatenate([vector.astype(np.float32), lexical])


def feature_matrix(vectors: FloatArray, texts: Sequence[str], lexical_scale: float) -> FloatArray:
    """One feature row per (vector, text)."""
    return np.stack(
        [feature_vector(v, t, lexical_scale) for v, t in zip(vectors, texts, strict=True)]
    )


def _round(value: float) -> float:
    return float(f"{value:.7g}")
