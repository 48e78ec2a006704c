"""`make bench-guards`: latency of the guards on real shopper requests, on this machine.

Input guards together (size, PII, injection, toxicity, off-topic; target p95 <= 15 ms) and
each one alone, measured through the serving GuardPipeline with the serving ONNX encoder: every
request is new to the encoder's cache, as a shopper's message is, so the one embedding the
guards share with retrieval is paid inside the guards. Output guards on extractive answers to
the benchmark questions. Results also go to reports/bench_guards.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.config import Settings
from evals.bench_timing import p50_p95, percentiles, timed

REPORT = Path("reports/bench_guards.json")
INPUT_P95_TARGET_MS = 15.0
DEFAULT_DATA_DIR = Path("data/dev")  # `make dev-data`


def measure_input(
    settings: Settings, requests: Sequence[str], others: Sequence[str]
) -> dict[str, Any]:
    """check_input over `requests`: total and per-guard latency, and how many were stopped.

    The encoder alone runs over `others` (as many distinct requests, also new to its cache), so
    the guards' own cost shows beside the one embedding they must pay.
    """
    from app.container import build_guards, query_embeddings
    from app.prompts import PromptRegistry

    prompt = PromptRegistry.load(settings.prompts.dir).get(settings.prompts.answer)
    embeddings = query_embeddings(settings)
    guards = build_guards(settings, embeddings, prompt)
    if guards is None:
        raise SystemExit("guards are disabled (TRUSTDESK_GUARDS__ENABLED=false)")
    for text in ("hello", "where is my order?", "do you sell hoodies?"):
        guards.check_input(text)  # warm-up: first calls pay for lazy set-up
    encoder, _ = timed(embeddings.embed_query, others)
    samples, verdicts = timed(guards.check_input, requests)
    per_guard: dict[str, list[float]] = {}
    for verdict in verdicts:
        for decision in verdict.decisions:
            per_guard.setdefault(decision.validator, []).append(decision.latency_ms)
    stopped = [v.blocked_by for v in verdicts if v.blocked]
    return {
        "requests": len(requests),
        "encoder_ms": percentiles(encoder),
        "total_ms": percentiles(samples),
        "per_guard_ms": {name: percentiles(values) for name, values in per_guard.items()},
        "stopped": len(stopped),
        "stopped_by": {name: stopped.count(name) for name in sorted(set(filter(None, stopped)))},
    }


def measure_output(settings: Settings, questions: Sequence[str]) -> dict[str, Any]:
    """check_output on the extractive answers to `questions` (needs the ingested store)."""
    from app.container import build_container

    container = build_container(settings)
    guards = container.guards
    if guards is None:
        raise SystemExit("guards are disabled")
    from app.llm.base import AnswerRequest, generate
    from app.llm.extractive import ExtractiveGenerator

    generator, prompt = ExtractiveGenerator(), container.chat.prompt
    samples, refused = [], 0
    for question in questions:
        chunks = container.retriever.search(question)
        request = AnswerRequest(question, chunks, prompt, shop_name=settings.shop_name)
        answer = asyncio.run(generate(generator, request))
        began = time.perf_counter()
        verdict = guards.check_output(answer.text, chunks, citations=answer.citations)
        samples.append((time.perf_counter() - began) * 1000.0)
        refused += verdict.refused
    container.close()
    return {"answers": len(questions), "total_ms": percentiles(samples), "refused": refused}


def report(result: dict[str, Any]) -> str:
    """The printed table."""
    inp = result["input"]
    total = inp["total_ms"]
    verdict = "PASS" if total["p95"] <= INPUT_P95_TARGET_MS else "MISS"
    lines = [
        f"Guard latency ({inp['requests']} distinct Bitext requests, fresh encoder cache)",
        f"  {'input guards together':<28} {p50_p95(total)}"
        f"   target p95 <= {INPUT_P95_TARGET_MS:.0f} ms  {verdict}",
    ]
    enc = inp["encoder_ms"]
    lines.append(
        f"    {'(the encoder alone)':<26} {p50_p95(enc)}   (one embedding, shared with retrieval)"
    )
    for name, value in inp["per_guard_ms"].items():
        lines.append(f"    {name:<26} {p50_p95(value)}")
    lines.append(f"  stopped by the input guards: {inp['stopped']} {inp['stopped_by']}")
    if "output" in result:
        output = result["output"]
        out = output["total_ms"]
        lines.append(
            f"  {'output guards (extractive)':<28} {p50_p95(out)}"
            f"   ({output['answers']} answers, {output['refused']} refused)"
        )
    return "\n".join(lines)


def main() -> None:
    """Measure and print; `--no-output` skips the part that needs the ingested store."""
    from app.guardrails.datasets import BITEXT_FILE, read_bitext_requests

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--no-output", action="store_true")
    args = parser.parse_args()
    settings = Settings()
    requests = read_bitext_requests(args.data_dir / BITEXT_FILE)
    random.Random(7).shuffle(requests)
    count = args.requests
    result: dict[str, Any] = {
        "input": measure_input(settings, requests[:count], requests[count : 2 * count])
    }
    if not args.no_output:
        from evals.bench_questions import benchmark_questions
        from rag.store import load_store

        questions = benchmark_questions(load_store(settings.data.store_dir), 60)
        result["output"] = measure_output(settings, questions)
    print(report(result))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(result, indent=2))
    print(f"written to {REPORT}")


if __name__ == "__main__":
    main()
