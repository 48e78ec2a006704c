"""Helpers shared by every test folder."""

from __future__ import annotations

import os

import pytest


def require(available: bool, reason: str) -> None:
    """Skip when a real component is missing on a developer's machine; fail in CI."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test, not skip it)")
    pytest.skip(reason)
