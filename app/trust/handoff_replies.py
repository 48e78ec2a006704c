"""Handoff replies: what the shopper reads when a person is asked to take over (versioned)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.prompts import REPLIES_KIND, PromptError, template_sha256
from app.trust.base import HandoffReason
from app.turns import PromptRef

# Abuse gets the guard's de-escalating reply (it already says a person will look).
REASONS = (HandoffReason.ASKED_FOR_HUMAN.value, HandoffReason.LOW_TRUST.value)
_TOP_LEVEL = {"name", "version", "kind", "description", "replies"}


@dataclass(frozen=True)
class HandoffReplies:
    """One released set of handoff replies, filled in for a shop."""

    ref: PromptRef
    replies: dict[str, str]
    shop_name: str = "the shop"

    def text(self, reason: HandoffReason) -> str | None:
        """The reply for `reason`, or None when the reason has none of its own."""
        template = self.replies.get(reason.value)
        return None if template is None else template.format(shop_name=self.shop_name)


def load_handoff_replies(path: Path, *, shop_name: str = "the shop") -> HandoffReplies:
    """Load and validate a handoff reply set (prompts/handoff_replies/v<N>.yaml)."""
    source = path.read_bytes()
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise PromptError(f"{path}: not valid YAML ({exc})") from exc
    _check(path, data)
    return HandoffReplies(
        ref=PromptRef(str(data["name"]), int(data["version"]), template_sha256(source)),
        replies={key: str(value).strip() for key, value in data["replies"].items()},
        shop_name=shop_name,
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
        try:
            str(text).format(shop_name="x")
        except (KeyError, IndexError, ValueError) as exc:
            raise PromptError(f"{path}: replies.{key} uses an unknown placeholder ({exc})") from exc
