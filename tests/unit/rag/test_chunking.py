"""Chunking keeps a header on every piece, never loses text and makes Chroma-safe documents."""

from __future__ import annotations

import pytest

from rag.chunking import CHUNK_INDEX, pack_lines, split_with_header, to_documents

HEADER = "Customer Service > Returns"


def test_short_text_stays_one_piece() -> None:
    assert split_with_header(HEADER, ["One line.", "Two lines."]) == [
        f"{HEADER}\nOne line.\nTwo lines."
    ]


def test_long_text_pieces_each_start_with_the_header_and_fit() -> None:
    sentences = [f"Sentence number {i} says something about returns." for i in range(80)]
    units = [" ".join(sentences[:40]), *sentences[40:]]
    pieces = split_with_header(HEADER, units, max_chars=400)
    assert len(pieces) > 3
    for piece in pieces:
        assert piece.startswith(HEADER + "\n")
        assert len(piece) <= 400
    joined = "\n".join(pieces)
    for sentence in sentences:
        assert sentence in joined


def test_whole_units_are_not_cut_when_they_fit() -> None:
    table = "Rates:\nUp to $200: $16.\nOver $200: $21."
    units = ["x" * 300, table, "y" * 300]
    pieces = split_with_header(HEADER, units, max_chars=500)
    assert any(table in piece for piece in pieces)


def test_pack_lines_keeps_every_line_once_in_order() -> None:
    lines = [f"- variant {i} — ${i}.00, available, item {1000 + i}" for i in range(40)]
    pieces = pack_lines("T-Shirt (product 1)", lines, max_chars=300)
    assert len(pieces) > 1
    body = [line for piece in pieces for line in piece.splitlines()[1:]]
    assert body == lines
    assert all(piece.startswith("T-Shirt (product 1)\n") and len(piece) <= 300 for piece in pieces)


def test_documents_get_stable_unique_ids_and_positions() -> None:
    docs = to_documents(["a", "b"], {"source_id": "f.csv#1", "price": 2.5})
    assert [d.id for d in docs] == ["f.csv#1:0", "f.csv#1:1"]
    assert [d.metadata[CHUNK_INDEX] for d in docs] == [0, 1]


@pytest.mark.parametrize("bad", [None, ["list"], {"a": 1}])
def test_metadata_that_chroma_cannot_store_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="category"):
        to_documents(["a"], {"source_id": "x", "category": bad})  # type: ignore[dict-item]
