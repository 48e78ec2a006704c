"""What `trustdesk eval compare`, `eval gate` and `eval baseline` do, apart from argument parsing.

Errors a user can fix (unknown run, different datasets, a bad tolerance) are raised as
ValueError/LookupError/FileNotFoundError with a message the CLI prints without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlmodel import Session

from app.config import Settings
from app.store import eval_crud, make_engine, upgrade_database
from app.store.models import EvalRun, EvalRunStatus
from evals.baseline import baseline_data, read_baseline, write_baseline
from evals.cases import dataset_path, file_sha256
from evals.compare import (
    Comparison,
    DifferentDataError,
    Side,
    compare,
    load_run_side,
    run_side,
)
from evals.compare_html import write_html
from evals.compare_report import format_comparison, format_gate
from evals.gate import check, failures, parse_tolerances, tolerances
from evals.run_config import RunOverrides
from evals.run_report import format_run


@dataclass(frozen=True)
class CompareOptions:
    """How to compare: report file, gate and tolerances, whether other data may be compared."""

    report: Path | None = None
    gate: bool = False
    tolerance: Sequence[str] = ()
    allow_different_data: bool = False


@dataclass(frozen=True)
class GateOptions:
    """What `eval gate` runs: the baseline's dataset (or another), a prompt, or a stored run."""

    baseline: Path
    dataset: str | None = None
    prompt: str | None = None
    run_id: str | None = None  # gate this stored run instead of running the dataset
    concurrency: int = 1
    progress: bool = False
    compare: CompareOptions = field(default_factory=CompareOptions)


@dataclass(frozen=True)
class Outcome:
    """What to print, and whether the gate failed."""

    text: str
    failed: bool = False


def compare_runs(database_url: str, run_a: str, run_b: str, options: CompareOptions) -> Outcome:
    """Compare two stored runs; gate B against A when asked."""
    a, b = _load_sides(database_url, run_a, run_b)
    return _report(a, b, options)


def gate(settings: Settings, options: GateOptions) -> Outcome:
    """Run the baseline's dataset now (or take a stored run) and gate it against the baseline."""
    baseline = read_baseline(options.baseline)
    parse_tolerances(options.compare.tolerance)  # a bad value fails before the run, not after
    header, run_id = "", options.run_id
    if run_id is None:
        run = _run_for_gate(settings, baseline, options)
        header, run_id = format_run(run) + "\n\n", run.id
    (candidate,) = _load_sides(settings.database_url, run_id)
    outcome = _report(baseline, candidate, replace(options.compare, gate=True))
    return Outcome(header + outcome.text, outcome.failed)


def _run_for_gate(settings: Settings, baseline: Side, options: GateOptions) -> EvalRun:
    """The dataset run afresh: refused up front when it is not the baseline's dataset."""
    from evals.runner import RunOptions, run_eval  # the serving stack, only when running

    dataset = options.dataset or baseline.dataset
    path = dataset_path(dataset)
    if not path.is_file():
        raise FileNotFoundError(f"dataset {path} not found: run `make eval-data`")
    sha256 = file_sha256(path)
    if sha256 != baseline.dataset_sha256 and not options.compare.allow_different_data:
        raise DifferentDataError(
            f"{dataset} ({sha256[:12]}) is not the dataset of baseline {baseline.label} "
            f"({baseline.dataset_sha256[:12]}): make a new baseline, or --allow-different-data"
        )
    # Always re-asked: a code change does not change the cache key, so a cached result
    # could hide exactly the regression the gate is for.
    run_options = RunOptions(
        dataset=dataset,
        overrides=RunOverrides(prompt=options.prompt),
        concurrency=options.concurrency,
        use_cache=False,
        progress=options.progress,
    )
    return run_eval(settings, run_options)


def _load_sides(database_url: str, *run_ids: str) -> list[Side]:
    upgrade_database(database_url)  # a fresh database has no runs, but also no error
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return [load_run_side(session, run_id) for run_id in run_ids]
    finally:
        engine.dispose()


def make_baseline(database_url: str, run_id: str, out: Path, *, command: str) -> Path:
    """Write the baseline file of a stored, finished run."""
    upgrade_database(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            run = eval_crud.get_eval_run(session, run_id=run_id)
            if run is None:
                raise LookupError(f"no eval run {run_id!r}")
            if run.status != EvalRunStatus.FINISHED:
                raise ValueError(f"eval run {run_id} is {run.status}, not finished")
            side = run_side(run, eval_crud.list_eval_results(session, run_id=run_id))
            write_baseline(out, baseline_data(run, side, command=command))
    finally:
        engine.dispose()
    return out


def _report(a: Side, b: Side, options: CompareOptions) -> Outcome:
    gated = tolerances(parse_tolerances(options.tolerance))  # a bad value fails before work
    comparison: Comparison = compare(a, b, allow_different_data=options.allow_different_data)
    checks = check(comparison.metrics, gated) if options.gate else None
    text = format_comparison(comparison)
    if checks is not None:
        text += "\n" + format_gate(checks)
    if options.report is not None:
        text += f"\nreport written to {write_html(options.report, comparison, checks)}"
    return Outcome(text, failed=bool(checks and failures(checks)))
