"""Fixtures: the red-team suite's real shop and guards, plus the trained trust scorer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings, TrustSettings
from app.container import Container, build_container
from tests.integration.guardrails.conftest import (  # noqa: F401  (fixtures)
    fake_llm,
    fake_llm_server,
    guard_artefacts,
    shop_state,
)
from tests.integration.guardrails.conftest import settings as guarded_settings  # noqa: F401
from tests.support import require

REPO = Path(__file__).resolve().parents[3]
TRAINED = REPO / "var" / "models" / "trust"


@pytest.fixture
def trust_settings(guarded_settings: Settings) -> Settings:  # noqa: F811
    """The guarded shop with the trained embedded trust scorer (`make trust`)."""
    require((TRAINED / "manifest.json").is_file(), "trust scorer not trained: `make trust`")
    trust = TrustSettings(artefact_dir=TRAINED, handoff_threshold=0.35, handoff_min_turns=2)
    return guarded_settings.model_copy(update={"trust": trust})


@pytest.fixture
def trusted(trust_settings: Settings) -> Iterator[Container]:
    """The real serving stack with trust scoring on."""
    built = build_container(trust_settings)
    yield built
    built.close()
