"""Fixtures of the PII tests: one detector per session (name lists load once) and the dev data."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from app.guardrails.base import PiiSpan
from app.guardrails.pii import PiiDetector
from tests.support import dev_data_dir, require

DEV_DIR = dev_data_dir()
STORE_DIR = Path(__file__).resolve().parents[3] / "data" / "store"


@pytest.fixture(scope="session")
def detector() -> PiiDetector:
    """The detector with every entity type and the name lists."""
    return PiiDetector()


def dev_path(name: str) -> Path:
    """Path of one dev data file; the test is skipped (locally) when it is missing."""
    path = DEV_DIR / name
    require(path.is_file(), f"dev data file missing: {path}")
    return path


def found(spans: Sequence[PiiSpan], entity: str | None = None) -> list[str]:
    """The texts of `spans` (of one entity type when given)."""
    return [s.text for s in spans if entity is None or s.entity == entity]
