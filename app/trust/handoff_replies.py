"""Handoff replies: what the shopper reads when a person is asked to take over (versioned)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.reply_sets import check_placeholders, read_reply_set
from app.trust.base import HandoffReason
from app.turns import PromptRef

# Abuse gets the guard's de-escalating reply (it already says a person will look).
REASONS = (HandoffReason.ASKED_FOR_HUMAN.value, HandoffReason.LOW_TRUST.value)


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
    reply_set = read_reply_set(path, REASONS)
    check_placeholders(path, reply_set, shop_name="x")
    return HandoffReplies(ref=reply_set.ref, replies=reply_set.replies, shop_name=shop_name)
