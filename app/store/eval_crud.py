"""Small keyword-only CRUD functions over the eval tables; callers own the session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.store.models import EvalResult, EvalRun, EvalRunStatus, utcnow


def get_eval_run(session: Session, *, run_id: str) -> EvalRun | None:
    """One eval run by id."""
    return session.get(EvalRun, run_id)


def list_eval_runs(
    session: Session, *, dataset: str | None = None, limit: int = 20
) -> list[EvalRun]:
    """The latest eval runs, newest first (of one dataset when given)."""
    query = select(EvalRun).order_by(col(EvalRun.started_at).desc()).limit(limit)
    if dataset is not None:
        query = query.where(EvalRun.dataset == dataset)
    return list(session.exec(query).all())


def set_eval_run_status(
    session: Session,
    *,
    run_id: str,
    status: EvalRunStatus,
    summary: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> EvalRun:
    """Move a run to `status` (finished ones get their summary and end time)."""
    run = session.get(EvalRun, run_id)
    if run is None:
        raise LookupError(f"no eval run {run_id!r}")
    run.status = status
    if summary is not None:
        run.summary = summary
    run.finished_at = None if status == EvalRunStatus.RUNNING else now or utcnow()
    session.add(run)
    return run


def list_eval_results(session: Session, *, run_id: str) -> list[EvalResult]:
    """A run's case results in the order they were stored."""
    query = select(EvalResult).where(EvalResult.run_id == run_id).order_by(col(EvalResult.id))
    return list(session.exec(query).all())


def eval_results_by_case(session: Session, *, run_id: str) -> dict[str, EvalResult]:
    """A run's case results by case id (what a comparison of two runs lines up)."""
    return {result.case_id: result for result in list_eval_results(session, run_id=run_id)}


def done_case_ids(session: Session, *, run_id: str) -> set[str]:
    """Ids of the cases a run already has results for (a resumed run skips them)."""
    query = select(EvalResult.case_id).where(EvalResult.run_id == run_id)
    return set(session.exec(query).all())


def cached_eval_result(session: Session, *, cache_key: str, exclude_run: str) -> EvalResult | None:
    """The newest error-free result of another run with this cache key."""
    query = (
        select(EvalResult)
        .where(
            EvalResult.cache_key == cache_key,
            col(EvalResult.error).is_(None),
            EvalResult.run_id != exclude_run,
        )
        .order_by(col(EvalResult.id).desc())
        .limit(1)
    )
    return session.exec(query).first()
