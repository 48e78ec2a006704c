"""`trustdesk eval run` end to end: the smoke dataset through the real ChatService and index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings, StoreSettings
from app.store import eval_crud, make_engine
from app.store.models import EvalResult, EvalRun, EvalRunStatus, Turn
from evals.cases import read_cases
from evals.datasets_build.build import BuiltDataset
from evals.run_config import RunOverrides
from evals.runner import RunOptions, run_eval
from tests.integration.evals.conftest import TRUST
from tests.support import require


class SimulatedInterruptError(Exception):
    """Stands in for Ctrl-C part-way through a run."""


@pytest.fixture
def settings(index_settings: Settings, tmp_path: Path) -> Settings:
    """The real index and encoder, with a fresh SQLite turn log and eval store."""
    store = StoreSettings(database_url=f"sqlite:///{tmp_path / 'evals.db'}")
    return index_settings.model_copy(update={"store": store})


@pytest.fixture
def smoke(datasets: dict[str, BuiltDataset]) -> Path:
    """The smoke dataset file."""
    return datasets["smoke"].path


def _options(smoke: Path, **changes: object) -> RunOptions:
    values: dict[str, object] = {"dataset": str(smoke), "progress": False, "concurrency": 4}
    values.update(changes)
    return RunOptions(**values)  # type: ignore[arg-type]


def _results(settings: Settings, run_id: str) -> list[EvalResult]:
    with Session(make_engine(settings.database_url)) as session:
        return eval_crud.list_eval_results(session, run_id=run_id)


def _turns(settings: Settings) -> int:
    with Session(make_engine(settings.database_url)) as session:
        return int(session.exec(select(func.count()).select_from(Turn)).one())


def test_smoke_run_stores_every_case_with_provenance_then_reruns_from_cache(
    settings: Settings, smoke: Path, datasets: dict[str, BuiltDataset]
) -> None:
    run = run_eval(settings, _options(smoke))
    results = _results(settings, run.id)
    cases = read_cases(smoke)
    assert run.status == EvalRunStatus.FINISHED and run.dataset == "smoke"
    assert run.dataset_sha256 == datasets["smoke"].sha256
    assert run.prompt_ref == "answer@v2" and len(run.prompt_sha256) == 64
    assert run.backend == "extractive" and run.settings["retrieval"]["k"] == 5
    assert sorted(r.case_id for r in results) == sorted(c.id for c in cases)
    assert all(r.turn_id and not r.cached and r.error is None for r in results)
    assert _turns(settings) == len(cases)  # every case was really asked, each in its own turn
    metrics = run.summary["metrics"]
    # Thresholds, not exact values: the extractive backend on questions with known answers.
    assert metrics["hit@5"] >= 0.9 and metrics["mrr"] >= 0.8
    assert metrics["fact_accuracy"] >= 0.75 and metrics["groundedness"] >= 0.9
    assert metrics["false_block"] is None and metrics["error"] == 0.0

    again = run_eval(settings, _options(smoke))
    repeated = _results(settings, again.id)
    assert again.id != run.id and again.summary["counts"]["cached"] == len(cases)
    assert all(r.cached for r in repeated) and _turns(settings) == len(cases)  # nothing re-asked
    before = {r.case_id: r.metrics for r in results}
    assert {r.case_id: r.metrics for r in repeated} == before


def test_changed_settings_miss_the_cache(settings: Settings, smoke: Path) -> None:
    first = run_eval(settings, _options(smoke, overrides=RunOverrides(limit=3)))
    deeper = RunOverrides(sets={"retrieval.k": 3}, limit=3)
    changed = run_eval(settings, _options(smoke, overrides=deeper))
    assert first.summary["counts"]["scored"] == 3 and changed.summary["counts"]["cached"] == 0
    assert changed.settings["retrieval"]["k"] == 3 and changed.overrides["set"] == {
        "retrieval.k": 3
    }
    assert all(len(r.record["retrieved"]) <= 3 for r in _results(settings, changed.id))


def test_an_interrupted_run_resumes_with_only_the_missing_cases(
    settings: Settings, smoke: Path
) -> None:
    seen: list[str] = []

    def stop_after_five(result: EvalResult) -> None:
        seen.append(result.case_id)
        if len(seen) == 5:
            raise SimulatedInterruptError

    with pytest.raises(SimulatedInterruptError):
        run_eval(settings, _options(smoke, use_cache=False), on_result=stop_after_five)
    with Session(make_engine(settings.database_url)) as session:
        (stopped,) = session.exec(select(EvalRun)).all()
    done = {r.case_id for r in _results(settings, stopped.id)}
    assert stopped.status == EvalRunStatus.FAILED and 5 <= len(done) < len(read_cases(smoke))

    resumed_cases: list[str] = []
    resumed = run_eval(
        settings,
        _options(smoke, resume=stopped.id),
        on_result=lambda r: resumed_cases.append(r.case_id),
    )
    results = _results(settings, stopped.id)
    assert resumed.id == stopped.id and resumed.status == EvalRunStatus.FINISHED
    assert not done & set(resumed_cases)  # finished cases were not asked again
    assert len(results) == len({r.case_id for r in results}) == len(read_cases(smoke))
    assert resumed.summary["counts"]["scored"] == len(results)
    with pytest.raises(ValueError, match="already finished"):
        run_eval(settings, _options(smoke, resume=stopped.id))


def test_cli_prints_the_summary_and_run_id_and_counts_skipped_cases(
    settings: Settings, datasets: dict[str, BuiltDataset]
) -> None:
    env = {
        "TRUSTDESK_DATA__STATE_DIR": str(settings.data.state_dir),
        "TRUSTDESK_DATA__STORE_DIR": str(settings.data.store_dir),
        "TRUSTDESK_PROMPTS__DIR": str(settings.prompts.dir),
        "TRUSTDESK_STORE__DATABASE_URL": settings.database_url,
        "TRUSTDESK_GUARDS__ARTEFACT_DIR": str(settings.guard_artefact_dir),
    }
    runner = CliRunner()
    ran = runner.invoke(
        cli,
        [
            "eval",
            "run",
            "--dataset",
            str(datasets["smoke"].path),
            "--prompt",
            "answer@v1",
            "--backend",
            "extractive",
            "--set",
            "retrieval.k=5",
            "--limit",
            "2",
            "--no-progress",
        ],
        env=env,
    )
    assert ran.exit_code == 0, ran.output
    assert "hit@5" in ran.output and "2 of 2 cases scored" in ran.output
    assert "run id: " in ran.output
    skipped = runner.invoke(
        cli,
        ["eval", "run", "--dataset", str(datasets["multi_turn"].path), "--no-progress"],
        env=env,
    )
    assert skipped.exit_code == 0, skipped.output
    assert "143 skipped (143 need llm+order_tools)" in skipped.output
    bad = runner.invoke(
        cli, ["eval", "run", "--dataset", "smoke", "--set", "retrieval.kk=1"], env=env
    )
    assert bad.exit_code == 2 and "unknown setting 'retrieval.kk'" in bad.output
    with Session(make_engine(settings.database_url)) as session:
        runs = session.exec(select(EvalRun).order_by(col(EvalRun.started_at))).all()
    assert [r.dataset for r in runs] == ["smoke", "multi_turn"]


def test_a_handoff_reply_is_not_scored_as_an_ungrounded_answer(
    settings: Settings, tmp_path: Path
) -> None:
    require((TRUST / "manifest.json").is_file(), "trust scorer not trained: `make trust`")
    dataset = tmp_path / "handoff.jsonl"
    dataset.write_text(
        json.dumps({"id": "human", "input": "I want to talk to a real person, not a bot"})
        + "\n"
        + json.dumps({"id": "price", "input": "How much is the Chaz Kangeroo Hoodie?"})
        + "\n"
    )
    run = run_eval(settings, _options(dataset))
    results = {r.case_id: r for r in _results(settings, run.id)}
    handed_off = results["human"]
    assert handed_off.record["handoff"] == "asked_for_human"
    assert "customer-service team" in handed_off.answer  # the shopper got the handoff reply
    assert handed_off.metrics["groundedness"] is None  # the shop's own words claim no fact
    assert results["price"].metrics["groundedness"] == 1.0
