"""Fixtures of the answering unit tests: the real prompts and the real store text."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.prompts import Prompt, PromptRegistry

PROMPTS_DIR = Path(__file__).resolve().parents[3] / "prompts"


@pytest.fixture(scope="session")
def prompts() -> PromptRegistry:
    """The repository's prompt files, validated."""
    return PromptRegistry.load(PROMPTS_DIR)


@pytest.fixture(scope="session")
def answer_prompt(prompts: PromptRegistry) -> Prompt:
    """The released answer prompt."""
    return prompts.get("answer@v1")
