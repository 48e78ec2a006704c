"""What an eval run is configured with: settings overrides, fingerprints and the cache key.

`--prompt answer@v2 --backend vllm --set retrieval.k=8` become changes to the environment's
Settings; an unknown setting is an error, never silently ignored. A run is fingerprinted by its
settings (store and server sections left out: where the log goes does not change an answer),
the indexed chunks and the trained guard and trust artefacts; the cache key adds the prompt's
sha256, the backend and model, and the case's messages.
"""

from __future__ import annotations

import hashlib
import json
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from app.config import Settings

# Sections that never change what the bot answers (and may hold a database password).
_NOT_FINGERPRINTED = {"store", "server"}


@dataclass(frozen=True)
class RunOverrides:
    """How a run's settings differ from the environment's; stored with the run for --resume."""

    prompt: str | None = None
    backend: str | None = None
    sets: dict[str, Any] = field(default_factory=dict)
    limit: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The overrides as stored on the EvalRun row."""
        return {
            "prompt": self.prompt,
            "backend": self.backend,
            "set": self.sets,
            "limit": self.limit,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunOverrides:
        """Overrides read back from an EvalRun row."""
        return cls(
            data.get("prompt"), data.get("backend"), dict(data.get("set") or {}), data.get("limit")
        )


def parse_sets(items: Iterable[str]) -> dict[str, Any]:
    """ "retrieval.k=8" -> {"retrieval.k": 8}; values are JSON when they parse, else text."""
    parsed: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--set expects key=value, got {item!r}")
        try:
            parsed[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            parsed[key.strip()] = raw
    return parsed


def apply_overrides(settings: Settings, overrides: RunOverrides) -> Settings:
    """A copy of `settings` with the run's prompt, backend and --set values, validated."""
    # A run measures one prompt: a live A/B split in the environment would mix versions.
    values: dict[str, Any] = {"prompts.ab": {}, **overrides.sets}
    if overrides.prompt:
        values["prompts.answer"] = overrides.prompt
    if overrides.backend:
        values["llm.backend"] = overrides.backend
    data = settings.model_dump()
    for dotted, value in values.items():
        _assign(data, Settings, dotted.split("."), value, dotted)
    return Settings.model_validate(data)


def _assign(node: dict[str, Any], model: Any, path: Sequence[str], value: Any, dotted: str) -> None:
    """Set `path` in the dumped settings; inside a settings section only its fields exist."""
    key, rest = path[0], path[1:]
    if model is not None and key not in model.model_fields:
        raise ValueError(f"unknown setting {dotted!r}")
    section = _section(model.model_fields[key].annotation) if model is not None else None
    if not rest:
        node[key] = value
        return
    child = node.get(key)
    if not isinstance(child, dict):
        raise ValueError(f"setting {dotted!r}: {key!r} has no sub-settings")
    _assign(child, section, rest, value, dotted)


def _section(annotation: Any) -> type[BaseModel] | None:
    """The settings model a field holds (None for plain values and free-form dicts)."""
    candidates = typing.get_args(annotation) or (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def settings_json(settings: Settings) -> dict[str, Any]:
    """The settings that shape answers, as JSON (secrets masked)."""
    data: dict[str, Any] = settings.model_dump(mode="json", exclude=_NOT_FINGERPRINTED)
    return data


def sha256_json(data: Any) -> str:
    """sha256 of canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def knowledge_sha256(chunk_ids: Iterable[str]) -> str:
    """Fingerprint of the indexed chunks (their ids end with a hash of their content)."""
    return hashlib.sha256("\n".join(sorted(chunk_ids)).encode("utf-8")).hexdigest()


def artefacts_sha256(folders: Iterable[Path]) -> str:
    """Fingerprint of trained artefacts (guard detectors, trust scorer); missing folders count."""
    entries = []
    for folder in folders:
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
        entries.append([str(folder.name), [[p.name, _file_sha256(p)] for p in files]])
    return sha256_json(entries)


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """Everything besides the case's messages that decides a turn's outcome."""

    prompt_sha256: str
    backend: str
    model: str
    settings_sha256: str
    knowledge_sha256: str
    artefacts_sha256: str

    def cache_key(self, messages: Sequence[str]) -> str:
        """The key under which a case's result can be reused by a later run."""
        return sha256_json({**self.__dict__, "messages": list(messages)})
