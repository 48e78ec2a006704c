"""`make bench-trust`: latency and memory of the embedded trust scorer, on this machine.

Scores distinct real shopper texts (Bitext requests, tau-bench customer turns, Amazon review
sentences, mixed), each new to the serving ONNX encoder's cache, as a shopper's message is:
the one embedding is paid inside the scorer (target p95 <= 15 ms per message on CPU). The
encoder alone runs over as many other texts, so the scorer's own cost shows beside it. Results
also go to reports/bench_trust.json.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.config import Settings
from evals.bench_timing import p50_p95, percentiles, rss_mib, timed

REPORT = Path("reports/bench_trust.json")
P95_TARGET_MS = 15.0
DEFAULT_DATA_DIR = Path("data/dev")


def bench_texts(data_dir: Path, count: int) -> list[str]:
    """2 x `count` distinct shopper texts from three dev sources, shuffled (seeded)."""
    from app.guardrails.datasets import (
        AMAZON_FILE,
        BITEXT_FILE,
        TAU_FILE,
        read_amazon_reviews,
        read_bitext_requests,
        read_tau_user_turns,
    )

    texts = read_bitext_requests(data_dir / BITEXT_FILE)
    texts += read_tau_user_turns(data_dir / TAU_FILE)
    texts += read_amazon_reviews(data_dir / AMAZON_FILE)
    distinct = sorted(set(texts))
    random.Random(7).shuffle(distinct)
    return distinct[: 2 * count]


def measure(settings: Settings, texts: Sequence[str], others: Sequence[str]) -> dict[str, Any]:
    """The scorer over `texts` and the encoder alone over `others` (all fresh to the cache)."""
    from app.container import query_embeddings
    from app.trust.embedded import load_trust_scorer
    from app.trust.lexicon import needs_clauses
    from rag.embeddings import default_model_path
    from rag.onnx_export import weights_sha256

    before = rss_mib()
    embeddings = query_embeddings(settings)
    encoder = weights_sha256(settings.embeddings.model_path or default_model_path())
    scorer = load_trust_scorer(settings.trust_artefact_dir, embeddings, encoder_sha256=encoder)
    for text in ("hello", "where is my order?", "the jacket is great but delivery was slow"):
        scorer.score(text)  # warm-up: first calls pay for lazy set-up
    encoder_ms, _ = timed(embeddings.embed_query, others)
    samples, _ = timed(scorer.score, texts)
    split = [needs_clauses(t) for t in texts]
    two = [s for s, by_clause in zip(samples, split, strict=True) if by_clause]
    one = [s for s, by_clause in zip(samples, split, strict=True) if not by_clause]
    return {
        "messages": len(texts),
        "total_ms": percentiles(samples),
        "encoder_ms": percentiles(encoder_ms),
        "one_embedding_ms": {"messages": len(one), **(percentiles(one) if one else {})},
        "clause_path_ms": {"messages": len(two), **(percentiles(two) if two else {})},
        "rss_mib": {"before_load": before, "after": rss_mib()},
    }


def report(result: dict[str, Any]) -> str:
    """The printed table."""
    total, enc = result["total_ms"], result["encoder_ms"]
    verdict = "PASS" if total["p95"] <= P95_TARGET_MS else "MISS"
    rss = result["rss_mib"]
    lines = [
        f"Trust scorer latency ({result['messages']} distinct real messages, fresh encoder cache)",
        f"  {'embedded scorer':<26} {p50_p95(total)}"
        f"   target p95 <= {P95_TARGET_MS:.0f} ms  {verdict}",
        f"    {'(the encoder alone)':<24} {p50_p95(enc)}",
    ]
    for key, name in (("one_embedding_ms", "one embedding"), ("clause_path_ms", "+ clauses")):
        part = result[key]
        if "p95" in part:
            lines.append(f"    {name:<24} {p50_p95(part)}   ({part['messages']} messages)")
    lines.append(
        f"  RSS: {rss['before_load']['now']:.0f} MiB before loading, {rss['after']['now']:.0f} MiB "
        f"after (peak {rss['after']['peak']:.0f} MiB; encoder + scorer + numpy)"
    )
    return "\n".join(lines)


def main() -> None:
    """Measure, print, and write reports/bench_trust.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    texts = bench_texts(args.data_dir, args.messages)
    half = len(texts) // 2
    result = measure(Settings(), texts[:half], texts[half:])
    print(report(result))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {REPORT}")


if __name__ == "__main__":
    main()
