"""Released prompt versions are immutable: their sha256 is pinned here."""

from __future__ import annotations

import pytest

from app.prompts import PromptRegistry

# name@vN -> sha256 of the released file. Never update a pin: add prompts/<name>/v<N+1>.yaml.
RELEASED = {
    "answer@v1": "PIN",
    "condense@v1": "PIN",
}


@pytest.mark.parametrize("key", sorted(RELEASED))
def test_released_prompt_is_unchanged(prompts: PromptRegistry, key: str) -> None:
    name, version = key.split("@v")
    assert prompts.get(key).ref.sha256 == RELEASED[key], (
        f"prompts/{name}/v{version}.yaml was edited after release; revert it and add "
        f"v{int(version) + 1} instead (and a line in prompts/CHANGELOG.md)"
    )
