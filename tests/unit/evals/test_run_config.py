"""Run settings overrides, fingerprints and cache keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings, StoreSettings
from evals.run_config import (
    Fingerprint,
    RunOverrides,
    apply_overrides,
    artefacts_sha256,
    parse_sets,
    settings_json,
    sha256_json,
)


def test_set_values_are_json_when_they_parse() -> None:
    assert parse_sets(["retrieval.k=8", "guards.enabled=false", "prompts.answer=answer@v2"]) == {
        "retrieval.k": 8,
        "guards.enabled": False,
        "prompts.answer": "answer@v2",
    }
    with pytest.raises(ValueError, match="key=value"):
        parse_sets(["retrieval.k"])


def test_overrides_change_the_named_settings_only() -> None:
    base = Settings()
    overrides = RunOverrides(
        prompt="answer@v1",
        backend="extractive",
        sets=parse_sets(["retrieval.k=8", "guards.thresholds.injection=0.5"]),
    )
    changed = apply_overrides(base, overrides)
    assert changed.retrieval.k == 8 and changed.guards.thresholds == {"injection": 0.5}
    assert changed.retrieval.dense_weight == base.retrieval.dense_weight
    assert base.retrieval.k != 8  # the environment's settings are left alone


@pytest.mark.parametrize("item", ["retrieval.kk=3", "nothing=1", "retrieval.k.deeper=2"])
def test_unknown_settings_are_refused(item: str) -> None:
    with pytest.raises(ValueError, match="setting"):
        apply_overrides(Settings(), RunOverrides(sets=parse_sets([item])))


def test_invalid_values_are_refused() -> None:
    with pytest.raises(ValueError):
        apply_overrides(Settings(), RunOverrides(sets={"retrieval.k": "many"}))
    with pytest.raises(ValueError):
        apply_overrides(Settings(), RunOverrides(backend="gpt"))


def test_overrides_survive_storage_for_resume() -> None:
    overrides = RunOverrides("answer@v1", "extractive", {"retrieval.k": 8}, 25)
    assert RunOverrides.from_json(overrides.as_json()) == overrides


def test_where_the_log_goes_is_not_part_of_the_settings_fingerprint() -> None:
    one = Settings(store=StoreSettings(database_url="sqlite:///a.db"))
    two = Settings(store=StoreSettings(database_url="postgresql://u:secret@h/db"))
    assert sha256_json(settings_json(one)) == sha256_json(settings_json(two))
    assert "secret" not in str(settings_json(two))
    deeper = apply_overrides(one, RunOverrides(sets={"retrieval.k": 9}))
    assert sha256_json(settings_json(deeper)) != sha256_json(settings_json(one))


def test_the_cache_key_changes_with_prompt_model_and_messages() -> None:
    base = Fingerprint("p1", "extractive", "extractive-v1", "s1", "k1", "a1")
    key = base.cache_key(["How much is the hoodie?"])
    assert key == base.cache_key(["How much is the hoodie?"])
    assert key != base.cache_key(["How much is the tee?"])
    assert key != Fingerprint("p2", "extractive", "extractive-v1", "s1", "k1", "a1").cache_key(
        ["How much is the hoodie?"]
    )
    assert key != Fingerprint("p1", "vllm", "qwen", "s1", "k1", "a1").cache_key(
        ["How much is the hoodie?"]
    )


def test_retrained_artefacts_change_their_fingerprint(tmp_path: Path) -> None:
    guards = tmp_path / "guards"
    guards.mkdir()
    (guards / "manifest.json").write_text('{"v": 1}')
    before = artefacts_sha256([guards, tmp_path / "trust"])
    (guards / "manifest.json").write_text('{"v": 2}')
    assert artefacts_sha256([guards, tmp_path / "trust"]) != before
