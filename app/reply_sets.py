"""Versioned reply sets (prompts/<name>/v<N>.yaml, kind: replies): reading and the shared checks.

Each kind of reply set (guard replies, handoff replies) adds its own checks of the texts and
builds its own object; what every set shares is read and checked here.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.prompts import REPLIES_KIND, PromptError, template_sha256
from app.turns import PromptRef

TOP_LEVEL = frozenset({"name", "version", "kind", "description", "replies"})


@dataclass(frozen=True)
class ReplySet:
    """A reply-set file whose shape is checked: its bytes and its YAML mapping."""

    source: bytes
    data: dict[str, Any]

    @property
    def ref(self) -> PromptRef:
        """Name, version and content hash of the file."""
        return PromptRef(
            str(self.data["name"]), int(self.data["version"]), template_sha256(self.source)
        )

    @property
    def replies(self) -> dict[str, str]:
        """The reply texts by reason, stripped."""
        return {key: str(value).strip() for key, value in self.data["replies"].items()}


def reply_set_path(prompts_dir: Path, key: str) -> Path:
    """Where the reply set `name@vN` lives under the prompts folder."""
    name, _, version = key.partition("@v")
    return prompts_dir / name / f"v{version}.yaml"


def read_reply_set(
    path: Path, reasons: Sequence[str], *, extra_keys: Set[str] = frozenset()
) -> ReplySet:
    """Read `path`; check its kind, keys, name/version, and that it answers exactly `reasons`."""
    source = path.read_bytes()
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise PromptError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or data.get("kind") != REPLIES_KIND:
        raise PromptError(f"{path}: expected a mapping with kind: {REPLIES_KIND}")
    if unknown := set(data) - TOP_LEVEL - extra_keys:
        raise PromptError(f"{path}: unknown keys {sorted(unknown)}")
    if data.get("name") != path.parent.name or f"v{data.get('version')}.yaml" != path.name:
        raise PromptError(f"{path}: name/version must match the folder and file name")
    replies = data.get("replies")
    if not isinstance(replies, dict) or set(replies) != set(reasons):
        raise PromptError(f"{path}: replies must be exactly {list(reasons)}")
    return ReplySet(source, data)


def check_placeholders(path: Path, reply_set: ReplySet, **values: object) -> None:
    """Every reply fills with `values` (e.g. shop_name); PromptError names the one that cannot."""
    for key, text in reply_set.data["replies"].items():
        try:
            str(text).format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise PromptError(f"{path}: replies.{key} uses an unknown placeholder ({exc})") from exc
