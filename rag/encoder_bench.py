"""Single-query latency (p50/p95) of the query encoders: `python -m rag.encoder_bench`."""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.embeddings import SentenceTransformerEmbeddings, default_model_path

# Short shopper questions, the length a chat turn usually has.
QUESTIONS = (
    "How long do I have to return an item?",
    "Do you ship to Canada?",
    "What are the shipping rates for overnight delivery?",
    "Is the Typhon Performance Fleece-lined Jacket in stock?",
    "Do you have running shorts under $30?",
    "What is your privacy policy on cookies?",
    "Can I return a product by mail?",
    "How much is the Juno Jacket?",
    "Which yoga pants come in size XS?",
    "What warranty does the Apple Watch have?",
    "Do you sell waterproof hiking boots?",
    "When will my order arrive?",
)


@dataclass(frozen=True)
class Latency:
    """Percentiles of one encoder's single-query latency."""

    name: str
    p50_ms: float
    p95_ms: float
    calls: int

    def line(self) -> str:
        """One-line report."""
        return (
            f"{self.name}: p50 {self.p50_ms:.3f} ms, p95 {self.p95_ms:.3f} ms, {self.calls} calls"
        )


def measure(
    name: str, embed: Callable[[str], object], queries: Sequence[str], *, rounds: int = 10
) -> Latency:
    """Time `embed` on each query, one at a time, after one warm-up pass."""
    for query in queries:
        embed(query)
    samples: list[float] = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            embed(query)
            samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return Latency(name=name, p50_ms=cuts[49], p95_ms=cuts[94], calls=len(samples))


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: print p50/p95 single-query latency of both encoders (ONNX without its cache)."""
    from rag.onnx_encoder import OnnxEmbeddings
    from rag.onnx_export import ensure_onnx_model

    parser = argparse.ArgumentParser(prog="python -m rag.encoder_bench", description=main.__doc__)
    parser.add_argument("--cache-dir", type=Path, default=Path("var/models"))
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime threads")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    model_path = default_model_path()
    onnx = OnnxEmbeddings(
        ensure_onnx_model(model_path, args.cache_dir), cache_size=0, threads=args.threads
    )
    cached = OnnxEmbeddings(ensure_onnx_model(model_path, args.cache_dir), threads=args.threads)
    sentence_transformers = SentenceTransformerEmbeddings(model_path)
    results = [
        measure("onnx (no cache)", onnx.embed_query, QUESTIONS, rounds=args.rounds),
        measure("onnx (LRU hit)", cached.embed_query, QUESTIONS, rounds=args.rounds),
        measure(
            "sentence-transformers",
            sentence_transformers.embed_query,
            QUESTIONS,
            rounds=args.rounds,
        ),
    ]
    for result in results:
        print(result.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
