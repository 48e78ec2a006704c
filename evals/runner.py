"""`trustdesk eval run`: a dataset through the real ChatService, each case scored and stored.

Cases run with bounded concurrency, each in its own conversation (channel "eval" in the turn
log). Every result is stored as soon as it is scored, so an interrupted run loses nothing and
`--resume RUN_ID` runs only the cases still missing. A case whose cache key (prompt sha256,
backend, model, settings, indexed knowledge, trained artefacts, messages) matches an error-free
result of an earlier run is not asked again: that result is copied and re-scored against the
case's current expectations.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from tqdm import tqdm

from app.config import Settings
from app.container import Container, build_container
from app.llm import model_label
from app.store import eval_crud, make_engine, upgrade_database
from app.store.models import EvalResult, EvalRun, EvalRunStatus
from evals.case_runner import CaseRunner, chunk_lookup
from evals.cases import DATASETS_DIR, EvalCase, dataset_name, dataset_path, file_sha256, read_cases
from evals.metrics import summarise
from evals.metrics.judge import AnswerJudge
from evals.run_config import (
    Fingerprint,
    RunOverrides,
    apply_overrides,
    artefacts_sha256,
    knowledge_sha256,
    settings_json,
    sha256_json,
)
from rag.schema import RetrievedChunk

logger = logging.getLogger(__name__)

JUDGE_PROMPT = "eval_judge@v1"
ORDER_TOOLS: tuple[str, ...] = ()  # "order_tools" once the order-tools work lands


@dataclass(frozen=True)
class RunOptions:
    """What `trustdesk eval run` was asked to do."""

    dataset: str | None = None
    overrides: RunOverrides = field(default_factory=RunOverrides)
    concurrency: int = 4
    resume: str | None = None
    use_cache: bool = True
    progress: bool = True
    datasets_dir: Path = DATASETS_DIR
    judge: bool = True  # LLM-judge metrics, when the backend is a chat model (vllm)


@dataclass(frozen=True)
class Plan:
    """The cases a run will score, and those it skips for lack of a model or tools."""

    path: Path
    sha256: str
    cases: list[EvalCase]
    skipped: dict[str, int]  # unmet need(s) -> cases


def plan_cases(path: Path, settings: Settings, limit: int | None) -> Plan:
    """Read the dataset; keep the cases this configuration can run (the first `limit`)."""
    available = ("llm",) if settings.llm.backend == "vllm" else ()
    runnable: list[EvalCase] = []
    skipped: dict[str, int] = {}
    for case in read_cases(path):
        unmet = [need for need in case.needs if need not in (*available, *ORDER_TOOLS)]
        if unmet:
            key = "+".join(unmet)
            skipped[key] = skipped.get(key, 0) + 1
        else:
            runnable.append(case)
    return Plan(path, file_sha256(path), runnable[:limit] if limit else runnable, skipped)


def run_eval(
    base: Settings,
    options: RunOptions,
    *,
    on_result: Callable[[EvalResult], None] | None = None,
) -> EvalRun:
    """Run (or resume) an eval and return the finished run with its summary."""
    return asyncio.run(run_eval_async(base, options, on_result=on_result))


async def run_eval_async(
    base: Settings,
    options: RunOptions,
    *,
    on_result: Callable[[EvalResult], None] | None = None,
) -> EvalRun:
    """`run_eval` inside a running event loop."""
    upgrade_database(base.database_url)
    engine = make_engine(base.database_url)
    try:
        run, settings, plan = _start(engine, base, options)
        container = build_container(settings)
        try:
            return await _execute(engine, run, container, plan, options, on_result)
        finally:
            container.close()
    finally:
        engine.dispose()


def _start(engine: Engine, base: Settings, options: RunOptions) -> tuple[EvalRun, Settings, Plan]:
    """The run row (new, or the one to resume), its settings and its planned cases."""
    with Session(engine) as session:
        stored = eval_crud.get_eval_run(session, run_id=options.resume) if options.resume else None
    if options.resume and stored is None:
        raise LookupError(f"no eval run {options.resume!r} to resume")
    overrides = RunOverrides.from_json(stored.overrides) if stored else options.overrides
    settings = apply_overrides(base, overrides)
    if stored and options.dataset and dataset_name(Path(options.dataset)) != stored.dataset:
        raise ValueError(f"run {stored.id} is on dataset {stored.dataset}, not {options.dataset}")
    name = stored.dataset if stored else options.dataset
    if not name:
        raise ValueError("name a dataset (--dataset) or a run to resume (--resume)")
    plan = plan_cases(dataset_path(name, options.datasets_dir), settings, overrides.limit)
    if stored is not None:
        _check_resumable(stored, plan, settings)
        return stored, settings, plan
    run = EvalRun(
        id=uuid.uuid4().hex[:12],
        dataset=dataset_name(plan.path),
        dataset_sha256=plan.sha256,
        prompt_ref=settings.prompts.answer,
        prompt_sha256="",  # known once the container has loaded the prompt
        backend=settings.llm.backend,
        model="",
        settings=settings_json(settings),
        settings_sha256=sha256_json(settings_json(settings)),
        overrides=overrides.as_json(),
        knowledge_sha256="",
    )
    return run, settings, plan


def _check_resumable(run: EvalRun, plan: Plan, settings: Settings) -> None:
    if run.status == EvalRunStatus.FINISHED:
        raise ValueError(f"eval run {run.id} is already finished")
    if run.dataset_sha256 != plan.sha256:
        raise ValueError(f"dataset {run.dataset} changed since run {run.id} started")
    if run.settings_sha256 != sha256_json(settings_json(settings)):
        raise ValueError(f"settings differ from those run {run.id} started with")


def _fingerprint(container: Container) -> tuple[Fingerprint, dict[str, RetrievedChunk]]:
    settings = container.settings
    chunks = chunk_lookup(container.retriever.vectorstore)
    prompt = container.chat.prompt
    fingerprint = Fingerprint(
        prompt_sha256=prompt.sha256,
        backend=settings.llm.backend,
        model=model_label(settings.llm),
        settings_sha256=sha256_json(settings_json(settings)),
        knowledge_sha256=knowledge_sha256(chunks),
        artefacts_sha256=artefacts_sha256(
            [settings.guard_artefact_dir, settings.trust_artefact_dir]
        ),
    )
    return fingerprint, chunks


async def _execute(
    engine: Engine,
    run: EvalRun,
    container: Container,
    plan: Plan,
    options: RunOptions,
    on_result: Callable[[EvalResult], None] | None,
) -> EvalRun:
    fingerprint, chunks = _fingerprint(container)
    with Session(engine) as session:
        if not run.prompt_sha256:
            run.prompt_sha256, run.model = fingerprint.prompt_sha256, fingerprint.model
            run.knowledge_sha256 = fingerprint.knowledge_sha256
            session.add(run)
        elif run.knowledge_sha256 != fingerprint.knowledge_sha256:
            raise ValueError(f"the index changed since run {run.id} started: re-run it")
        eval_crud.set_eval_run_status(session, run_id=run.id, status=EvalRunStatus.RUNNING)
        session.commit()
        done = eval_crud.done_case_ids(session, run_id=run.id)
    pending = [case for case in plan.cases if case.id not in done]
    logger.info(
        "eval run %s: %d of %d cases to score (if interrupted: --resume %s)",
        run.id,
        len(pending),
        len(plan.cases),
        run.id,
    )
    judge = build_judge(container.settings) if options.judge else None
    runner = CaseRunner(
        engine, run.id, container, fingerprint, chunks, use_cache=options.use_cache, judge=judge
    )
    status = EvalRunStatus.FAILED
    try:
        await _run_cases(
            runner, pending, options, on_result, already=len(plan.cases) - len(pending)
        )
        status = EvalRunStatus.FINISHED
    except (KeyboardInterrupt, asyncio.CancelledError):
        status = EvalRunStatus.INTERRUPTED
        raise
    finally:
        finished = _finish(engine, run.id, plan, status, judge)
    return finished


async def _run_cases(
    runner: CaseRunner,
    cases: Sequence[EvalCase],
    options: RunOptions,
    on_result: Callable[[EvalResult], None] | None,
    already: int,
) -> None:
    """Score every case, at most `concurrency` at a time, updating the progress bar."""
    gate = asyncio.Semaphore(max(1, options.concurrency))

    async def one(case: EvalCase) -> EvalResult:
        async with gate:
            return await runner.run(case)

    tasks = [asyncio.create_task(one(case)) for case in cases]
    bar = tqdm(
        total=already + len(cases), initial=already, disable=not options.progress, unit="case"
    )
    try:
        for next_done in asyncio.as_completed(tasks):
            result = await next_done
            bar.update()
            if on_result is not None:
                on_result(result)
    finally:
        bar.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def build_judge(settings: Settings) -> AnswerJudge | None:
    """The LLM judge for runs on a chat-model backend (the same server), else None."""
    if settings.llm.backend != "vllm":
        return None
    from app.llm.openai_compatible import build_chat_model
    from app.prompts import PromptRegistry

    prompt = PromptRegistry.load(settings.prompts.dir).get(JUDGE_PROMPT)
    model = build_chat_model(settings.llm.model_copy(update={"max_retries": 1}))
    return AnswerJudge(model, prompt, timeout_s=max(30.0, settings.llm.timeout_s))


def _finish(
    engine: Engine, run_id: str, plan: Plan, status: EvalRunStatus, judge: AnswerJudge | None
) -> EvalRun:
    """Store the run's status and the summary of every result it holds."""
    with Session(engine) as session:
        results = eval_crud.list_eval_results(session, run_id=run_id)
        summary = run_summary(results, planned=len(plan.cases), skipped=plan.skipped)
        if judge is not None:
            summary["judge"] = {"prompt": str(judge.prompt.ref), "sha256": judge.prompt.sha256}
        run = eval_crud.set_eval_run_status(session, run_id=run_id, status=status, summary=summary)
        session.commit()
        session.refresh(run)
        return run


def run_summary(
    results: Sequence[EvalResult], *, planned: int, skipped: dict[str, int]
) -> dict[str, Any]:
    """Summary metrics (value and n per metric) and counts of a run's stored results."""
    values = summarise([result.metrics for result in results])
    return {
        "metrics": {name: value.value for name, value in values.items()},
        "n": {name: value.n for name, value in values.items()},
        "counts": {
            "planned": planned,
            "scored": len(results),
            "cached": sum(result.cached for result in results),
            "errors": sum(result.error is not None for result in results),
            "skipped": sum(skipped.values()),
            "skipped_by_need": skipped,
        },
    }
