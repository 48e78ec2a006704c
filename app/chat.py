"""ChatService: the one answering path shared by the Chainlit UI, the CLI and the eval runner.

Per turn: log the message -> resolve a follow-up -> retrieve (in a thread) -> generate (streamed)
-> log the finished turn. Any failure becomes a polite apology that offers a human, and the turn
is still finished in the log with `error` set.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any, Protocol

from app.followup import FollowupResolver, History, RuleFollowupResolver
from app.llm.base import AnswerGenerator, AnswerRequest, GeneratedAnswer
from app.prompts import Prompt
from app.turnlog import TurnLog
from app.turns import StageLatency, TurnEvent, TurnResult
from rag.schema import DOC_TYPE, NAME, TITLE, RetrievedChunk, SearchFilters

logger = logging.getLogger(__name__)

_MAX_ERROR_CHARS = 500
_MAX_REMEMBERED_SUBJECTS = 10_000


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
    text: str
    started: float = field(default_factory=perf_counter)
    resolved: str = ""
    history: History = ()
    chunks: list[RetrievedChunk] = field(default_factory=list)
    answer: GeneratedAnswer | None = None
    latency: StageLatency = field(default_factory=StageLatency)
    streamed: bool = False
    stage: str = "start"
    error: str | None = None


class ChatService:
    """Answers shoppers' messages with cited, logged, streamed turns."""

    def __init__(
        self,
        *,
        retriever: Retriever,
        generator: AnswerGenerator,
        prompt: Prompt,
        turn_log: TurnLog,
        k: int,
        backend: str,
        model: str,
        resolver: FollowupResolver | None = None,
        shop_name: str = "the shop",
        history_turns: int = 6,
    ) -> None:
        self._retriever = retriever
        self._generator = generator
        self._prompt = prompt
        self._turn_log = turn_log
        self._k = k
        self._backend = backend
        self._model = model
        self._resolver = resolver or RuleFollowupResolver()
        self._shop_name = shop_name
        self._history_turns = history_turns
        # Product each conversation last talked about, so "how much is it?" has a referent.
        self._subjects: OrderedDict[str, str] = OrderedDict()

    @property
    def prompt(self) -> Prompt:
        """The answer prompt this service stamps on its turns."""
        return self._prompt

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
        turn = _Turn(turn_id or new_turn_id(), conversation_id, text)
        self._record("turn_started", turn, self._turn_log.turn_started, **self._started(turn))
        try:
            async for piece in self._run(turn):
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
            self._fail(turn, exc)
            self._finish(turn)
            raise
        yield TurnEvent("done", result=self._finish(turn))

    def feedback(self, *, turn_id: str, score: int, comment: str | None = None) -> None:
        """Record thumbs up (1) or down (0) for a turn."""
        if score not in (0, 1):
            raise ValueError(f"feedback score must be 0 or 1, not {score!r}")
        self._turn_log.feedback(turn_id=turn_id, score=score, comment=comment)

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
        turn.chunks = await asyncio.to_thread(self._retriever.search, turn.resolved, None, self._k)
        turn.latency.retrieve_ms = _ms_since(began)
        turn.stage = "generate"
        began = perf_counter()
        request = AnswerRequest(
            question=turn.resolved,
            chunks=turn.chunks,
            prompt=self._prompt,
            shop_name=self._shop_name,
            history=turn.history,
        )
        async for event in self._generator.stream(request):
            if event.answer is not None:
                turn.answer = event.answer
            elif event.text:
                yield event.text
        turn.latency.generate_ms = _ms_since(began)
        if turn.answer is None:
            raise RuntimeError("answer generator ended without a finished answer")
        self._remember_subject(turn)

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
        apology = self._prompt.layout.apology_text(self._shop_name)
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
            prompt=self._prompt.ref,
            backend=self._backend,
            model=self._model,
            latency=turn.latency,
            retrieved=[(chunk.chunk_id, chunk.score) for chunk in turn.chunks],
            prompt_tokens=answer.prompt_tokens,
            completion_tokens=answer.completion_tokens,
            knows_answer=answer.knows_answer,
            error=turn.error,
        )
        self._record("turn_finished", turn, self._turn_log.turn_finished, result)
        return result

    def _started(self, turn: _Turn) -> dict[str, Any]:
        return {
            "turn_id": turn.turn_id,
            "conversation_id": turn.conversation_id,
            "user_text": turn.text,
            "prompt": self._prompt.ref,
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


def _ms_since(began: float) -> float:
    return (perf_counter() - began) * 1000.0
