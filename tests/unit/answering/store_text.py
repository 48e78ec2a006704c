"""Real RetrievedChunk objects built by the real loaders from the demo store files.

The answering unit tests hand-pick chunks the way a retriever would return them, so they test
the answer layer on the shop's real text without building a vector index; the integration tests
use the real retriever instead.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rag.schema import SOURCE_ID, RetrievedChunk
from rag.store import load_store

STORE = Path(__file__).resolve().parents[3] / "data" / "store"


@cache
def store_chunks() -> tuple[RetrievedChunk, ...]:
    """Every chunk the loaders make from the demo store."""
    return tuple(
        RetrievedChunk(
            chunk_id=f"{doc.metadata[SOURCE_ID]}:{doc.metadata.get('chunk_index', 0)}",
            text=doc.page_content,
            metadata=dict(doc.metadata),
            score=0.0,
        )
        for doc in load_store(STORE)
    )


def chunk(part: str, contains: str = "") -> RetrievedChunk:
    """The one store chunk whose id contains `part` (and whose text contains `contains`)."""
    found = [c for c in store_chunks() if part in c.chunk_id and contains in c.text]
    assert len(found) == 1, f"{part!r}/{contains!r} matches {len(found)} chunks"
    return found[0]


def product(name: str) -> RetrievedChunk:
    """The main chunk of the product called `name` (not its reviews chunk)."""
    found = [
        c
        for c in store_chunks()
        if c.title == name
        and not c.metadata.get("section")
        and c.metadata.get("chunk_index", 0) == 0
    ]
    assert len(found) == 1, f"product {name!r} matches {len(found)} chunks"
    return found[0]


def ranked(*chunks: RetrievedChunk) -> list[RetrievedChunk]:
    """The chunks as a retriever returns them: best first, with descending scores."""
    return [
        RetrievedChunk(c.chunk_id, c.text, c.metadata, score=round(0.9 - i * 0.1, 3))
        for i, c in enumerate(chunks)
    ]
