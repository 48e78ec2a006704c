"""Helpers shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def require(available: bool, reason: str) -> None:
    """Skip when a real component is missing on a developer's machine; fail in CI."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test, not skip it)")
    pytest.skip(reason)


def dev_data_dir() -> Path:
    """The dev data: data/dev once `make dev-data` filled it, else ../shared/data/dev."""
    repo = Path(__file__).resolve().parents[1]
    local = repo / "data" / "dev"
    return local if local.is_dir() else repo.parent / "shared" / "data" / "dev"
