"""Guard replies: what the shopper reads when a guard stops a turn (versioned prompt data)."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.prompts import REPLIES_KIND, PromptError, template_sha256
from app.turns import PromptRef

REASONS = (
    "injection",
    "abuse",
    "off_topic",
    "empty",
    "too_long",
    "unreadable",
    "unsupported",
    "guard_error",
)
_ALLOWED = {"shop_name", "limit"}
_TOP_LEVEL = {"name", "version", "kind", "description", "replies", "reask"}


@dataclass(frozen=True)
class GuardReplies:
    """One released set of guard replies, filled in for a shop."""

    ref: PromptRef
    replies: dict[str, str]
    reask_template: str
    shop_name: str = "the shop"
    max_input_chars: int = 4000

    def text(self, reason: str) -> str:
        """The reply for `reason` (one of REASONS)."""
        return self.replies[reason].format(shop_name=self.shop_name, limit=self.max_input_chars)

    def reask(self, reason: str) -> str:
        """The note sent back to the chat model when its answer failed a guard."""
        return self.reask_template.format(reason=reason)


def load_replies(
    path: Path, *, shop_name: str = "the shop", max_input_chars: int = 4000
) -> GuardReplies:
    """Load and validate a reply set (prompts/guard_replies/v<N>.yaml)."""
    source = path.read_bytes()
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise PromptError(f"{path}: not valid YAML ({exc})") from exc
    _check(path, data)
    return GuardReplies(
        ref=PromptRef(str(data["name"]), int(data["version"]), template_sha256(source)),
        replies={key: str(value).strip() for key, value in data["replies"].items()},
        reask_template=str(data["reask"]).strip(),
        shop_name=shop_name,
        max_input_chars=max_input_chars,
    )


def _check(path: Path, data: Any) -> None:
    if not isinstance(data, dict) or data.get("kind") != REPLIES_KIND:
        raise PromptError(f"{path}: expected a mapping with kind: {REPLIES_KIND}")
    if unknown := set(data) - _TOP_LEVEL:
        raise PromptError(f"{path}: unknown keys {sorted(unknown)}")
    if data.get("name") != path.parent.name or f"v{data.get('version')}.yaml" != path.name:
        raise PromptError(f"{path}: name/version must match the folder and file name")
    replies = data.get("replies")
    if not isinstance(replies, dict) or set(replies) != set(REASONS):
        raise PromptError(f"{path}: replies must be exactly {list(REASONS)}")
    for key, text in replies.items():
        _check_fields(path, f"replies.{key}", text, _ALLOWED)
    _check_fields(path, "reask", data.get("reask"), {"reason"})


def _check_fields(path: Path, where: str, text: Any, allowed: set[str]) -> None:
    if not isinstance(text, str) or not text.strip():
        raise PromptError(f"{path}: {where} must be non-empty text")
    used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    if extra := used - allowed:
        raise PromptError(f"{path}: {where} may only use {sorted(allowed)}, found {sorted(extra)}")
