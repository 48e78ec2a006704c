"""`trustdesk eval trust`: score labelled texts with a trust scorer and report like the paper.

Without a file, the texts are the held-out split of the dev data: the same labelled sources and
hash split that training used (`app/trust/training_data.py`), none of them trained on.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.trust.base import MessageTrust, TrustScorer
from app.trust.labels import TrustExample
from evals.trust_metrics import TrustMetrics, evaluate
from evals.trust_report import by_source_lines, metrics_lines, write_report


@dataclass(frozen=True)
class TrustEvalResult:
    """Metrics over all texts and per source, with the scorer's latency on them."""

    title: str
    scorer: str
    metrics: TrustMetrics
    by_source: dict[str, TrustMetrics] = field(default_factory=dict)
    latency_ms: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The printed report."""
        rows = metrics_lines(self.metrics, title=self.title)
        if len(self.by_source) > 1:
            rows += by_source_lines(self.by_source)
        if self.latency_ms:
            rows.append(
                f"scorer `{self.scorer}`: p50 {self.latency_ms['p50']:.1f} ms, "
                f"p95 {self.latency_ms['p95']:.1f} ms per text (`make bench-trust` measures it "
                "on fresh messages)"
            )
        return rows

    def write(self, path: Path) -> list[Path]:
        """Markdown at `path`, JSON and the confusion-matrix SVG beside it."""
        extra = {"scorer": self.scorer, "latency_ms": self.latency_ms}
        return write_report(
            path, self.metrics, title=self.title, by_source=self.by_source, extra=extra
        )


def dev_heldout(dev_dir: Path, store_dir: Path) -> list[TrustExample]:
    """The held-out split of the dev data, labelled as for training."""
    from app.trust.training_data import build_dev_data
    from rag.store import load_store

    documents = load_store(store_dir) if store_dir.is_dir() else []
    return build_dev_data(dev_dir, store_dir, documents).heldout


def run_trust_eval(
    scorer: TrustScorer,
    examples: Sequence[TrustExample],
    *,
    title: str,
    progress: bool = False,
) -> TrustEvalResult:
    """Score every text once and compute the metrics, overall and per source."""
    predicted, samples = score_all(scorer, [e.text for e in examples], progress=progress)
    sources = sorted({e.source for e in examples})
    by_source = {
        source: evaluate(
            [e for e in examples if e.source == source],
            [p for e, p in zip(examples, predicted, strict=True) if e.source == source],
        )
        for source in sources
    }
    latency = (
        {"p50": float(np.percentile(samples, 50)), "p95": float(np.percentile(samples, 95))}
        if samples
        else {}
    )
    return TrustEvalResult(title, scorer.name, evaluate(examples, predicted), by_source, latency)


def score_all(
    scorer: TrustScorer, texts: Sequence[str], *, progress: bool = False
) -> tuple[list[MessageTrust], list[float]]:
    """The scorer's verdict on each text, and the milliseconds each took."""
    from tqdm import tqdm

    predicted: list[MessageTrust] = []
    samples: list[float] = []
    for text in tqdm(texts, desc="scoring", unit="text", disable=not progress):
        began = time.perf_counter()
        predicted.append(scorer.score(text))
        samples.append((time.perf_counter() - began) * 1000.0)
    return predicted, samples
