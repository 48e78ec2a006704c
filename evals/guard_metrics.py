"""Metrics of the text guards: precision, recall, false-positive rate, latency percentiles.

Everything here is a pure function of its inputs except `evaluate_detector`, which runs a
detector over labelled texts and times each call. Rates that are undefined on the data (recall
with no positive example, precision with no flagged one) are None, never a made-up 0 or 1.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from evals.binary_metrics import ConfusionCounts


class _Detection(Protocol):
    @property
    def flagged(self) -> bool: ...


class _Detector(Protocol):
    def detect(self, text: str) -> Any: ...


@dataclass(frozen=True)
class BinaryMetrics(ConfusionCounts):
    """Confusion counts of flagged-vs-label, with the usual rates."""

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)

    def as_dict(self) -> dict[str, Any]:
        """Counts and rates (rounded to 4 places) for JSON and tables."""
        rates = {"precision": self.precision, "recall": self.recall, "fpr": self.fpr, "f1": self.f1}
        rounded = {k: None if v is None else round(v, 4) for k, v in rates.items()}
        # Key order of the stored guard metrics, kept as it was before the counts were shared.
        counts = {"tp": self.tp, "fp": self.fp, "tn": self.tn, "fn": self.fn}
        return {**counts, "n": self.n, **rounded}


@dataclass(frozen=True)
class LatencyStats:
    """Latency percentiles in milliseconds."""

    n: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float


@dataclass(frozen=True)
class DetectorScore:
    """One detector on one labelled data set: quality and latency."""

    detector: str
    dataset: str
    metrics: BinaryMetrics
    latency: LatencyStats


def binary_metrics(labels: Sequence[bool], flagged: Sequence[bool]) -> BinaryMetrics:
    """Confusion counts of `flagged` against the true `labels` (True = violation)."""
    return BinaryMetrics.of(labels, flagged)


def threshold_metrics(
    labels: Sequence[bool], scores: Sequence[float], threshold: float
) -> BinaryMetrics:
    """Metrics when an example is flagged at `score >= threshold`."""
    return binary_metrics(labels, [s >= threshold for s in scores])


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation (numpy's default method)."""
    if not values:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_stats(latencies_ms: Sequence[float]) -> LatencyStats:
    """p50, p95, mean and max of a list of latencies in milliseconds."""
    return LatencyStats(
        n=len(latencies_ms),
        p50_ms=round(percentile(latencies_ms, 50), 3),
        p95_ms=round(percentile(latencies_ms, 95), 3),
        mean_ms=round(sum(latencies_ms) / len(latencies_ms), 3),
        max_ms=round(max(latencies_ms), 3),
    )


def evaluate_detector(
    detector: _Detector, texts: Sequence[str], labels: Sequence[bool], *, name: str, dataset: str
) -> DetectorScore:
    """Run `detector` on every text, timing each call; flagged-vs-label metrics and latency."""
    flagged: list[bool] = []
    latencies: list[float] = []
    for text in texts:
        started = time.perf_counter()
        detection: _Detection = detector.detect(text)
        latencies.append((time.perf_counter() - started) * 1000.0)
        flagged.append(bool(detection.flagged))
    return DetectorScore(name, dataset, binary_metrics(labels, flagged), latency_stats(latencies))
