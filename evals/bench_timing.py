"""What the component benchmarks (`make bench-guards`, `make bench-trust`) share: timing,
percentiles and resident memory."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50 and p95 of `samples` (milliseconds)."""
    values = np.asarray(samples, dtype=np.float64)
    return {"p50": float(np.percentile(values, 50)), "p95": float(np.percentile(values, 95))}


def p50_p95(stats: Mapping[str, float]) -> str:
    """`percentiles`' result as the benchmark tables print it."""
    return f"p50 {stats['p50']:6.2f} ms  p95 {stats['p95']:6.2f} ms"


def timed(call: Callable[[str], Any], texts: Sequence[str]) -> tuple[list[float], list[Any]]:
    """`call` on each text in turn: the milliseconds each call took, and what each returned."""
    samples, results = [], []
    for text in texts:
        began = time.perf_counter()
        results.append(call(text))
        samples.append((time.perf_counter() - began) * 1000.0)
    return samples, results


def rss_mib() -> dict[str, float]:
    """Resident memory now and at its peak, in MiB (Linux)."""
    now = 0.0
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"now": round(now, 1), "peak": round(peak, 1)}
