"""One eval case: ask ChatService (or reuse a cached result), score it, store the EvalResult."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Mapping
from typing import Any

from langchain_chroma import Chroma
from sqlalchemy import Engine
from sqlmodel import Session

from app.container import Container
from app.store import eval_crud
from app.store.models import EvalResult
from app.trust.base import HandoffReason
from app.turns import TurnResult
from evals.cases import EvalCase
from evals.metrics import score_case
from evals.metrics.grounding import without_scripted
from evals.metrics.judge import JUDGE_METRICS, AnswerJudge
from evals.records import TurnRecord
from evals.run_config import Fingerprint
from rag.schema import RetrievedChunk

logger = logging.getLogger(__name__)

EVAL_CHANNEL = "eval"  # conversations an eval run opens, so reviewers can tell them apart


def chunk_lookup(vectorstore: Chroma) -> dict[str, RetrievedChunk]:
    """Every indexed chunk by id (groundedness is judged against the retrieved chunks' text)."""
    raw = vectorstore.get(include=["documents", "metadatas"])
    return {
        chunk_id: RetrievedChunk(
            chunk_id=chunk_id, text=text or "", metadata=dict(meta or {}), score=0.0
        )
        for chunk_id, text, meta in zip(raw["ids"], raw["documents"], raw["metadatas"], strict=True)
    }


def scripted_replies(container: Container) -> tuple[str, ...]:
    """The shop's fixed replies this configuration can send (handoff notices, guard replies)."""
    texts: list[str] = []
    if container.trust is not None:
        handoff = container.trust.replies
        texts += [t for reason in HandoffReason if (t := handoff.text(reason)) is not None]
    if container.guards is not None:
        guard = container.guards.replies
        texts += [guard.text(reason) for reason in guard.replies]
    return tuple(texts)


def conversation_id(run_id: str, case_id: str) -> str:
    """The conversation a case is asked in: its own, stable within the run."""
    return f"eval-{run_id}-{hashlib.sha256(case_id.encode()).hexdigest()[:16]}"


class CaseRunner:
    """Runs, scores and stores the cases of one eval run."""

    def __init__(
        self,
        engine: Engine,
        run_id: str,
        container: Container,
        fingerprint: Fingerprint,
        chunks: Mapping[str, RetrievedChunk],
        *,
        use_cache: bool = True,
        judge: AnswerJudge | None = None,
    ) -> None:
        self._engine = engine
        self._run_id = run_id
        self._container = container
        self._fingerprint = fingerprint
        self._chunks = chunks
        self._use_cache = use_cache
        self._scripted = scripted_replies(container)
        self._judge = judge

    async def run(self, case: EvalCase) -> EvalResult:
        """The case's stored result: reused from the cache when allowed, else freshly asked."""
        key = self._fingerprint.cache_key(case.messages)
        cached = await asyncio.to_thread(self._cached, key) if self._use_cache else None
        record = (
            TurnRecord.model_validate(cached.record)
            if cached is not None
            else await self._ask(case)
        )
        metrics: dict[str, Any] = score_case(case, record, self._chunks, scripted=self._scripted)
        metrics.update(await self._judged(case, record, cached))
        row = self._row(case, record, key, metrics, cached=cached is not None)
        await asyncio.to_thread(self._store, row)
        return row

    def _cached(self, key: str) -> EvalResult | None:
        with Session(self._engine) as session:
            return eval_crud.cached_eval_result(session, cache_key=key, exclude_run=self._run_id)

    async def _ask(self, case: EvalCase) -> TurnRecord:
        """Send the case's messages in order in its own conversation."""
        conversation = conversation_id(self._run_id, case.id)
        self._container.turn_log.conversation_opened(
            conversation_id=conversation, channel=EVAL_CHANNEL
        )
        results: list[TurnResult] = []
        try:
            for message in case.messages:
                chat = self._container.chat
                results.append(await chat.ask(conversation_id=conversation, text=message))
        except Exception as error:  # a bug, not an outage (ChatService apologises for those)
            logger.exception("eval case %s failed in conversation %s", case.id, conversation)
            return TurnRecord(
                turn_id=results[-1].turn_id if results else "",
                conversation_id=conversation,
                answer="",
                knows_answer=False,
                error=f"{type(error).__name__}: {error}"[:500],
            )
        return TurnRecord.from_results(results)

    async def _judged(
        self, case: EvalCase, record: TurnRecord, cached: EvalResult | None
    ) -> dict[str, float | None]:
        """The LLM judge's metrics, when there is a judge and an answer of the model to grade."""
        if self._judge is None or record.error or record.blocked_by:
            return {}
        if cached is not None and cached.metrics.get("judge_error") == 0.0:
            return {name: cached.metrics.get(name) for name in JUDGE_METRICS}
        answer = without_scripted(record.answer, self._scripted)
        if not answer:
            return {}  # only the shop's own words: nothing the model wrote
        sources = [
            self._chunks[r.chunk_id].text for r in record.retrieved if r.chunk_id in self._chunks
        ]
        return await self._judge.grade(case.messages[-1], answer, sources)

    def _row(
        self,
        case: EvalCase,
        record: TurnRecord,
        key: str,
        metrics: dict[str, Any],
        *,
        cached: bool,
    ) -> EvalResult:
        return EvalResult(
            run_id=self._run_id,
            case_id=case.id,
            input="\n".join(case.messages),
            answer=record.answer,
            turn_id=record.turn_id or None,
            citations=[citation.model_dump(mode="json") for citation in record.citations],
            record=record.model_dump(mode="json"),
            metrics=metrics,
            latency_ms=record.total_ms,
            prompt_tokens=record.prompt_tokens,
            completion_tokens=record.completion_tokens,
            error=record.error,
            cache_key=key,
            cached=cached,
        )

    def _store(self, row: EvalResult) -> None:
        with Session(self._engine) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
