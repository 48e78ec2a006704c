"""TrustTracker: scores each shopper message beside the answer and decides handoffs.

ChatService starts scoring as soon as the input guards have redacted the message, so the
scorer runs in a worker thread while retrieval and generation stream; the result is collected
when the answer is complete. A scorer failure costs the turn its trust score, never its answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.guardrails.base import GuardDecision
from app.trust.base import (
    AnswerConfidence,
    ConversationTrustState,
    Handoff,
    HandoffReason,
    MessageTrust,
    TrustScorer,
)
from app.trust.confidence import answer_confidence
from app.trust.handoff import HandoffPolicy, asks_for_human
from app.trust.handoff_replies import HandoffReplies
from app.trust.trajectory import smoothed_trust

logger = logging.getLogger(__name__)

_MAX_CONVERSATIONS = 10_000


@dataclass(frozen=True)
class TurnFacts:
    """What the finished turn tells about the bot's reply."""

    retrieved_scores: Sequence[float]
    knows_answer: bool
    guard_decisions: Sequence[GuardDecision]
    blocked_by: str | None
    error: str | None
    flagged_for_agent: bool
    agent_holds: bool = False  # an agent has taken the conversation over: no handoff to ask for


@dataclass(frozen=True)
class TrustOutcome:
    """Trust of one turn: the message's score, the reply's confidence, handoff and its note."""

    trust: MessageTrust | None
    confidence: AnswerConfidence
    conversation_trust: float | None
    handoff: Handoff | None
    note: str | None  # text to show the shopper after the answer (a handoff notice)


class TrustTracker:
    """Per-turn trust scoring, the conversation's running trust, and handoff decisions."""

    def __init__(
        self,
        *,
        scorer: TrustScorer | None,
        policy: HandoffPolicy,
        replies: HandoffReplies,
        smoothing: float,
        timeout_s: float = 2.0,
        restore: Callable[[str], ConversationTrustState | None] | None = None,
    ) -> None:
        self._scorer = scorer
        self._policy = policy
        self._replies = replies
        self._smoothing = smoothing
        self._timeout_s = timeout_s
        self._states: OrderedDict[str, ConversationTrustState] = OrderedDict()
        # Reads a conversation's stored trust when it is not in memory (after a restart).
        self._restore = restore

    @property
    def replies(self) -> HandoffReplies:
        """The handoff reply set stamped on handoff turns."""
        return self._replies

    def wants_human(self, text: str, conversation_id: str) -> bool:
        """Whether the shopper asks for a person (and the conversation is not with one yet)."""
        return asks_for_human(text) and not self._state(conversation_id).handed_off

    def human_reply(self) -> str:
        """What the shopper reads when they asked for a person."""
        return self._replies.text(HandoffReason.ASKED_FOR_HUMAN) or ""

    def begin(self, text: str) -> asyncio.Task[MessageTrust] | None:
        """Start scoring `text` (already redacted) in a worker thread; None without a scorer."""
        if self._scorer is None:
            return None
        return asyncio.create_task(asyncio.to_thread(self._scorer.score, text))

    async def settle(
        self,
        *,
        conversation_id: str,
        pending: asyncio.Task[MessageTrust] | None,
        asked_for_human: bool,
        facts: TurnFacts,
    ) -> TrustOutcome:
        """Collect the score, update the conversation's trust and decide a handoff."""
        trust = await self._collect(pending, conversation_id)
        if conversation_id not in self._states and self._restore is not None:
            await asyncio.to_thread(self._restore_state, conversation_id)
        state = self._state(conversation_id)
        if trust is not None:
            state.trust = smoothed_trust(state.trust, trust.score, self._smoothing)
            state.scored_turns += 1
        handoff = self._policy.decide(
            asked_for_human=asked_for_human,
            conversation_trust=state.trust,
            scored_turns=state.scored_turns,
            flagged_for_agent=facts.flagged_for_agent,
            already_handed_off=state.handed_off or facts.agent_holds,
        )
        note = None
        if handoff is not None:
            state.handed_off = True
            if handoff.reason is HandoffReason.LOW_TRUST:
                note = self._replies.text(handoff.reason)
        confidence = answer_confidence(
            retrieved_scores=facts.retrieved_scores,
            knows_answer=facts.knows_answer,
            guard_decisions=facts.guard_decisions,
            blocked_by=facts.blocked_by,
            error=facts.error,
        )
        return TrustOutcome(trust, confidence, state.trust, handoff, note)

    async def _collect(
        self, pending: asyncio.Task[MessageTrust] | None, conversation_id: str
    ) -> MessageTrust | None:
        if pending is None:
            return None
        try:
            return await asyncio.wait_for(pending, self._timeout_s)
        except Exception:  # the turn keeps its answer; only its trust score is missing
            logger.exception("trust scoring failed in conversation %s", conversation_id)
            return None

    def _restore_state(self, conversation_id: str) -> None:
        assert self._restore is not None
        try:
            stored = self._restore(conversation_id)
        except Exception:  # the conversation starts afresh rather than losing the turn
            logger.exception("stored trust of conversation %s unreadable", conversation_id)
            return
        if stored is not None:
            self._states[conversation_id] = stored

    def _state(self, conversation_id: str) -> ConversationTrustState:
        states = self._states
        state = states.get(conversation_id)
        if state is None:
            state = states[conversation_id] = ConversationTrustState()
            if len(states) > _MAX_CONVERSATIONS:
                states.popitem(last=False)
        states.move_to_end(conversation_id)
        return state
