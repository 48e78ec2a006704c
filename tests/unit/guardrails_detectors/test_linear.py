"""Linear model arithmetic, JSON weights and threshold choice."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from app.guardrails.detectors.linear import (
    LinearModel,
    best_f1_threshold,
    fit_logistic,
    threshold_for_fpr,
    threshold_for_recall,
)


def test_probability_is_the_logistic_of_the_score() -> None:
    model = LinearModel(np.array([2.0, -1.0], dtype=np.float32), 0.5)
    x = np.array([0.25, 1.0], dtype=np.float32)
    assert model.probability(x) == pytest.approx(1 / (1 + math.exp(0.0)))
    rows = np.array([[0.25, 1.0], [3.0, 0.0]], dtype=np.float32)
    assert model.probabilities(rows).tolist() == pytest.approx([0.5, 1 / (1 + math.exp(-6.5))])
    assert model.probability(np.array([1e4, 0.0], dtype=np.float32)) == 1.0


def test_json_round_trip_keeps_float32_precision() -> None:
    rng = np.random.default_rng(0)
    model = LinearModel(rng.normal(size=8).astype(np.float32), -0.123456789)
    data = json.loads(json.dumps(model.to_json()))
    again = LinearModel.from_json(data, 8)
    assert np.allclose(again.coef, model.coef, rtol=1e-6)
    x = rng.normal(size=8).astype(np.float32)
    assert again.probability(x) == pytest.approx(model.probability(x), abs=1e-6)
    with pytest.raises(ValueError):
        LinearModel.from_json(data, 9)


def test_fit_separates_and_is_deterministic() -> None:
    rng = np.random.default_rng(1)
    x = np.vstack([rng.normal(1.0, 0.5, (50, 3)), rng.normal(-1.0, 0.5, (50, 3))])
    y = np.array([True] * 50 + [False] * 50)
    first = fit_logistic(x.astype(np.float32), y, c=1.0)
    second = fit_logistic(x.astype(np.float32), y, c=1.0)
    assert first.to_json() == second.to_json()
    assert (first.probabilities(x.astype(np.float32)) >= 0.5).tolist() == y.tolist()


def test_threshold_for_recall_keeps_the_asked_share() -> None:
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]
    assert threshold_for_recall(scores, 0.9) == 0.1
    assert threshold_for_recall(scores, 0.5) == 0.5
    assert threshold_for_recall(scores, 1.0) == 0.05


def test_threshold_for_fpr_flags_no_more_than_allowed() -> None:
    negatives = [i / 100 for i in range(100)]  # 0.00 .. 0.99
    threshold = threshold_for_fpr(negatives, 0.05)
    assert sum(s >= threshold for s in negatives) == 5
    assert sum(s >= threshold_for_fpr(negatives, 0.0) for s in negatives) == 0


def test_best_f1_threshold_and_class_weights() -> None:
    scores = [0.9, 0.8, 0.7, 0.6, 0.5]
    labels = [True, True, False, True, False]
    assert best_f1_threshold(scores, labels) == 0.6
    # Each negative standing for ten (a subsampled class): stricter threshold wins.
    assert best_f1_threshold(scores, labels, [1, 1, 10, 1, 10]) == 0.8
