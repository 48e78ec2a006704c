"""The one composition root: every implementation is picked here from a registry by settings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Settings

if TYPE_CHECKING:
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    from app.chat import ChatService
    from app.followup import FollowupResolver
    from app.prompts import PromptRegistry
    from app.store import SqlTurnLog
    from rag.embeddings import SentenceTransformerEmbeddings
    from rag.ingest import IngestSummary
    from rag.retriever import HybridRetriever

logger = logging.getLogger(__name__)


def _model_path(settings: Settings) -> Path:
    from rag.embeddings import default_model_path

    return settings.embeddings.model_path or default_model_path()


def _onnx_query_encoder(settings: Settings) -> Embeddings:
    # The serving path never imports torch: the same weights run through onnxruntime.
    from rag.onnx_encoder import OnnxEmbeddings
    from rag.onnx_export import ensure_onnx_model

    model_file = ensure_onnx_model(_model_path(settings), settings.data.state_dir / "models")
    return OnnxEmbeddings(model_file, cache_size=settings.embeddings.query_cache_size)


def _sentence_transformers_encoder(settings: Settings) -> Embeddings:
    return document_embeddings(settings)


QUERY_ENCODERS: dict[str, Callable[[Settings], Embeddings]] = {
    "onnx": _onnx_query_encoder,
    "sentence-transformers": _sentence_transformers_encoder,
}


def build_query_encoder_file(settings: Settings) -> Path:
    """Export the ONNX query encoder ahead of serving (idempotent); returns the model file."""
    from rag.onnx_export import ensure_onnx_model

    return ensure_onnx_model(_model_path(settings), settings.data.state_dir / "models")


def query_embeddings(settings: Settings) -> Embeddings:
    """The encoder for shoppers' questions chosen by `embeddings.query_encoder`."""
    return QUERY_ENCODERS[settings.embeddings.query_encoder](settings)


def document_embeddings(settings: Settings) -> SentenceTransformerEmbeddings:
    """The sentence-transformers encoder used to embed the store's chunks."""
    from rag.embeddings import SentenceTransformerEmbeddings

    return SentenceTransformerEmbeddings(_model_path(settings), settings.embeddings.batch_size)


def vectorstore(settings: Settings, embeddings: Embeddings) -> Chroma:
    """Chroma: embedded in the state folder, or the server at `vectorstore.url`."""
    from rag.vectorstore import build_chroma

    return build_chroma(
        collection=settings.vectorstore.collection,
        persist_dir=None if settings.vectorstore.url else settings.chroma_dir,
        url=settings.vectorstore.url,
        embeddings=embeddings,
    )


def run_ingest(settings: Settings, *, progress: bool = True) -> IngestSummary:
    """Load, chunk, embed and index the store in `data.store_dir` (incremental, idempotent)."""
    from rag.ingest import ingest
    from rag.store import load_store

    store_dir = settings.data.store_dir
    if not store_dir.is_dir():
        raise FileNotFoundError(f"store folder {store_dir} not found: run `make data` first")
    documents = load_store(store_dir)
    settings.data.state_dir.mkdir(parents=True, exist_ok=True)
    return ingest(
        documents,
        vectorstore=vectorstore(settings, document_embeddings(settings)),
        record_manager_url=settings.record_manager_url,
        namespace=f"chroma/{settings.vectorstore.collection}",
        progress=progress,
    )


def _followup_resolver(settings: Settings, prompts: PromptRegistry) -> FollowupResolver:
    from app.followup import RuleFollowupResolver

    if settings.llm.backend != "vllm":
        return RuleFollowupResolver()
    from app.llm.condense import LLMFollowupResolver
    from app.llm.openai_compatible import build_chat_model

    return LLMFollowupResolver(build_chat_model(settings.llm), prompts.get(CONDENSE_PROMPT))


CONDENSE_PROMPT = "condense@v1"


@dataclass
class Container:
    """Everything the web app, the CLI and the eval runner share for one configuration."""

    settings: Settings
    chat: ChatService
    turn_log: SqlTurnLog
    retriever: HybridRetriever

    def knowledge_count(self) -> int:
        """Chunks the retriever can search (for the health probe)."""
        return self.retriever.size

    def close(self) -> None:
        """Flush and stop the turn log's writer."""
        self.turn_log.close()


def build_retriever(settings: Settings) -> HybridRetriever:
    """The hybrid retriever over the indexed store, using the serving query encoder."""
    from rag.retriever import HybridRetriever

    embeddings = query_embeddings(settings)
    r = settings.retrieval
    return HybridRetriever(
        vectorstore=vectorstore(settings, embeddings),
        embeddings=embeddings,
        k=r.k,
        candidates=r.candidates,
        dense_weight=r.dense_weight,
        min_score=r.min_score,
    )


def build_container(settings: Settings) -> Container:
    """Wire the serving stack: turn log (migrated), retriever, prompt, generator, ChatService."""
    from app.chat import ChatService
    from app.llm import make_generator, model_label
    from app.prompts import PromptRegistry
    from app.store import open_turn_log

    prompts = PromptRegistry.load(settings.prompts.dir)
    settings.data.state_dir.mkdir(parents=True, exist_ok=True)
    turn_log = open_turn_log(settings.database_url)
    retriever = build_retriever(settings)
    if retriever.size == 0:
        logger.warning("the knowledge base is empty: run `trustdesk ingest` (or `make ingest`)")
    chat = ChatService(
        retriever=retriever,
        generator=make_generator(settings.llm),
        prompt=prompts.get(settings.prompts.answer),
        turn_log=turn_log,
        k=settings.retrieval.k,
        backend=settings.llm.backend,
        model=model_label(settings.llm),
        resolver=_followup_resolver(settings, prompts),
        shop_name=settings.shop_name,
    )
    return Container(settings=settings, chat=chat, turn_log=turn_log, retriever=retriever)
