"""Off-topic detector: is the message about the shop, its products, orders or policies?

Greetings, thanks, short acknowledgements and requests for a human are always on topic (they
carry no subject for a model to judge); messages of one or two words are left to the
conversation (the guard judges a follow-up such as "and in orange?" with the message before).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.guardrails.base import Detection
from app.guardrails.detectors.linear import LinearDetector, LinearModel, embed_text

NAME = "off_topic"
MIN_WORDS = 3
_CHAT_CHARS = 300  # longer messages are never mere greetings or a call for a human

_SMALL_TALK = re.compile(
    r"\b(?:hi|hiya|hello|hey|heya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening|day|night)"
    r"|morning|evening|thanks?|thank\s+you|thx|ty|cheers|ta|bye|goodbye|see\s+you|later|ok(?:ay)?"
    r"|k|sure|yes|yeah|yep|yup|no|nope|nah|please|pls|great|cool|perfect|awesome|nice|fine"
    r"|got\s+it|sounds\s+good|never\s*mind|nvm|no\s+problem|much\s+appreciated|appreciate\s+it"
    r"|have\s+a\s+(?:nice|good|great)\s+(?:day|one|evening)|you(?:'re|\s+are)\s+welcome|welcome"
    r"|how\s+are\s+you(?:\s+doing)?|quick\s+question|one\s+more\s+thing|so\s+much|a\s+lot"
    r"|very\s+much|there|all|guys|mate|team|again)\b",
    re.IGNORECASE,
)
_HUMAN = re.compile(
    r"\b(?:talk|speak|chat|connect|transfer|put)\w*\s+(?:me\s+)?(?:to|with|through\s+to)\s+"
    r"(?:a\s+|an\s+|the\s+|your\s+|some\s+|real\s+|actual\s+|live\s+)*"
    r"(?:human|person|agent|someone|somebody|representative|rep|manager|supervisor|operator|staff)"
    r"|\b(?:human|real person|live agent|agent|representative|operator)\s*(?:please|pls|now)?"
    r"\s*[.!?]*$",
    re.IGNORECASE,
)


_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


@dataclass(frozen=True)
class TopicModel:
    """P(off-topic | embedding) and the threshold at or above which a message is flagged."""

    linear: LinearModel
    threshold: float

    def to_json(self) -> dict[str, Any]:
        """Plain JSON for the artefact file."""
        return {"linear": self.linear.to_json(), "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], dim: int) -> TopicModel:
        """Rebuild from `to_json` output."""
        return cls(LinearModel.from_json(data["linear"], dim), float(data["threshold"]))


def conversational(text: str) -> str:
    """Why `text` is on topic whatever its words ("small talk", "human", "short"), or ""."""
    if len(text) > _CHAT_CHARS:
        return ""
    if _HUMAN.search(text):
        return "human"
    if len(_WORD.findall(text)) < MIN_WORDS:
        return "short"
    rest = _WORD.findall(_SMALL_TALK.sub(" ", text))
    return "small talk" if len(rest) < MIN_WORDS else ""


class OffTopicDetector(LinearDetector):
    """Flags messages that are not about the shop (a polite redirect follows)."""

    name = NAME

    def detect(self, text: str) -> Detection:
        """Score how far `text` is from shop matters; greetings and thanks always pass."""
        reason = conversational(text)
        if reason:
            return Detection(NAME, False, 0.0, reason)
        return self._judge(embed_text(self._embeddings, text))
