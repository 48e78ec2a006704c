"""Fixtures of the red-team suite: the real serving stack over a small real store, real guards.

A temp state folder holds a real Chroma index of Luma's policy pages and products, the real
SQLite turn log and the ONNX query encoder; the guards are the trained artefacts of
`make guards` (or, without them, trained here on a capped dev set). Only the chat model is
faked, by a server that speaks the real OpenAI HTTP protocol.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.config import (
    DataSettings,
    GuardSettings,
    PromptSettings,
    Settings,
    StoreSettings,
)
from app.container import Container, build_container, run_ingest
from app.guardrails.replies import GuardReplies
from app.store import make_engine
from app.store.crud import list_guard_decisions
from app.store.models import GuardDecisionRow, Turn
from rag.embeddings import default_model_path
from rag.onnx_export import ensure_onnx_model, weights_sha256
from tests.fakes.llm_fixtures import (  # noqa: F401  (fixtures)
    fake_llm,
    fake_llm_server,
    fake_llm_settings,
)
from tests.fakes.openai_server import FakeOpenAIServer
from tests.support import dev_data_dir, require

REPO = Path(__file__).resolve().parents[3]
STORE = REPO / "data" / "store"
DEV_DATA = dev_data_dir()
TRAINED = REPO / "var" / "models" / "guards"
SHOP_FILES = ("luma_pages.csv", "luma_products.csv")
MAX_PER_SOURCE = 600  # training here (no `make guards`): capped, so the suite stays quick


def _current(artefacts: Path) -> bool:
    """Whether `make guards` left artefacts this code and this encoder can load."""
    from app.guardrails.detectors.artefacts import load_models, read_manifest

    try:
        manifest = read_manifest(artefacts)
        load_models(artefacts)  # refuses models trained with other patterns
    except (FileNotFoundError, ValueError, KeyError):
        return False
    encoder = manifest.get("encoder", {}).get("weights_sha256")
    return bool(encoder == weights_sha256(default_model_path()))


@pytest.fixture(scope="session")
def guard_artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Trained detector artefacts: `make guards`'s, else trained here."""
    if _current(TRAINED):
        return TRAINED
    require(DEV_DATA.is_dir(), f"dev data missing at {DEV_DATA}: cannot train the guards")
    from app.guardrails.training import train_guards

    out = tmp_path_factory.mktemp("guards")
    train_guards(out, DEV_DATA, store_dir=STORE, max_per_source=MAX_PER_SOURCE)
    return out


@pytest.fixture(scope="session")
def shop_state(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(store folder, state folder): Luma's pages and products, ingested into real Chroma."""
    require(all((STORE / f).is_file() for f in SHOP_FILES), "demo store missing: `make data`")
    root = tmp_path_factory.mktemp("red-team-shop")
    store, state = root / "store", root / "state"
    store.mkdir()
    for name in SHOP_FILES:
        shutil.copy(STORE / name, store / name)
    settings = _settings(store, state, TRAINED)
    ensure_onnx_model(default_model_path(), state / "models")
    run_ingest(settings, progress=False)
    return store, state


def _settings(store: Path, state: Path, artefacts: Path, database: Path | None = None) -> Settings:
    return Settings(
        data=DataSettings(store_dir=store, state_dir=state),
        prompts=PromptSettings(dir=REPO / "prompts"),
        guards=GuardSettings(artefact_dir=artefacts),
        store=StoreSettings(database_url=f"sqlite:///{database}" if database else None),
    )


@pytest.fixture
def settings(shop_state: tuple[Path, Path], guard_artefacts: Path, tmp_path: Path) -> Settings:
    """Extractive-backend settings over the shop, with a fresh turn-log database."""
    store, state = shop_state
    return _settings(store, state, guard_artefacts, tmp_path / "turns.db")


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    """The real serving stack (extractive backend), as `trustdesk serve` builds it."""
    built = build_container(settings)
    yield built
    built.close()


def vllm_settings(settings: Settings, server: FakeOpenAIServer, **guards: object) -> Settings:
    """The same shop on the chat-model backend, talking to the fake server."""
    update: dict[str, object] = {"llm": fake_llm_settings(server, timeout_s=5.0)}
    if guards:
        update["guards"] = settings.guards.model_copy(update=guards)
    return settings.model_copy(update=update)


def replies(container: Container) -> GuardReplies:
    """The guard replies the container's pipeline gives."""
    assert container.guards is not None
    return container.guards.replies


def stored_turn(container: Container, turn_id: str) -> tuple[Turn, list[GuardDecisionRow]]:
    """The turn and its guard decisions as the database holds them (after the writer flushed)."""
    container.turn_log.flush()
    with Session(make_engine(container.settings.database_url)) as session:
        turn = session.exec(select(Turn).where(Turn.id == turn_id)).one()
        decisions = list_guard_decisions(session, turn_id=turn_id)
        session.expunge_all()
    return turn, decisions


def database_dump(container: Container) -> str:
    """Every row of every table, as SQL text (to prove a value is stored nowhere)."""
    container.turn_log.flush()
    engine = make_engine(container.settings.database_url)
    try:
        raw = engine.raw_connection()
        try:
            return "\n".join(raw.driver_connection.iterdump())  # type: ignore[union-attr]
        finally:
            raw.close()
    finally:
        engine.dispose()
