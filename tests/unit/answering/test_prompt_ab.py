"""Live A/B of answer prompts: each conversation keeps one version, chosen by weight."""

from __future__ import annotations

from collections import Counter

import pytest

from app.config import PromptSettings, Settings
from app.container import choose_answer_prompts
from app.prompt_ab import PromptChooser, bucket
from app.prompts import PromptRegistry
from tests.unit.answering.conftest import PROMPTS_DIR

IDS = [f"conversation-{i}" for i in range(20_000)]


def _chooser(prompts: PromptRegistry, weights: dict[str, float]) -> PromptChooser:
    return PromptChooser.from_weights(weights, prompts.get)


def test_a_conversation_keeps_its_version_across_choosers(prompts: PromptRegistry) -> None:
    weights = {"answer@v1": 0.5, "answer@v2": 0.5}
    first = [_chooser(prompts, weights).choose(i).version for i in IDS[:500]]
    # A new chooser stands for a restarted process (or another worker): same answer.
    again = [
        _chooser(prompts, dict(reversed(weights.items()))).choose(i).version for i in IDS[:500]
    ]
    assert first == again and set(first) == {1, 2}


@pytest.mark.parametrize("share_v2", [0.5, 0.1, 0.9])
def test_the_split_follows_the_weights(prompts: PromptRegistry, share_v2: float) -> None:
    chooser = _chooser(prompts, {"answer@v1": 1 - share_v2, "answer@v2": share_v2})
    counts = Counter(chooser.choose(i).version for i in IDS)
    # 20 000 ids: the binomial standard deviation is at most 0.35 points; allow 1.5 points.
    assert counts[2] / len(IDS) == pytest.approx(share_v2, abs=0.015)


def test_weights_need_not_add_up_to_one_and_zero_means_never(prompts: PromptRegistry) -> None:
    chooser = _chooser(prompts, {"answer@v1": 3, "answer@v2": 1})
    assert Counter(chooser.choose(i).version for i in IDS)[1] / len(IDS) == pytest.approx(
        0.75, abs=0.015
    )
    off = _chooser(prompts, {"answer@v1": 1, "answer@v2": 0})
    assert {off.choose(i).version for i in IDS[:2000]} == {1}


def test_buckets_are_uniform_and_stable() -> None:
    values = [bucket(i) for i in IDS]
    assert all(0 <= v < 1 for v in values) and bucket("x") == bucket("x")
    deciles = Counter(int(v * 10) for v in values)
    assert all(abs(deciles[d] - 2000) < 200 for d in range(10))


def test_settings_choose_one_prompt_or_the_split(prompts: PromptRegistry) -> None:
    single = Settings(prompts=PromptSettings(dir=PROMPTS_DIR, answer="answer@v2"))
    chooser = choose_answer_prompts(single, prompts)
    assert chooser.prompts == (prompts.get("answer@v2"),)
    split = Settings(prompts=PromptSettings(dir=PROMPTS_DIR, ab={"answer@v2": 1, "answer@v1": 1}))
    assert [p.version for p in choose_answer_prompts(split, prompts).prompts] == [1, 2]


def test_settings_refuse_negative_or_zero_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTDESK_PROMPTS__AB", '{"answer@v1": 0.5, "answer@v2": 0.5}')
    assert Settings().prompts.ab == {"answer@v1": 0.5, "answer@v2": 0.5}
    with pytest.raises(ValueError, match="weights"):
        PromptSettings(ab={"answer@v1": -1, "answer@v2": 2})
    with pytest.raises(ValueError, match="weights"):
        PromptSettings(ab={"answer@v1": 0})


def test_an_unknown_version_in_the_split_is_an_error(prompts: PromptRegistry) -> None:
    with pytest.raises(KeyError, match="answer@v9"):
        _chooser(prompts, {"answer@v1": 1, "answer@v9": 1})
