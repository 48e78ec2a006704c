"""Idempotent ingestion: LangChain's indexing API keeps Chroma in step with the store's chunks."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from langchain_chroma import Chroma
from langchain_classic.indexes import SQLRecordManager
from langchain_core.documents import Document
from langchain_core.indexing import IndexingResult, index
from tqdm import tqdm

from rag.embeddings import TimedEmbeddings
from rag.schema import SOURCE_ID

logger = logging.getLogger(__name__)

# Large batches keep per-batch costs (two record-manager queries, one Chroma upsert) far
# below the encoder's time and give sentence-transformers enough texts to sort by length.
INDEX_BATCH_SIZE = 256


@dataclass(frozen=True)
class IngestSummary:
    """What one ingest run did; chunk counts, except `documents` (distinct source documents)."""

    documents: int
    chunks: int
    added: int  # embedded, from a source document new to the index
    updated: int  # embedded, replacing an earlier version of the same source document
    skipped: int  # unchanged, not embedded again
    deleted: int  # removed: earlier versions and chunks whose source document is gone
    seconds: float
    encode_seconds: float

    def line(self) -> str:
        """One-line human summary."""
        return (
            f"{self.chunks} chunks from {self.documents} documents: {self.added} added, "
            f"{self.updated} updated, {self.skipped} unchanged, {self.deleted} deleted "
            f"in {self.seconds:.1f}s (encoder {self.encode_seconds:.1f}s)"
        )


def chunk_key(document: Document) -> str:
    """Id of a chunk in Chroma and the record manager: loader id (if any) @ content hash.

    The hash covers text and metadata, so any change gives a new key (re-embed, old one
    deleted); the readable prefix makes chunk ids in logs and citations traceable.
    """
    payload = json.dumps(
        [document.page_content, document.metadata], sort_keys=True, ensure_ascii=False
    )
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return f"{document.id}@{digest[:20]}" if document.id else digest


def ingest(
    documents: Iterable[Document],
    *,
    vectorstore: Chroma,
    record_manager_url: str,
    namespace: str,
    progress: bool = True,
) -> IngestSummary:
    """Bring the collection in line with `documents` (the whole store), embedding only changes.

    Cleanup is "full": ingest always receives every chunk of the store, so anything not seen in
    this run (an old version of a changed document or a document that vanished) is deleted.
    "incremental" would only clean sources present in this run and leave vanished ones behind.
    The collection must be owned by `namespace`; chunks it holds that the record manager does not
    know are removed, and records whose chunks the collection lost are re-embedded.
    """
    started = time.perf_counter()
    docs = _validated(documents)
    manager = SQLRecordManager(namespace, db_url=record_manager_url)
    manager.create_schema()
    indexed, orphans_deleted = _reconcile(manager, vectorstore)
    fresh = {chunk_key(doc): doc.metadata[SOURCE_ID] for doc in docs}
    fresh = {key: source for key, source in fresh.items() if key not in indexed}
    known_sources = set(indexed.values())
    encode_before = _encode_seconds(vectorstore)
    result = _index(docs, manager, vectorstore, progress=progress)
    updated = sum(1 for source in fresh.values() if source in known_sources)
    summary = IngestSummary(
        documents=len({doc.metadata[SOURCE_ID] for doc in docs}),
        chunks=len(docs),
        added=result["num_added"] - updated,
        updated=updated,
        skipped=result["num_skipped"],
        deleted=result["num_deleted"] + orphans_deleted,
        seconds=time.perf_counter() - started,
        encode_seconds=_encode_seconds(vectorstore) - encode_before,
    )
    logger.info("ingest: %s", summary.line())
    return summary


def _index(
    docs: list[Document], manager: SQLRecordManager, vectorstore: Chroma, *, progress: bool
) -> IndexingResult:
    with tqdm(
        total=math.ceil(len(docs) / INDEX_BATCH_SIZE),
        unit="batch",
        desc="ingest",
        disable=not progress,
    ) as bar:
        return index(
            _counted(docs, bar),
            manager,
            vectorstore,
            batch_size=INDEX_BATCH_SIZE,
            cleanup="full",
            source_id_key=SOURCE_ID,
            key_encoder=chunk_key,
        )


def _validated(documents: Iterable[Document]) -> list[Document]:
    docs = list(documents)
    if not docs:
        # Full cleanup of an empty run would wipe the index; a loader failure must not do that.
        raise ValueError("no documents to ingest; refusing to empty the index")
    missing = [doc.page_content[:60] for doc in docs if not doc.metadata.get(SOURCE_ID)]
    if missing:
        raise ValueError(f"{len(missing)} chunks lack metadata {SOURCE_ID!r}, e.g. {missing[0]!r}")
    return docs


def _reconcile(manager: SQLRecordManager, vectorstore: Chroma) -> tuple[dict[str, str], int]:
    """Make records and collection agree; returns {chunk id: source id} and orphans deleted."""
    stored = vectorstore.get(include=["metadatas"])
    in_store = {
        chunk_id: str((metadata or {}).get(SOURCE_ID, ""))
        for chunk_id, metadata in zip(stored["ids"], stored["metadatas"], strict=True)
    }
    recorded = set(manager.list_keys())
    lost = sorted(recorded - in_store.keys())
    if lost:
        # The collection was wiped or rebuilt: forget those records so they are embedded again.
        logger.warning("%d recorded chunks missing from the collection; re-embedding", len(lost))
        manager.delete_keys(lost)
    orphans = sorted(in_store.keys() - recorded)
    if orphans:
        logger.warning("%d chunks in the collection have no record; deleting them", len(orphans))
        vectorstore.delete(ids=orphans)
    return {key: source for key, source in in_store.items() if key in recorded}, len(orphans)


def _counted(docs: list[Document], bar: tqdm[None]) -> Iterator[Document]:
    """Yield `docs`, ticking the bar each time index() starts pulling a new batch."""
    for position, doc in enumerate(docs):
        if position and position % INDEX_BATCH_SIZE == 0:
            bar.update(1)
        yield doc
    bar.update(1)


def _encode_seconds(vectorstore: Chroma) -> float:
    encoder = vectorstore.embeddings
    return encoder.encode_seconds if isinstance(encoder, TimedEmbeddings) else 0.0
