"""Hybrid retrieval: dense candidates from Chroma plus BM25 candidates, fused by weighted scores."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from langchain_chroma import Chroma
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import Field, PrivateAttr

from rag.bm25 import BM25Index
from rag.filters import BoolArray, MetadataTable, chroma_where
from rag.schema import CATEGORY, SECTION, SKU, TITLE, RetrievedChunk, SearchFilters

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]

# Metadata repeated into the BM25 text so a SKU or page title matches even when the chunk
# body does not spell it out (a cheap stand-in for BM25F field boosts).
_BM25_FIELDS = (TITLE, SECTION, SKU, CATEGORY)


@dataclass(frozen=True)
class _Corpus:
    """Immutable snapshot of the collection; `refresh()` swaps in a new one atomically."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    vectors: FloatArray
    rows: dict[str, int]
    bm25: BM25Index
    table: MetadataTable

    @classmethod
    def load(cls, vectorstore: Chroma) -> _Corpus:
        raw = vectorstore.get(include=["documents", "metadatas", "embeddings"])
        # Sorted by id so ties and candidate order never depend on Chroma's storage order.
        order = sorted(range(len(raw["ids"])), key=lambda i: raw["ids"][i])
        ids = [raw["ids"][i] for i in order]
        texts = [raw["documents"][i] or "" for i in order]
        metadatas = [dict(raw["metadatas"][i] or {}) for i in order]
        vectors = np.asarray(raw["embeddings"], dtype=np.float32)
        vectors = vectors[order] if len(ids) else np.zeros((0, 0), dtype=np.float32)
        return cls(
            ids=ids,
            texts=texts,
            metadatas=metadatas,
            vectors=vectors,
            rows={chunk_id: row for row, chunk_id in enumerate(ids)},
            bm25=BM25Index.build([_bm25_text(t, m) for t, m in zip(texts, metadatas, strict=True)]),
            table=MetadataTable.from_metadatas(metadatas),
        )


def _bm25_text(text: str, metadata: dict[str, Any]) -> str:
    extra = " ".join(str(metadata[key]) for key in _BM25_FIELDS if metadata.get(key))
    return f"{extra}\n{text}" if extra else text


