"""Chat-model follow-up resolution: the condense prompt rewrites "and in blue?" in context."""

from __future__ import annotations

import logging

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from app.followup import History, RuleFollowupResolver, history_text, is_followup
from app.prompts import Prompt

logger = logging.getLogger(__name__)

_MAX_GROWTH = 200  # a rewrite much longer than the message is a model going off script


class LLMFollowupResolver:
    """Asks the chat model to condense a follow-up; falls back to the rules on any failure."""

    def __init__(self, model: BaseChatModel, prompt: Prompt, *, history_turns: int = 3) -> None:
        self._model = model
        self._prompt = prompt
        self._history_turns = history_turns
        self._fallback = RuleFollowupResolver()

    def wants_history(self, text: str, subject: str | None = None) -> bool:
        """Every follow-up needs the conversation: the model reads it to condense."""
        return is_followup(text)

    async def resolve(self, text: str, history: History, subject: str | None = None) -> str:
        """The standalone question; standalone messages skip the model call entirely."""
        if not history or not is_followup(text):
            return text
        system, user = self._prompt.render(
            history=history_text(history, self._history_turns), question=text
        )
        try:
            reply = await self._model.ainvoke([SystemMessage(system), HumanMessage(user)])
        except Exception:  # the answer step reports outages; here the rules are good enough
            logger.warning("condense call failed; using the rule-based rewrite", exc_info=True)
            return await self._fallback.resolve(text, history, subject)
        rewritten = (reply.text.strip().splitlines() or [""])[0].strip().strip("\"'")
        if not rewritten or len(rewritten) > len(text) + _MAX_GROWTH:
            return await self._fallback.resolve(text, history, subject)
        return rewritten
