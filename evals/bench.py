"""`make bench`: ingest, re-ingest, retrieval and turn overhead vs a bare LangChain chain, and RSS.

Every number comes from this run on this machine; results also go to reports/bench.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.config import Settings

REPORT = Path("reports/bench.json")
TARGETS = {
    "ingest_vs_encoder": 1.3,
    "reingest_s": 5.0,
    "turn_p50_vs_bare": 1.0,
    "turn_p95_vs_bare": 1.5,
    "rss_mb": 1536.0,
}


def _settings(state_dir: Path) -> Settings:
    """Settings on a fresh state folder that still use the trained guards and trust scorer.

    The turn is measured as a shop serves it: guards and trust scoring on, so their artefacts
    are pinned to where `make guards` and `make trust` wrote them.
    """
    trained = Settings()
    os.environ["TRUSTDESK_GUARDS__ARTEFACT_DIR"] = str(trained.guard_artefact_dir.resolve())
    os.environ["TRUSTDESK_TRUST__ARTEFACT_DIR"] = str(trained.trust_artefact_dir.resolve())
    os.environ["TRUSTDESK_DATA__STATE_DIR"] = str(state_dir)
    return Settings()


def measure_ingest(settings: Settings) -> dict[str, float]:
    """Cold full-store ingest, the raw encoder floor on the same texts, and an unchanged re-run."""
    from app.container import document_embeddings, run_ingest, vectorstore
    from rag.ingest import ingest
    from rag.store import load_store

    documents = load_store(settings.data.store_dir)
    embeddings = document_embeddings(settings)
    embeddings.embed_documents(["warm up the encoder"])
    texts = [doc.page_content for doc in documents]
    began = time.perf_counter()
    embeddings.embed_documents(texts)
    encoder_s = time.perf_counter() - began
    began = time.perf_counter()
    summary = ingest(
        load_store(settings.data.store_dir),
        vectorstore=vectorstore(settings, embeddings),
        record_manager_url=settings.record_manager_url,
        namespace=f"chroma/{settings.vectorstore.collection}",
        progress=False,
    )
    ingest_s = time.perf_counter() - began
    began = time.perf_counter()
    again = run_ingest(settings, progress=False)
    reingest_s = time.perf_counter() - began
    assert again.added == again.updated == 0, again.line()
    return {
        "chunks": float(summary.chunks),
        "encoder_s": encoder_s,
        "ingest_s": ingest_s,
        "reingest_s": reingest_s,
    }


def run_stack(stack: str, questions_file: Path, state_dir: Path) -> dict[str, Any]:
    """Run one serving stack in a child process and read its JSON line."""
    env = {**os.environ, "TRUSTDESK_DATA__STATE_DIR": str(state_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "evals.bench_serving", stack, "--questions", str(questions_file)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _row(name: str, value: str, target: str, ok: bool | None) -> str:
    verdict = "" if ok is None else ("PASS" if ok else "MISS")
    return f"  {name:<34} {value:>22}   {target:<26} {verdict}"


def report(ingest: dict[str, float], ours: dict[str, Any], bare: dict[str, Any]) -> str:
    """The printed table, one metric a line, with its target and verdict."""
    ratio = ingest["ingest_s"] / ingest["encoder_s"]
    o, b = ours["turn_ms"], bare["turn_ms"]
    lines = [
        f"TrustDesk benchmark ({int(ingest['chunks'])} chunks, {os.cpu_count()} CPUs)",
        _row("raw encoder, same texts", f"{ingest['encoder_s']:.1f} s", "(floor)", None),
        _row(
            "full-store ingest",
            f"{ingest['ingest_s']:.1f} s ({ratio:.2f}x)",
            "<= 1.3x encoder",
            ratio <= TARGETS["ingest_vs_encoder"],
        ),
        _row(
            "unchanged re-ingest",
            f"{ingest['reingest_s']:.2f} s",
            "<= 5 s",
            ingest["reingest_s"] <= TARGETS["reingest_s"],
        ),
        _row(
            "retrieval p50 / p95 (ours)",
            f"{ours['retrieval_ms']['p50']:.1f} / {ours['retrieval_ms']['p95']:.1f} ms",
            "",
            None,
        ),
        _row(
            "retrieval p50 / p95 (bare chain)",
            f"{bare['retrieval_ms']['p50']:.1f} / {bare['retrieval_ms']['p95']:.1f} ms",
            "",
            None,
        ),
        _row(
            "turn p50 / p95 (ours, extractive)",
            f"{o['p50']:.1f} / {o['p95']:.1f} ms",
            f"p50 <= {b['p50']:.1f}, p95 <= {1.5 * b['p95']:.1f}",
            o["p50"] <= b["p50"] and o["p95"] <= TARGETS["turn_p95_vs_bare"] * b["p95"],
        ),
        _row("turn p50 / p95 (bare chain)", f"{b['p50']:.1f} / {b['p95']:.1f} ms", "", None),
        _row(
            "serving peak RSS (ours)",
            f"{ours['peak_rss_mb']:.0f} MB",
            "<= 1536 MB",
            ours["peak_rss_mb"] <= TARGETS["rss_mb"],
        ),
        _row("peak RSS (bare chain process)", f"{bare['peak_rss_mb']:.0f} MB", "", None),
        f"  ours ran with input guards: {', '.join(ours.get('input_guards', [])) or 'none'}; "
        f"trust scoring: {'on' if ours.get('trust_scored') else 'off'}",
    ]
    return "\n".join(lines)


def main() -> None:
    """Run every measurement in a fresh state folder and print the table."""
    from app.container import build_query_encoder_file
    from evals.bench_questions import benchmark_questions
    from rag.store import load_store

    with tempfile.TemporaryDirectory(prefix="trustdesk-bench-") as tmp:
        state_dir = Path(tmp) / "state"
        settings = _settings(state_dir)
        print("measuring ingest (cold, then unchanged) ...", flush=True)
        ingest = measure_ingest(settings)
        build_query_encoder_file(settings)
        questions = benchmark_questions(load_store(settings.data.store_dir))
        questions_file = Path(tmp) / "questions.json"
        warmup = ["hello", "do you sell yoga pants?", "what is your privacy policy?"]
        questions_file.write_text(json.dumps({"questions": questions, "warmup": warmup}))
        print(f"measuring {len(questions)} distinct questions per stack ...", flush=True)
        bare = run_stack("bare", questions_file, state_dir)
        ours = run_stack("ours", questions_file, state_dir)
    print(report(ingest, ours, bare))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"ingest": ingest, "ours": ours, "bare": bare}, indent=2))
    print(f"written to {REPORT}")


if __name__ == "__main__":
    main()