class HybridRetriever(BaseRetriever):
    """Dense + BM25 retrieval over the same chunks of a Chroma collection, same filters on both.

    Fusion: `dense_weight * cosine + (1 - dense_weight) * bm25 / query_weight`, both parts
    on an absolute 0..1 scale (cosine of unit vectors clipped at 0; BM25 as the share of the
    query's idf mass a chunk matches, capped at 1). Min-max normalisation was tried and
    dropped: it stretches the top dense hit to 1.0 even when it is junk (cosine 0.27 for a
    bare SKU), which buried exact SKU matches, and it made `min_score` meaningless. Reciprocal
    rank fusion has the same blindness to score size. Every candidate gets both parts exactly
    (cosine from the stored vectors, BM25 from the full score vector). A RetrievedChunk holds
    the fused `score`, the cosine as `dense_score`, the raw BM25 as `bm25_score` and the
    normalised BM25 part as `extras["bm25_share"]`. Ties break on chunk id.

    Dense search: "snapshot" (default) scans the vectors loaded from Chroma with numpy, which
    is exact and takes ~0.05 ms for ~600 chunks; "chroma" asks Chroma's HNSW index with a
    `where` clause (same filter semantics, ~2-7 ms here), for collections too large to scan.
    """

    vectorstore: Chroma
    embeddings: Embeddings
    k: int = 5
    candidates: int = 24
    dense_weight: float = Field(default=0.6, ge=0.0, le=1.0)
    min_score: float = 0.0
    dense_search: Literal["snapshot", "chroma"] = "snapshot"

    _corpus: _Corpus = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        """Load the BM25 snapshot when the retriever is built."""
        self.refresh()

    def refresh(self) -> None:
        """Reload the chunks from Chroma and rebuild BM25 (call after an ingest)."""
        self._corpus = _Corpus.load(self.vectorstore)
        logger.info("hybrid retriever loaded %d chunks", len(self._corpus.ids))

    @property
    def size(self) -> int:
        """Number of chunks in the current snapshot."""
        return len(self._corpus.ids)

    def search(
        self, query: str, filters: SearchFilters | None = None, k: int | None = None
    ) -> list[RetrievedChunk]:
        """Top-k chunks for `query` that pass `filters`, best first, with fused and part scores."""
        if not self._corpus.ids or not query.strip():
            return []
        vector = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        return self.search_by_vector(query, vector, filters=filters, k=k)

    def search_by_vector(
        self,
        query: str,
        vector: FloatArray,
        *,
        filters: SearchFilters | None = None,
        k: int | None = None,
    ) -> list[RetrievedChunk]:
        """`search` with the query already embedded (lets callers time embedding apart)."""
        corpus = self._corpus  # one snapshot for the whole search, even if refreshed meanwhile
        if not corpus.ids:
            return []
        mask = corpus.table.mask(filters)
        bm25_all = corpus.bm25.scores(query)
        if mask is not None:
            bm25_all = np.where(mask, bm25_all, np.float32(0.0))
        rows = list(
            dict.fromkeys(
                self._dense_rows(corpus, vector, filters, mask)
                + _top_rows(bm25_all, self.candidates)
            )
        )
        if not rows:
            return []
        dense = np.clip(corpus.vectors[rows] @ vector, 0.0, 1.0)
        bm25 = bm25_all[rows]
        bm25_share = np.minimum(bm25 / max(corpus.bm25.query_weight(query), 1e-9), 1.0)
        fused = self.dense_weight * dense + (1.0 - self.dense_weight) * bm25_share
        return self._top_chunks(corpus, rows, fused, dense, bm25, bm25_share, k or self.k)

    def _dense_rows(
        self,
        corpus: _Corpus,
        vector: FloatArray,
        filters: SearchFilters | None,
        mask: BoolArray | None,
    ) -> list[int]:
        if self.dense_search == "snapshot":
            similarity = corpus.vectors @ vector
            if mask is not None:
                similarity = np.where(mask, similarity, -np.inf)
            return _top_rows(similarity, self.candidates, above=-np.inf)
        hits = self.vectorstore.similarity_search_by_vector_with_relevance_scores(
            vector.tolist(), k=min(self.candidates, len(corpus.ids)), filter=chroma_where(filters)
        )
        # Chunks ingested after the last refresh are unknown to BM25; skip them until refresh().
        return [corpus.rows[doc.id] for doc, _ in hits if doc.id in corpus.rows]

    def _top_chunks(
        self,
        corpus: _Corpus,
        rows: list[int],
        fused: FloatArray,
        dense: FloatArray,
        bm25: FloatArray,
        bm25_share: FloatArray,
        k: int,
    ) -> list[RetrievedChunk]:
        order = sorted(range(len(rows)), key=lambda i: (-float(fused[i]), corpus.ids[rows[i]]))
        return [
            RetrievedChunk(
                chunk_id=corpus.ids[rows[i]],
                text=corpus.texts[rows[i]],
                metadata=dict(corpus.metadatas[rows[i]]),
                score=float(fused[i]),
                dense_score=float(dense[i]),
                bm25_score=float(bm25[i]),
                extras={"bm25_share": float(bm25_share[i])},
            )
            for i in order[:k]
            if float(fused[i]) >= self.min_score
        ]

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        filters: SearchFilters | None = None,
        k: int | None = None,
    ) -> list[Document]:
        return [_to_document(chunk) for chunk in self.search(query, filters=filters, k=k)]


def _top_rows(scores: FloatArray, limit: int, *, above: float = 0.0) -> list[int]:
    rows = np.flatnonzero(scores > above)
    # Sorted by score, then row, so ties never make the candidate list nondeterministic.
    order = np.lexsort((rows, -scores[rows]))[:limit]
    return [int(row) for row in rows[order]]


def _to_document(chunk: RetrievedChunk) -> Document:
    scores = {
        "score": chunk.score,
        "dense_score": chunk.dense_score,
        "bm25_score": chunk.bm25_score,
    }
    return Document(
        id=chunk.chunk_id, page_content=chunk.text, metadata={**chunk.metadata, **scores}
    )
