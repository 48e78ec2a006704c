"""Prompt files are validated at load time, with errors that name the offending file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from app.prompts import PromptError, PromptRegistry
from tests.unit.answering.conftest import PROMPTS_DIR


def _answer_v1() -> dict[str, Any]:
    data = yaml.safe_load((PROMPTS_DIR / "answer" / "v1.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _write(root: Path, relative: str, data: dict[str, Any] | str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def test_repository_prompts_load_with_refs(prompts: PromptRegistry) -> None:
    assert {"answer@v1", "condense@v1"} <= set(prompts.keys())
    ref = prompts.get("answer@v1").ref
    assert (ref.name, ref.version, str(ref)) == ("answer", 1, "answer@v1")
    assert len(ref.sha256) == 64 and int(ref.sha256, 16) >= 0


def test_render_fills_system_and_user_parts(prompts: PromptRegistry) -> None:
    prompt = prompts.get("answer@v1")
    values = {name: f"<{name}>" for name in prompt.variables}
    system, user = prompt.render(**values)
    assert "<shop_name>" in system and "<dont_know>" in system
    assert "<sources>" in user and "<question>" in user and "<history>" in user


def test_render_refuses_missing_values(prompts: PromptRegistry) -> None:
    with pytest.raises(KeyError, match="question"):
        prompts.get("answer@v1").render(shop_name="Luma", sources="", history="", dont_know="")


def test_unknown_prompt_lists_known_ones(prompts: PromptRegistry) -> None:
    with pytest.raises(KeyError, match="answer@v1"):
        prompts.get("answer@v9")


def _mutations() -> list[tuple[str, Any, str]]:
    def version_3(d: dict[str, Any]) -> None:
        d["version"] = 3

    def undeclared(d: dict[str, Any]) -> None:
        d["template"]["user"] += "\nLoyalty tier: {tier}"

    def unused(d: dict[str, Any]) -> None:
        d["variables"].append("customer_name")

    def renamed(d: dict[str, Any]) -> None:
        d["name"] = "reply"

    def no_user(d: dict[str, Any]) -> None:
        del d["template"]["user"]

    def layout_key(d: dict[str, Any]) -> None:
        d["layout"]["max_words"] = 40

    def layout_type(d: dict[str, Any]) -> None:
        d["layout"]["max_sentences"] = "three"

    def layout_placeholder(d: dict[str, Any]) -> None:
        d["layout"]["dont_know"] = "Sorry {customer}, ask {shop_name}."

    def extra_key(d: dict[str, Any]) -> None:
        d["temperature"] = 0.7

    return [
        ("version_3", version_3, "does not match file name"),
        ("undeclared", undeclared, r"differ from those used in the template \['dont_know'"),
        ("unused", unused, "declared variables .*customer_name"),
        ("renamed", renamed, "does not match folder"),
        ("no_user", no_user, "template must have exactly the parts"),
        ("layout_key", layout_key, "unknown layout keys"),
        ("layout_type", layout_type, "layout.max_sentences must be int"),
        ("layout_placeholder", layout_placeholder, "may only use"),
        ("extra_key", extra_key, "unknown keys"),
    ]


@pytest.mark.parametrize(
    ("case", "mutate", "message"), _mutations(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_invalid_prompt_file_is_rejected_naming_it(
    tmp_path: Path, case: str, mutate: Any, message: str
) -> None:
    data = _answer_v1()
    data["version"] = 2
    mutate(data)
    path = _write(tmp_path, "answer/v2.yaml", data)
    with pytest.raises(PromptError, match=message) as error:
        PromptRegistry.load(tmp_path)
    assert str(path) in str(error.value), case


def test_bad_file_name_and_bad_yaml_are_rejected(tmp_path: Path) -> None:
    named = _write(tmp_path / "a", "answer/latest.yaml", _answer_v1())
    with pytest.raises(PromptError, match=r"file name must be v<N>\.yaml") as error:
        PromptRegistry.load(tmp_path / "a")
    assert str(named) in str(error.value)
    broken = _write(tmp_path / "b", "answer/v1.yaml", "name: answer\ntemplate: [unclosed\n")
    with pytest.raises(PromptError, match="not valid YAML") as error:
        PromptRegistry.load(tmp_path / "b")
    assert str(broken) in str(error.value)


def test_empty_or_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="no prompt files"):
        PromptRegistry.load(tmp_path)
    with pytest.raises(PromptError, match="not found"):
        PromptRegistry.load(tmp_path / "missing")


def test_literal_braces_are_allowed_when_doubled(tmp_path: Path) -> None:
    data = _answer_v1()
    data["template"]["system"] += '\nAnswer as JSON like {{"answer": "..."}}.'
    _write(tmp_path, "answer/v1.yaml", data)
    system, _ = (
        PromptRegistry.load(tmp_path)
        .get("answer@v1")
        .render(shop_name="Luma", sources="", history="", question="", dont_know="")
    )
    assert '{"answer": "..."}' in system
