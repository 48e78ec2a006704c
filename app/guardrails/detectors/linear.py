"""Logistic regression on sentence embeddings: numpy inference, JSON weights, sklearn fitting.

Serving needs only numpy: a dot product and a sigmoid (microseconds). Fitting imports
scikit-learn lazily, so the chat server never loads it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from langchain_core.embeddings import Embeddings

from app.guardrails.base import Detection

FloatArray = npt.NDArray[np.float32]
SEED = 20240611
# The encoder reads 256 tokens at most; longer input only costs tokenising time.
MAX_EMBED_CHARS = 4000


class Thresholded(Protocol):
    """A trained model: a `LinearModel` and the score at or above which it flags."""

    @property
    def linear(self) -> LinearModel:
        """The weights."""
        ...

    @property
    def threshold(self) -> float:
        """The flagging threshold."""
        ...


class LinearDetector:
    """Base of the detectors that flag a text when one linear model's score reaches a threshold."""

    name = "linear"

    def __init__(self, model: Thresholded, embeddings: Embeddings) -> None:
        self._model = model
        self._embeddings = embeddings

    @property
    def threshold(self) -> float:
        """Score at or above which a message is flagged."""
        return self._model.threshold

    def _judge(self, features: FloatArray, detail: str = "model") -> Detection:
        """The detection for one feature vector (`detail` is kept only when flagged)."""
        score = self._model.linear.probability(features)
        flagged = score >= self._model.threshold
        return Detection(self.name, flagged, round(score, 4), detail if flagged else "")


@dataclass(frozen=True)
class LinearModel:
    """P(violation | features) = sigmoid(coef . features + intercept)."""

    coef: FloatArray
    intercept: float

    def probability(self, features: FloatArray) -> float:
        """Probability of the positive class for one feature vector."""
        logit = float(np.dot(self.coef, features)) + self.intercept
        return _sigmoid(logit)

    def probabilities(self, features: FloatArray) -> FloatArray:
        """Probabilities for a matrix of feature rows."""
        logits = features @ self.coef + np.float32(self.intercept)
        out: FloatArray = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return out

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (7 significant digits: the weights' float32 precision)."""
        return {
            "coef": [_round(x) for x in self.coef.tolist()],
            "intercept": _round(self.intercept),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], dim: int) -> LinearModel:
        """Rebuild from `to_json` output, checking the feature count."""
        coef = np.asarray(data["coef"], dtype=np.float32)
        if coef.shape != (dim,):
            raise ValueError(f"expected {dim} coefficients, found {coef.shape}")
        return cls(coef=coef, intercept=float(data["intercept"]))


def fit_logistic(
    features: FloatArray,
    labels: npt.NDArray[np.bool_],
    *,
    c: float,
    sample_weight: npt.NDArray[np.float64] | None = None,
    balanced: bool = False,
) -> LinearModel:
    """L2-regularised logistic regression (lbfgs, deterministic) as a `LinearModel`."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(
        C=c,
        max_iter=5000,
        class_weight="balanced" if balanced else None,
        random_state=SEED,
    )
    model.fit(features, labels, sample_weight=sample_weight)
    return LinearModel(
        coef=np.asarray(model.coef_[0], dtype=np.float32),
        intercept=float(model.intercept_[0]),
    )


def out_of_fold(
    features: FloatArray,
    labels: npt.NDArray[np.bool_],
    *,
    c: float,
    folds: int = 5,
    sample_weight: npt.NDArray[np.float64] | None = None,
    balanced: bool = False,
    groups: Sequence[str] | None = None,
) -> FloatArray:
    """Cross-validated probabilities: each row scored by a model that never saw it.

    With `groups` (e.g. a template's fills), a group's rows are all scored by a model that saw
    none of them, so the scores are those of wording new to the model.
    """
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    scores = np.zeros(len(labels), dtype=np.float32)
    smallest_class = int(min(labels.sum(), len(labels) - labels.sum()))
    # Tiny training sets (smoke runs) cannot give every fold an example of each class.
    splits = max(2, min(folds, smallest_class))
    if groups is None:
        folding = StratifiedKFold(n_splits=splits, shuffle=True, random_state=SEED)
        fold_rows = folding.split(features, labels)
    else:
        grouped = StratifiedGroupKFold(n_splits=splits, shuffle=True, random_state=SEED)
        fold_rows = grouped.split(features, labels, groups)
    for train, test in fold_rows:
        weights = None if sample_weight is None else sample_weight[train]
        model = fit_logistic(
            features[train], labels[train], c=c, sample_weight=weights, balanced=balanced
        )
        scores[test] = model.probabilities(features[test])
    return scores


def threshold_for_recall(positive_scores: Sequence[float], recall: float) -> float:
    """The highest threshold that still flags `recall` of the positives (score >= threshold)."""
    ordered = sorted(positive_scores, reverse=True)
    if not ordered:
        raise ValueError("no positive scores")
    needed = max(1, math.ceil(recall * len(ordered)))
    return float(ordered[needed - 1])


def threshold_for_fpr(negative_scores: Sequence[float], max_fpr: float) -> float:
    """The lowest threshold that flags at most `max_fpr` of the negatives."""
    ordered = sorted(negative_scores, reverse=True)
    if not ordered:
        raise ValueError("no negative scores")
    allowed = math.floor(max_fpr * len(ordered))
    # Just above the first negative that must not be flagged.
    return float(np.nextafter(np.float32(ordered[allowed]), np.float32(2.0)))


def embeddable(text: str) -> str:
    """`text` as the detectors embed it: clipped, lone surrogates replaced."""
    # Lone surrogates (from broken decoding) cannot be passed to the Rust tokenizer.
    return text[:MAX_EMBED_CHARS].encode("utf-8", "replace").decode("utf-8")


def embed_text(embeddings: Embeddings, text: str) -> FloatArray:
    """The query vector of `text` (served from the encoder's cache when already embedded)."""
    return np.asarray(embeddings.embed_query(embeddable(text)), dtype=np.float32)


def best_f1_threshold(
    scores: Sequence[float], labels: Sequence[bool], weights: Sequence[float] | None = None
) -> float:
    """The threshold (one of `scores`) that maximises F1 of `score >= threshold`.

    `weights` count each row as that many examples (undoing a class's subsampling).
    """
    row_weights = [1.0] * len(scores) if weights is None else list(weights)
    rows = sorted(zip(scores, labels, row_weights, strict=True), key=lambda r: -r[0])
    positives = sum(w for _, label, w in rows if label)
    best, best_f1, tp, flagged = 1.0, -1.0, 0.0, 0.0
    for score, label, weight in rows:
        flagged += weight
        tp += weight if label else 0.0
        f1 = 2 * tp / (flagged + positives) if positives else 0.0
        if f1 > best_f1:
            best, best_f1 = float(score), f1
    return best


def _sigmoid(logit: float) -> float:
    if logit >= 0:
        return 1.0 / (1.0 + math.exp(-logit))
    exp = math.exp(logit)
    return exp / (1.0 + exp)


def _round(value: float) -> float:
    return float(f"{value:.7g}")
