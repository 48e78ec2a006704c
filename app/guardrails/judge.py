"""Optional LLM judge for prompt injection: a second opinion from the chat model (versioned prompt).

Off by default (it costs a model call per message). It runs after the embedded detector let a
message through and sees the redacted text only. A model that is down or answers anything but
INJECTION does not stop the shopper: the embedded detector has already judged the message.
"""

from __future__ import annotations

import logging
import re

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from app.guardrails.base import Detection
from app.prompts import Prompt

logger = logging.getLogger(__name__)

NAME = "injection_judge"
PROMPT = "injection_judge@v1"
_VERDICT = re.compile(r"\b(INJECTION|SAFE)\b", re.IGNORECASE)
_MAX_CHARS = 4000


class LlmJudgeDetector:
    """Asks the chat model whether a message is a prompt injection (INJECTION / SAFE)."""

    name = NAME

    def __init__(self, model: BaseChatModel, prompt: Prompt, *, shop_name: str) -> None:
        self._model = model
        self._prompt = prompt
        self._shop_name = shop_name

    def detect(self, text: str) -> Detection:
        """INJECTION flags the message; SAFE, anything else or no answer lets it pass."""
        if not text.strip():
            return Detection(NAME, False, 0.0, "empty")
        system, user = self._prompt.render(shop_name=self._shop_name, message=text[:_MAX_CHARS])
        try:
            reply = self._model.invoke([SystemMessage(system), HumanMessage(user)]).text
        except Exception as error:  # the judge is a second opinion, not a gate that can jam
            logger.warning("injection judge unavailable: %s", error)
            return Detection(NAME, False, 0.0, f"judge unavailable: {type(error).__name__}")
        match = _VERDICT.search(reply)
        verdict = match.group(1).upper() if match else "UNCLEAR"
        flagged = verdict == "INJECTION"
        return Detection(NAME, flagged, 1.0 if flagged else 0.0, f"{self._prompt.ref}: {verdict}")
