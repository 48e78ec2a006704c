"""ChatService: the one answering path shared by the Chainlit UI, the CLI and the eval runner.

Per turn: input guards (size, PII redaction, injection, toxicity, off-topic) -> log the message
(redacted) -> resolve a follow-up -> retrieve (in a thread) -> generate under the output guards
(streamed) -> log the finished turn with every guard decision. A message a guard stops gets the
guard's reply and no retrieval or generation; so does a message while an agent has taken the
conversation over (it gets the "held" reply, and the agent reads it in the log). Any failure
becomes a polite apology that offers a human, and the turn is still finished in the log with
`error` set.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict, deque
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from time import perf_counter
from typing import TYPE_CHECKING, Any, Protocol

from app.followup import FollowupResolver, History, RuleFollowupResolver
from app.guardrails.base import GuardDecision
from app.guardrails.generation import GuardedGenerator, GuardedOutcome
from app.guardrails.vaults import without_placeholders
from app.guardrails.verdicts import WITHHELD
from app.llm.base import AnswerGenerator, AnswerRequest, GeneratedAnswer
from app.prompt_ab import PromptChooser
from app.prompts import Prompt
from app.takeover import AgentHolds
from app.trust.tracker import TurnFacts
from app.turnlog import TurnLog
from app.turns import StageLatency, TurnEvent, TurnResult
from rag.schema import DOC_TYPE, NAME, TITLE, RetrievedChunk, SearchFilters

if TYPE_CHECKING:
    from app.guardrails.pipeline import GuardPipeline
    from app.trust.base import MessageTrust
    from app.trust.tracker import TrustOutcome, TrustTracker

logger = logging.getLogger(__name__)

_MAX_ERROR_CHARS = 500
_MAX_REMEMBERED_SUBJECTS = 10_000
_REMEMBERED_MESSAGES = 6  # per conversation, for multi-message injection and follow-ups


# "I want a real person, not a bot" can read as role-play or as off-topic; handing the conversation
# to a person is safe whatever else the message says (the reply is scripted, nothing reaches the
# model), so a request for a person wins over these two blocks. Abuse has its own handoff.
_HUMAN_REQUEST_OVERRIDES = frozenset({"injection", "off_topic"})


class Retriever(Protocol):
    """What ChatService needs from retrieval (rag.retriever.HybridRetriever fits)."""

    def search(
        self, query: str, filters: SearchFilters | None = None, k: int | None = None
    ) -> list[RetrievedChunk]:
        """The best chunks for `query`, best first."""
        ...


def new_turn_id() -> str:
    """A fresh turn id."""
    return uuid.uuid4().hex


@dataclass
class _Turn:
    """Mutable state of one turn while it runs."""

    turn_id: str
    conversation_id: str
    text: str  # what is logged, retrieved with and sent to a model: redacted once guarded
    prompt: Prompt  # the conversation's answer prompt (one for all, or its A/B arm)
    started: float = field(default_factory=perf_counter)
    resolved: str = ""
    history: History = ()
    chunks: list[RetrievedChunk] = field(default_factory=list)
    answer: GeneratedAnswer | None = None
    latency: StageLatency = field(default_factory=StageLatency)
    streamed: bool = False
    stage: str = "start"
    error: str | None = None
    decisions: list[GuardDecision] = field(default_factory=list)
    blocked_by: str | None = None
    flagged_for_agent: bool = False
    stored_answer: str | None = None  # the answer as logged, when it differs from the one shown
    asked_for_human: bool = False
    agent_holds: bool = False  # an agent has taken the conversation over
    scoring: asyncio.Task[MessageTrust] | None = None
    trust: TrustOutcome | None = None


class ChatService:
    """Answers shoppers' messages with cited, logged, streamed turns."""

    def __init__(
        self,
        *,
        retriever: Retriever,
        generator: AnswerGenerator,
        prompt: Prompt | PromptChooser,
        turn_log: TurnLog,
        k: int,
        backend: str,
        model: str,
        resolver: FollowupResolver | None = None,
        shop_name: str = "the shop",
        history_turns: int = 6,
        guards: GuardPipeline | None = None,
        guard_by_sentence: bool = False,
        trust: TrustTracker | None = None,
        takeover: AgentHolds | None = None,
    ) -> None:
        self._retriever = retriever
        self._generator = generator
        self._prompts = (
            prompt if isinstance(prompt, PromptChooser) else PromptChooser.single(prompt)
        )
        self._turn_log = turn_log
        self._k = k
        self._backend = backend
        self._model = model
        self._resolver = resolver or RuleFollowupResolver()
        self._shop_name = shop_name
        self._history_turns = history_turns
        # Product each conversation last talked about, so "how much is it?" has a referent.
        self._subjects: OrderedDict[str, str] = OrderedDict()
        self._guards = guards
        self._guarded = (
            GuardedGenerator(generator, guards, by_sentence=guard_by_sentence) if guards else None
        )
        # The shopper's recent (redacted) messages per conversation, for the input guards.
        self._recent: OrderedDict[str, deque[str]] = OrderedDict()
        self._trust = trust
        self._takeover = takeover

    @property
    def prompt(self) -> Prompt:
        """The default answer prompt (under an A/B test each conversation gets its own arm)."""
        return self._prompts.default

    async def ask(
        self, *, conversation_id: str, text: str, turn_id: str | None = None
    ) -> TurnResult:
        """Answer one message and return the finished turn."""
        result: TurnResult | None = None
        async for event in self.stream(conversation_id=conversation_id, text=text, turn_id=turn_id):
            result = event.result or result
        if result is None:  # cannot happen: every stream ends with a "done" event
            raise RuntimeError("turn ended without a result")
        return result

    async def stream(
        self, *, conversation_id: str, text: str, turn_id: str | None = None
    ) -> AsyncGenerator[TurnEvent, None]:
        """Yield answer text as it is produced, then one "done" event with the TurnResult.

        On failure the apology is streamed as the final text; `result.answer` is always the text
        the shopper should end up seeing, so a UI replaces what it streamed with it.
        """
        prompt = self._prompts.choose(conversation_id)
        turn = _Turn(turn_id or new_turn_id(), conversation_id, text, prompt)
        reply = await self._guard_input(turn, text)
        held = await self._held_reply(turn)  # also known to trust: no handoff while held
        reply = reply if reply is not None else held
        reply = self._begin_trust(turn, reply)
        self._record("turn_started", turn, self._turn_log.turn_started, **self._started(turn))
        try:
            pieces = self._stopped(turn, reply) if reply is not None else self._run(turn)
            async for piece in pieces:
                turn.streamed = True
                yield TurnEvent("token", text=piece)
        except Exception as exc:  # outage, timeout, bad JSON...: the shopper gets an apology
            logger.exception(
                "turn %s of conversation %s failed during %s",
                turn.turn_id,
                turn.conversation_id,
                turn.stage,
            )
            apology = self._fail(turn, exc)
            yield TurnEvent("token", text=("\n\n" if turn.streamed else "") + apology)
        except BaseException as exc:  # cancelled or closed by the client: still close the turn
            if turn.scoring is not None:
                turn.scoring.cancel()
            self._fail(turn, exc)
            self._finish(turn)
            raise
        if note := await self._settle_trust(turn):
            yield TurnEvent("token", text="\n\n" + note)
        yield TurnEvent("done", result=self._finish(turn))

    def redact(self, text: str, conversation_id: str = "") -> str:
        """`text` as it may be stored anywhere else (the UI's own log): personal data redacted."""
        return text if self._guards is None else self._guards.redact(text, conversation_id)

    def feedback(self, *, turn_id: str, score: int, comment: str | None = None) -> None:
        """Record thumbs up (1) or down (0) for a turn."""
        if score not in (0, 1):
            raise ValueError(f"feedback score must be 0 or 1, not {score!r}")
        self._turn_log.feedback(turn_id=turn_id, score=score, comment=comment)

    async def _guard_input(self, turn: _Turn, text: str) -> str | None:
        """Run the input guards; leaves the redacted text on `turn`; the reply if stopped."""
        if self._guards is None:
            return None
        turn.stage = "guard_input"
        recent = self._recent.get(turn.conversation_id, ())
        try:
            verdict = await asyncio.to_thread(
                self._guards.check_input, text, tuple(recent), conversation_id=turn.conversation_id
            )
        except Exception as exc:  # fail closed: an unchecked message is neither logged nor used
            logger.exception("input guards failed for turn %s", turn.turn_id)
            turn.text = WITHHELD
            turn.error = f"guard_input: {type(exc).__name__}: {exc}"[:_MAX_ERROR_CHARS]
            return turn.prompt.layout.apology_text(self._shop_name)
        turn.text = verdict.text
        turn.decisions.extend(verdict.decisions)
        turn.blocked_by = verdict.blocked_by
        turn.flagged_for_agent = verdict.flagged_for_agent
        if verdict.blocked_by != "size":  # unreadable or oversized text is no context
            _remember(self._recent, turn.conversation_id, verdict.text, _REMEMBERED_MESSAGES)
        return verdict.reply

    async def _held_reply(self, turn: _Turn) -> str | None:
        """The reply while an agent holds the conversation (the bot stays quiet); else None."""
        if self._takeover is None:
            return None
        try:
            reply = await asyncio.to_thread(self._takeover.held_reply, turn.conversation_id)
        except Exception:  # takeover state unreadable: the bot answering beats silence
            logger.exception("takeover state of conversation %s unreadable", turn.conversation_id)
            return None
        turn.agent_holds = reply is not None
        return reply

    def _begin_trust(self, turn: _Turn, reply: str | None) -> str | None:
        """Start scoring the message beside the answer; a request for a person gets its reply."""
        if self._trust is None or turn.blocked_by in ("size", "guard_error"):
            return reply  # unreadable or unchecked text says nothing about trust
        may_hand_off = reply is None or turn.blocked_by in _HUMAN_REQUEST_OVERRIDES
        if may_hand_off and self._trust.wants_human(turn.text, turn.conversation_id):
            turn.asked_for_human = True
            turn.blocked_by = None  # the guard decision stays on record; no refusal is sent
            reply = self._trust.human_reply()
        turn.scoring = self._trust.begin(turn.text)
        return reply

    async def _settle_trust(self, turn: _Turn) -> str | None:
        """Finish the turn's trust and handoff; the note to add to the answer, if any."""
        if self._trust is None or turn.blocked_by in ("size", "guard_error"):
            return None
        answer = turn.answer or GeneratedAnswer(text="", knows_answer=False)
        facts = TurnFacts(
            retrieved_scores=[chunk.score for chunk in turn.chunks],
            knows_answer=answer.knows_answer and not turn.asked_for_human,
            guard_decisions=turn.decisions,
            blocked_by=turn.blocked_by,
            error=turn.error,
            flagged_for_agent=turn.flagged_for_agent,
            agent_holds=turn.agent_holds,
        )
        try:
            turn.trust = await self._trust.settle(
                conversation_id=turn.conversation_id,
                pending=turn.scoring,
                asked_for_human=turn.asked_for_human,
                facts=facts,
            )
        except Exception:  # trust is for the shop; the shopper's answer must not suffer
            logger.exception("trust of turn %s could not be settled", turn.turn_id)
            return None
        note = turn.trust.note
        if note and turn.answer is not None:
            turn.answer = replace(turn.answer, text=f"{turn.answer.text}\n\n{note}")
            if turn.stored_answer is not None:
                turn.stored_answer = f"{turn.stored_answer}\n\n{note}"
        return note

    async def _stopped(self, turn: _Turn, reply: str) -> AsyncIterator[str]:
        """A message a guard stopped: its reply, without retrieval or generation."""
        turn.answer = GeneratedAnswer(text=reply, knows_answer=False)
        yield reply

    async def _run(self, turn: _Turn) -> AsyncIterator[str]:
        """The turn's stages; yields answer text and leaves the answer on `turn`."""
        turn.stage = "resolve"
        subject = self._subjects.get(turn.conversation_id)
        if self._generator.uses_history or self._resolver.wants_history(turn.text, subject):
            # A database read that may wait for the previous turn's write: skipped when unneeded.
            turn.history = await asyncio.to_thread(self._history, turn)
        turn.resolved = await self._resolver.resolve(turn.text, turn.history, subject)
        turn.stage = "retrieve"
        began = perf_counter()
        # "[EMAIL_1]" would only pull the privacy policy's e-mail section into the results.
        query = without_placeholders(turn.resolved) if self._guards else turn.resolved
        turn.chunks = await asyncio.to_thread(self._retriever.search, query, None, self._k)
        turn.latency.retrieve_ms = _ms_since(began)
        turn.stage = "generate"
        began = perf_counter()
        request = AnswerRequest(
            question=turn.resolved,
            chunks=turn.chunks,
            prompt=turn.prompt,
            shop_name=self._shop_name,
            history=turn.history,
        )
        async for text in self._generate(turn, request):
            yield text
        turn.latency.generate_ms = _ms_since(began)
        if turn.answer is None:
            raise RuntimeError("answer generator ended without a finished answer")
        self._remember_subject(turn)

    async def _generate(self, turn: _Turn, request: AnswerRequest) -> AsyncIterator[str]:
        """Answer text as the shopper may see it; output guards apply when configured."""
        if self._guarded is None:
            async for event in self._generator.stream(request):
                if event.answer is not None:
                    turn.answer = event.answer
                elif event.text:
                    yield event.text
            return
        outcome = GuardedOutcome()
        try:
            async for text in self._guarded.stream(
                request, outcome, conversation_id=turn.conversation_id
            ):
                yield text
        finally:  # decisions taken before a failure are still the turn's
            turn.decisions.extend(outcome.decisions)
        turn.answer = outcome.answer
        turn.blocked_by = turn.blocked_by or outcome.blocked_by
        turn.stored_answer = outcome.stored_text

    def _history(self, turn: _Turn) -> History:
        try:
            return self._turn_log.history(turn.conversation_id, self._history_turns)
        except Exception:  # a follow-up may resolve worse, but the shopper still gets an answer
            logger.exception("history of conversation %s unavailable", turn.conversation_id)
            return ()

    def _remember_subject(self, turn: _Turn) -> None:
        """Keep the product the answer cited first; a policy answer clears it, "don't know" not."""
        assert turn.answer is not None
        if not turn.answer.citations:
            return
        by_id = {chunk.chunk_id: chunk for chunk in turn.chunks}
        top = by_id.get(turn.answer.citations[0].chunk_id)
        subjects = self._subjects
        subjects.pop(turn.conversation_id, None)
        if top is not None and top.metadata.get(DOC_TYPE) == "product":
            subjects[turn.conversation_id] = str(top.metadata.get(NAME) or top.metadata.get(TITLE))
            if len(subjects) > _MAX_REMEMBERED_SUBJECTS:
                subjects.popitem(last=False)

    def _fail(self, turn: _Turn, exc: BaseException) -> str:
        apology = turn.prompt.layout.apology_text(self._shop_name)
        turn.answer = GeneratedAnswer(text=apology, knows_answer=False)
        turn.error = f"{turn.stage}: {type(exc).__name__}: {exc}"[:_MAX_ERROR_CHARS]
        return apology

    def _finish(self, turn: _Turn) -> TurnResult:
        turn.latency.total_ms = _ms_since(turn.started)
        answer = turn.answer or GeneratedAnswer(text="", knows_answer=False)
        result = TurnResult(
            turn_id=turn.turn_id,
            conversation_id=turn.conversation_id,
            question=turn.text,
            resolved_question=turn.resolved or turn.text,
            answer=answer.text,
            citations=answer.citations,
            prompt=turn.prompt.ref,
            backend=self._backend,
            model=self._model,
            latency=turn.latency,
            retrieved=[(chunk.chunk_id, chunk.score) for chunk in turn.chunks],
            prompt_tokens=answer.prompt_tokens,
            completion_tokens=answer.completion_tokens,
            knows_answer=answer.knows_answer,
            error=turn.error,
            guard_decisions=list(turn.decisions),
            blocked_by=turn.blocked_by,
            flagged_for_agent=turn.flagged_for_agent,
            **_trust_fields(turn.trust),
        )
        stored = (
            result if turn.stored_answer is None else replace(result, answer=turn.stored_answer)
        )
        self._record("turn_finished", turn, self._turn_log.turn_finished, stored)
        return result

    def _started(self, turn: _Turn) -> dict[str, Any]:
        return {
            "turn_id": turn.turn_id,
            "conversation_id": turn.conversation_id,
            "user_text": turn.text,
            "prompt": turn.prompt.ref,
            "backend": self._backend,
            "model": self._model,
        }

    @staticmethod
    def _record(
        what: str, turn: _Turn, write: Callable[..., None], *args: Any, **kwargs: Any
    ) -> None:
        """Write to the turn log; a logging failure must never cost the shopper the answer."""
        try:
            write(*args, **kwargs)
        except Exception:
            logger.exception(
                "turn log %s failed for turn %s of conversation %s",
                what,
                turn.turn_id,
                turn.conversation_id,
            )


def _remember(memory: OrderedDict[str, deque[str]], key: str, value: str, keep: int) -> None:
    """Append to a conversation's bounded memory; the least recent conversation goes first."""
    memory.setdefault(key, deque(maxlen=keep)).append(value)
    memory.move_to_end(key)
    if len(memory) > _MAX_REMEMBERED_SUBJECTS:
        memory.popitem(last=False)


def _trust_fields(outcome: TrustOutcome | None) -> dict[str, Any]:
    """TurnResult's trust fields from a settled outcome (all None without one)."""
    if outcome is None:
        return {}
    return {
        "trust": outcome.trust,
        "confidence": outcome.confidence,
        "conversation_trust": outcome.conversation_trust,
        "handoff": outcome.handoff,
    }


def _ms_since(began: float) -> float:
    return (perf_counter() - began) * 1000.0
