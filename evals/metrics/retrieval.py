"""Retrieval metrics: hit@k and reciprocal rank of the expected source documents."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

# Chunk ids are "<source_id>:<piece>@<content hash>" (rag.chunking + rag.ingest.chunk_key).
_CHUNK_SUFFIX = re.compile(r":\d+(?:@[0-9a-f]+)?$")


def source_id_of(chunk_id: str) -> str:
    """The source document a chunk id belongs to ("luma_products.csv#MH01:0@ab12" -> "...#MH01")."""
    return _CHUNK_SUFFIX.sub("", chunk_id)


def first_relevant_rank(retrieved: Sequence[str], expected: Collection[str]) -> int | None:
    """1-based rank of the first retrieved chunk from an expected source (None: not retrieved)."""
    for rank, chunk_id in enumerate(retrieved, start=1):
        if source_id_of(chunk_id) in expected:
            return rank
    return None


def hit_at(retrieved: Sequence[str], expected: Collection[str], k: int) -> float:
    """1.0 when a chunk of an expected source is among the first `k` retrieved, else 0.0."""
    rank = first_relevant_rank(retrieved, expected)
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(retrieved: Sequence[str], expected: Collection[str]) -> float:
    """1/rank of the first chunk from an expected source; 0.0 when none was retrieved."""
    rank = first_relevant_rank(retrieved, expected)
    return 0.0 if rank is None else 1.0 / rank
