"""Metrics of the text guards: precision, recall, false-positive rate, latency percentiles.

Everything here is a pure function of its inputs except `evaluate_detector`, which runs a
detector over labelled texts and times each call. Rates that are undefined on the data (recall
with no positive example, precision with no flagged one) are None, never a made-up 0 or 1.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol


class _Detection(Protocol):
    @property
    def flagged(self) -> bool: ...


class _Detector(Protocol):
    def detect(self, text: str) -> Any: ...


@dataclass(frozen=True)
class BinaryMetrics:
    """Confusion counts of flagged-vs-label, with the usual rates."""

    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def n(self) -> int:
        """Number of examples."""
        return self.tp + self.fp + self.tn + self.fn

    @property
    def precision(self) -> float | None:
        """Share of flagged examples that are violations."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """Share of violations that are flagged."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def fpr(self) -> float | None:
        """Share of benign examples that are flagged (false-positive rate)."""
        return _ratio(self.fp, self.fp + self.tn)

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
        return {**asdict(self), "n": self.n, **rounded}


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
    if len(labels) != len(flagged):
        raise ValueError(f"{len(labels)} labels but {len(flagged)} predictions")
    tp = sum(1 for y, p in zip(labels, flagged, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, flagged, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, flagged, strict=True) if y and not p)
    return BinaryMetrics(tp=tp, fp=fp, tn=len(labels) - tp - fp - fn, fn=fn)


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


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
