"""Chunk keys and the ingest summary line (the parts of ingest that need no model)."""

from __future__ import annotations

from rag.ingest import IngestSummary, chunk_key
from tests.unit.rag_index.factories import product


def test_chunk_key_is_stable_and_readable() -> None:
    first = chunk_key(product("MJ11", "Typhon Jacket", price=60.0))

    assert first == chunk_key(product("MJ11", "Typhon Jacket", price=60.0))
    assert first.startswith("luma_products.csv#MJ11:0@")


def test_chunk_key_changes_with_text_or_metadata() -> None:
    base = chunk_key(product("MJ11", "Typhon Jacket", price=60.0))

    assert chunk_key(product("MJ11", "Typhon Jacket", price=60.0, body="New text.")) != base
    assert chunk_key(product("MJ11", "Typhon Jacket", price=60.0, in_stock=False)) != base


def test_summary_line_names_every_count() -> None:
    summary = IngestSummary(
        documents=600,
        chunks=647,
        added=3,
        updated=2,
        skipped=642,
        deleted=4,
        seconds=1.25,
        encode_seconds=0.5,
    )

    assert summary.line() == (
        "647 chunks from 600 documents: 3 added, 2 updated, 642 unchanged, 4 deleted "
        "in 1.2s (encoder 0.5s)"
    )
