"""Child process of `make bench`: one serving stack (ours or a bare LangChain chain), timed.

Runs in its own process so its peak RSS is the serving process's, not the benchmark driver's.
Prints one JSON line: retrieval and turn latencies (ms) and peak RSS (MB).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
from collections.abc import Callable
from pathlib import Path

from langchain_core.documents import Document

from app.config import Settings


def _percentiles(samples: list[float]) -> dict[str, float]:
    import numpy as np

    values = np.asarray(samples)
    return {"p50": float(np.percentile(values, 50)), "p95": float(np.percentile(values, 95))}


def _timed(call: Callable[[str], object], questions: list[str]) -> list[float]:
    samples = []
    for question in questions:
        began = time.perf_counter()
        call(question)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def _peak_rss_mb() -> float:
    # VmHWM belongs to this process's memory map; ru_maxrss would carry over the parent's peak
    # across fork+exec and report the benchmark driver's memory instead.
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(settings: Settings, questions: list[str], warmup: list[str]) -> dict[str, object]:
    """The full TrustDesk serving stack (FastAPI + Chainlit mounted), extractive backend."""
    from app.container import build_container
    from app.main import create_app

    container = build_container(settings)
    create_app(container)  # the serving process holds the web app too
    chat = container.chat

    async def turns(asked: list[str]) -> list[float]:
        samples: list[float] = []
        for question in asked:
            began = time.perf_counter()
            await chat.ask(conversation_id=f"bench-{len(samples)}", text=question)
            samples.append((time.perf_counter() - began) * 1000)
        return samples

    for question in warmup:
        container.retriever.search(question)
    asyncio.run(turns(warmup))
    retrieval = _timed(container.retriever.search, [f"{q} please" for q in questions])
    turn_samples = asyncio.run(turns(questions))
    container.close()
    guards = container.guards
    return {
        "retrieval_ms": _percentiles(retrieval),
        "turn_ms": _percentiles(turn_samples),
        "input_guards": list(guards.input_guards) if guards else [],
        "trust_scored": container.trust is not None,
    }


def run_bare(settings: Settings, questions: list[str], warmup: list[str]) -> dict[str, object]:
    """A bare LangChain chain: Chroma retriever (sentence-transformers) | answer prompt, no LLM."""
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.runnables import RunnableLambda, RunnablePassthrough

    from app.container import document_embeddings, vectorstore

    store = vectorstore(settings, document_embeddings(settings))
    retriever = store.as_retriever(search_kwargs={"k": settings.retrieval.k})
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Answer from these sources:\n{context}"), ("human", "{question}")]
    )

    def join(docs: list[Document]) -> str:
        return "\n\n".join(doc.page_content for doc in docs)

    chain = {
        "context": retriever | RunnableLambda(join),
        "question": RunnablePassthrough(),
    } | prompt
    for question in warmup:
        chain.invoke(question)
    retrieval = _timed(retriever.invoke, [f"{q} please" for q in questions])
    turns = _timed(chain.invoke, questions)
    return {"retrieval_ms": _percentiles(retrieval), "turn_ms": _percentiles(turns)}


def main() -> None:
    """Parse arguments, run one stack, print JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("stack", choices=["ours", "bare"])
    parser.add_argument("--questions", type=Path, required=True)
    args = parser.parse_args()
    payload = json.loads(args.questions.read_text(encoding="utf-8"))
    settings = Settings()
    runner = run_ours if args.stack == "ours" else run_bare
    result = runner(settings, payload["questions"], payload["warmup"])
    result["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
