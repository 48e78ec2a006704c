"""Suite-wide setup: nothing reaches a model hub, and CI never skips a test for a missing part."""

from __future__ import annotations

import os

import pytest

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def pytest_configure(config: pytest.Config) -> None:
    """Force offline mode before any ML library is imported by a test module."""
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value
