"""Drift of this week's trust and aspect mix from the weeks before: population stability index.

PSI = sum over bins of (a - e) * ln(a / e), with e the baseline share and a this week's share of
a bin (shares floored at 1e-4 so an empty bin counts as rare, not impossible). The usual reading,
also ours: below 0.1 stable, 0.1 up to the alert threshold worth watching, from the threshold
(`TRUSTDESK_REVIEW__DRIFT_THRESHOLD`, default 0.2) on the distribution has moved and the console
raises the alert. Windows with fewer than `drift_min_samples` values give no verdict.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

EPSILON = 1e-4
WATCH_FROM = 0.1
TRUST_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


class DriftStatus(StrEnum):
    """The verdict on one distribution."""

    STABLE = "stable"
    WATCH = "watch"
    DRIFT = "drift"
    TOO_FEW = "too_few"  # not enough data in a window to say


@dataclass(frozen=True)
class DriftCheck:
    """One distribution compared: bins, counts per window, PSI and the verdict."""

    name: str
    labels: tuple[str, ...]
    baseline: tuple[int, ...]
    current: tuple[int, ...]
    psi: float | None
    threshold: float
    status: DriftStatus

    @property
    def alert(self) -> bool:
        """Whether this distribution drifted past the threshold."""
        return self.status is DriftStatus.DRIFT

    def shares(self, which: str) -> tuple[float, ...]:
        """The shares of each bin in the "baseline" or "current" window."""
        counts = self.baseline if which == "baseline" else self.current
        total = sum(counts)
        return tuple(count / total if total else 0.0 for count in counts)


def psi(expected: Sequence[float], actual: Sequence[float], *, epsilon: float = EPSILON) -> float:
    """Population stability index between two count (or share) vectors over the same bins."""
    if len(expected) != len(actual) or not expected:
        raise ValueError("both distributions need the same, non-zero number of bins")
    e, a = _shares(expected, epsilon), _shares(actual, epsilon)
    return sum((ai - ei) * math.log(ai / ei) for ei, ai in zip(e, a, strict=True))


def histogram(values: Iterable[float], edges: Sequence[float] = TRUST_EDGES) -> tuple[int, ...]:
    """Counts of `values` per bin [edge_i, edge_i+1); the last bin includes its upper edge."""
    counts = [0] * (len(edges) - 1)
    for value in values:
        for index in range(len(counts)):
            last = index == len(counts) - 1
            if edges[index] <= value < edges[index + 1] or (last and value == edges[-1]):
                counts[index] += 1
                break
    return tuple(counts)


def bin_labels(edges: Sequence[float] = TRUST_EDGES) -> tuple[str, ...]:
    """Readable labels of the bins between `edges` ("0.0-0.2", ...)."""
    return tuple(f"{low:.1f}-{high:.1f}" for low, high in itertools.pairwise(edges))


def check_drift(
    name: str,
    labels: Sequence[str],
    baseline: Sequence[int],
    current: Sequence[int],
    *,
    threshold: float,
    min_samples: int,
) -> DriftCheck:
    """Compare this window's counts with the baseline's and give the verdict."""
    enough = sum(baseline) >= min_samples and sum(current) >= min_samples
    value = psi(baseline, current) if enough else None
    return DriftCheck(
        name=name,
        labels=tuple(labels),
        baseline=tuple(baseline),
        current=tuple(current),
        psi=value,
        threshold=threshold,
        status=_status(value, threshold),
    )


def _status(value: float | None, threshold: float) -> DriftStatus:
    if value is None:
        return DriftStatus.TOO_FEW
    if value >= threshold:
        return DriftStatus.DRIFT
    return DriftStatus.WATCH if value >= min(WATCH_FROM, threshold) else DriftStatus.STABLE


def _shares(counts: Sequence[float], epsilon: float) -> list[float]:
    total = float(sum(counts))
    if total <= 0:
        raise ValueError("a distribution needs at least one value")
    return [max(count / total, epsilon) for count in counts]
