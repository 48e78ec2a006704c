"""Ingest through LangChain's indexing API: idempotent, incremental, deletions counted."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from langchain_core.documents import Document

from rag.embeddings import SentenceTransformerEmbeddings
from rag.ingest import ingest
from rag.schema import SOURCE_ID
from tests.integration.rag_index.conftest import CountingEmbeddings, Index, make_index
from tests.unit.rag_index.factories import product, small_store


@pytest.fixture
def counting(st_embeddings: SentenceTransformerEmbeddings) -> CountingEmbeddings:
    """The real encoder, counting what it embeds."""
    return CountingEmbeddings(st_embeddings)


@pytest.fixture
def index(tmp_path: Path, counting: CountingEmbeddings) -> Index:
    """An empty index whose embeddings are counted."""
    return make_index(tmp_path, counting)


def _texts_in(index: Index) -> set[str]:
    return set(index.vectorstore.get()["documents"])


def test_first_ingest_embeds_every_chunk(index: Index, counting: CountingEmbeddings) -> None:
    docs = small_store()

    summary = index.ingest(docs)

    assert (summary.added, summary.updated, summary.skipped, summary.deleted) == (8, 0, 0, 0)
    assert (summary.documents, summary.chunks) == (8, 8)
    assert sorted(counting.embedded) == sorted(doc.page_content for doc in docs)
    assert _texts_in(index) == {doc.page_content for doc in docs}
    assert summary.encode_seconds > 0


def test_unchanged_reingest_embeds_nothing(index: Index, counting: CountingEmbeddings) -> None:
    index.ingest(small_store())
    counting.embedded.clear()

    summary = index.ingest(small_store())

    assert counting.embedded == []
    assert (summary.added, summary.updated, summary.skipped, summary.deleted) == (0, 0, 8, 0)
    assert summary.encode_seconds == 0


def test_changed_document_is_the_only_one_reembedded(
    index: Index, counting: CountingEmbeddings
) -> None:
    docs = small_store()
    index.ingest(docs)
    counting.embedded.clear()
    cheaper = product("MJ11", "Typhon Performance Fleece-lined Jacket", price=48.0)
    changed = [
        cheaper if doc.metadata[SOURCE_ID] == cheaper.metadata[SOURCE_ID] else doc for doc in docs
    ]

    summary = index.ingest(changed)

    assert counting.embedded == [cheaper.page_content]
    assert (summary.added, summary.updated, summary.skipped, summary.deleted) == (0, 1, 7, 1)
    texts = _texts_in(index)
    assert cheaper.page_content in texts
    assert docs[0].page_content not in texts
    assert len(texts) == 8


def test_vanished_document_is_deleted_and_new_one_added(
    index: Index, counting: CountingEmbeddings
) -> None:
    docs = small_store()
    index.ingest(docs)
    counting.embedded.clear()
    newcomer = product("MT07", "Argus All-Weather Tank", price=22.0, category="Men > Tops > Tanks")

    summary = index.ingest([*docs[1:], newcomer])

    assert counting.embedded == [newcomer.page_content]
    assert (summary.added, summary.updated, summary.deleted) == (1, 0, 1)
    assert docs[0].page_content not in _texts_in(index)


def test_wiped_collection_is_rebuilt_from_the_same_records(
    tmp_path: Path, counting: CountingEmbeddings
) -> None:
    index = make_index(tmp_path, counting)
    index.ingest(small_store())
    index.vectorstore.delete_collection()
    counting.embedded.clear()

    # Same record manager, fresh collection: the records must not make ingest skip everything.
    rebuilt = make_index(tmp_path, counting)
    summary = rebuilt.ingest(small_store())

    assert len(counting.embedded) == 8
    assert len(_texts_in(rebuilt)) == 8
    assert summary.skipped == 0


def test_chunks_without_records_are_removed(tmp_path: Path, counting: CountingEmbeddings) -> None:
    index = make_index(tmp_path, counting)
    index.vectorstore.add_texts(
        ["stray chunk from an old script"], metadatas=[{"doc_type": "policy"}]
    )

    summary = index.ingest(small_store())

    assert summary.deleted == 1
    assert "stray chunk from an old script" not in _texts_in(index)


def test_empty_input_and_missing_source_ids_are_refused(index: Index) -> None:
    index.ingest(small_store())

    with pytest.raises(ValueError, match="refusing"):
        index.ingest([])
    with pytest.raises(ValueError, match="source_id"):
        index.ingest([Document(page_content="orphan text", metadata={"doc_type": "policy"})])
    assert len(_texts_in(index)) == 8  # nothing was wiped


def test_progress_bar_counts_batches(index: Index, capsys: pytest.CaptureFixture[str]) -> None:
    ingest(
        small_store(),
        vectorstore=index.vectorstore,
        record_manager_url=index.record_manager_url,
        namespace=index.namespace,
        progress=True,
    )

    assert "1/1" in capsys.readouterr().err


def test_unchanged_store_reingest_is_fast(
    store_index: Index, store_documents: list[Document]
) -> None:
    started = time.perf_counter()
    summary = store_index.ingest(store_documents)
    elapsed = time.perf_counter() - started

    assert summary.skipped == len(store_documents)
    assert summary.added == summary.updated == summary.deleted == 0
    assert elapsed < 5.0
