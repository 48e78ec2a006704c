"""Released prompt versions are immutable: their sha256 is pinned here."""

from __future__ import annotations

import pytest

from app.prompts import PromptRegistry

# name@vN -> sha256 of the released file. Never update a pin: add prompts/<name>/v<N+1>.yaml.
RELEASED = {
    "answer@v1": "a4e40d28f507d41a088d2d93c377274ec1dd6cfc5dc41b0e94c7944e296cfd36",
    "answer@v2": "02d7936093af2ecd5e30f793d72a2787d49895eb053dfb53121806ce040663e1",
    "condense@v1": "9e70b26be86591f1d646908423e261f54986a02c2fab3ff2bc358a8a92ee1353",
    "trust@v1": "8505c4810e5535051a6c0c7a110fda96908b625b9a6a85a2cbea4067b25345d9",
    "eval_judge@v1": "e79c876f3256a5fdd01a09db5181c677186d92a0f416f979dfbf30b5ba792e45",
}


@pytest.mark.parametrize("key", sorted(RELEASED))
def test_released_prompt_is_unchanged(prompts: PromptRegistry, key: str) -> None:
    name, version = key.split("@v")
    assert prompts.get(key).ref.sha256 == RELEASED[key], (
        f"prompts/{name}/v{version}.yaml was edited after release; revert it and add "
        f"v{int(version) + 1} instead (and a line in prompts/CHANGELOG.md)"
    )
