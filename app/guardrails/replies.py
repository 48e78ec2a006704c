"""Guard replies: what the shopper reads when a guard stops a turn (versioned prompt data)."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.prompts import PromptError
from app.reply_sets import read_reply_set
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
    reply_set = read_reply_set(path, REASONS, extra_keys={"reask"})
    for key, text in reply_set.data["replies"].items():
        _check_fields(path, f"replies.{key}", text, _ALLOWED)
    _check_fields(path, "reask", reply_set.data.get("reask"), {"reason"})
    return GuardReplies(
        ref=reply_set.ref,
        replies=reply_set.replies,
        reask_template=str(reply_set.data["reask"]).strip(),
        shop_name=shop_name,
        max_input_chars=max_input_chars,
    )


def _check_fields(path: Path, where: str, text: Any, allowed: set[str]) -> None:
    if not isinstance(text, str) or not text.strip():
        raise PromptError(f"{path}: {where} must be non-empty text")
    used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    if extra := used - allowed:
        raise PromptError(f"{path}: {where} may only use {sorted(allowed)}, found {sorted(extra)}")
