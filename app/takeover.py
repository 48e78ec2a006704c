"""Agent takeover seen from the answering path: the seam ChatService asks, and the texts shown.

When an agent takes a conversation over in the console, the bot stops answering it: the
shopper's messages are still guarded and logged (for the agent to read) and get the `held`
reply. ChatService learns this through `AgentHolds`, implemented on the store by
`app.store.sql_takeover.SqlTakeovers`; it never imports the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from app.reply_sets import check_placeholders, read_reply_set, reply_set_path
from app.turns import PromptRef

TAKEOVER_REPLIES = "takeover_replies@v1"


class TakeoverNotice(StrEnum):
    """The moments the shopper is told about: handoff asked, agent joined/holds, handed back."""

    HANDOFF = "handoff"
    JOINED = "joined"
    HELD = "held"
    HANDED_BACK = "handed_back"


class AgentHolds(Protocol):
    """What ChatService needs to know about takeover."""

    def held_reply(self, conversation_id: str) -> str | None:
        """The reply for a message while an agent holds the conversation; None if the bot may."""
        ...


@dataclass(frozen=True)
class TakeoverReplies:
    """One released set of takeover texts, filled in for a shop."""

    ref: PromptRef
    replies: dict[str, str]
    shop_name: str = "the shop"

    def text(self, notice: TakeoverNotice) -> str:
        """The text for `notice`."""
        return self.replies[notice.value].format(shop_name=self.shop_name)


def load_takeover_replies(path: Path, *, shop_name: str = "the shop") -> TakeoverReplies:
    """Load and validate a takeover reply set (prompts/takeover_replies/v<N>.yaml)."""
    reply_set = read_reply_set(path, [notice.value for notice in TakeoverNotice])
    check_placeholders(path, reply_set, shop_name="x")
    return TakeoverReplies(ref=reply_set.ref, replies=reply_set.replies, shop_name=shop_name)


def takeover_replies_path(prompts_dir: Path, key: str = TAKEOVER_REPLIES) -> Path:
    """Where `name@vN` lives under the prompts folder."""
    return reply_set_path(prompts_dir, key)
