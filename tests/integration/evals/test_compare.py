"""`trustdesk eval compare / baseline / gate` on stored runs with known flips (real SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import cli
from app.store import make_engine, upgrade_database
from app.store.models import EvalResult, EvalRun, EvalRunStatus
from evals.baseline import read_baseline
from evals.cases import EvalCase, Expected, Fact, read_cases
from evals.datasets_build.build import BuiltDataset
from evals.metrics import score_case
from evals.records import TurnRecord
from evals.runner import run_summary
from tests.unit.evals.factories import CHUNKS, RETURNS_ID, price_case, record

REPO = Path(__file__).resolve().parents[3]
SCRIPT = "<script>alert('owned')</script>"
DONT_KNOW = "I'm sorry, I couldn't find that in Luma's information."
STOCK = EvalCase(
    id="store_qa.stock.luma.MH01",
    input="Is the Chaz Kangeroo Hoodie available to buy right now?",
    expected=Expected(
        facts=(Fact(kind="quantity", text="15 of 15 variants", value=15.0, unit="variant"),),
        sources=("luma_products.csv#MH01",),
    ),
)
RETURNS = EvalCase(
    id="store_qa.policy.return_window",
    input=f"What is your return window? {SCRIPT}",
    expected=Expected(
        facts=(Fact(kind="quantity", text="30 days", value=30.0, unit="day"),),
        sources=("luma_pages.csv#customer-service#returns-and-replacements",),
    ),
)
PRICE_ANSWER = "Chaz Kangeroo Hoodie (SKU MH01) — Price: $52.00. [1]"
STOCK_ANSWER = (
    "Chaz Kangeroo Hoodie (SKU MH01) — Availability: in stock (15 of 15 variants in stock). [1]"
)
RETURNS_ANSWER = "Merchandise must be returned within 30 days of receipt of merchandise. [1]"
RETURNS_CITED = (RETURNS_ID,)


def _record(answer: str, *, knows: bool = True, cited: tuple[str, ...] | None = None) -> TurnRecord:
    if cited is None:
        return record(answer, knows_answer=knows)
    return record(answer, cited=cited, knows_answer=knows)


# run id -> the answer each case got; A is the baseline, B fixes the stock question, C breaks
# the return window (with markup in the answer), D ran on another version of the dataset.
RUNS: dict[str, dict[str, TurnRecord]] = {
    "run-a": {
        "price": _record(PRICE_ANSWER),
        "stock": _record(DONT_KNOW, knows=False, cited=()),
        "returns": _record(RETURNS_ANSWER, cited=RETURNS_CITED),
    },
    "run-b": {
        "price": _record(PRICE_ANSWER),
        "stock": _record(STOCK_ANSWER),
        "returns": _record(RETURNS_ANSWER, cited=RETURNS_CITED),
    },
    "run-c": {
        "price": _record(PRICE_ANSWER),
        "stock": _record(DONT_KNOW, knows=False, cited=()),
        "returns": _record(f"<b>Returns</b> {SCRIPT} are welcome. [1]", cited=RETURNS_CITED),
    },
}
CASES = {"price": price_case(), "stock": STOCK, "returns": RETURNS}


def _store(engine: object, run_id: str, answers: dict[str, TurnRecord], sha: str) -> None:
    results = [
        EvalResult(
            run_id=run_id,
            case_id=CASES[key].id,
            input=CASES[key].input,
            answer=turn.answer,
            record=turn.model_dump(mode="json"),
            metrics=dict(score_case(CASES[key], turn, CHUNKS)),
            latency_ms=turn.total_ms,
            cache_key=f"{run_id}-{key}",
        )
        for key, turn in answers.items()
    ]
    run = EvalRun(
        id=run_id,
        dataset="store_qa",
        dataset_sha256=sha,
        prompt_ref="answer@v2" if run_id != "run-a" else "answer@v1",
        prompt_sha256="f" * 64,
        backend="extractive",
        model="extractive-v1",
        settings_sha256="0" * 64,
        knowledge_sha256="1" * 64,
        status=EvalRunStatus.FINISHED,
        summary=run_summary(results, planned=len(results), skipped={}),
    )
    with Session(engine) as session:  # type: ignore[arg-type]
        session.add(run)
        session.commit()
        session.add_all(results)
        session.commit()


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A migrated SQLite database holding runs A, B, C (same dataset) and D (another)."""
    url = f"sqlite:///{tmp_path / 'evals.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    for run_id, answers in RUNS.items():
        _store(engine, run_id, answers, "a" * 64)
    _store(engine, "run-d", RUNS["run-b"], "d" * 64)
    engine.dispose()
    return url


def _invoke(database: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["eval", *args], env={"TRUSTDESK_STORE__DATABASE_URL": database}
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_compare_shows_metrics_side_by_side_and_the_flipped_cases(database: str) -> None:
    code, out = _invoke(database, "compare", "run-a", "run-b")
    assert code == 0, out
    assert "A: run-a · answer@v1" in out and "B: run-b · answer@v2" in out
    # 2 of 3 cases state their facts in A, all 3 in B.
    assert "fact_accuracy             66.7%       100.0%         +33.3 pt" in out
    assert "1 fail -> pass, 0 pass -> fail" in out
    fixed = out[out.index("fail -> pass (1)") :]
    assert "store_qa.stock.luma.MH01  Is the Chaz Kangeroo Hoodie available" in fixed
    assert f"A: {DONT_KNOW}" in fixed and "B: Chaz Kangeroo Hoodie" in fixed


def test_the_gate_fails_on_a_regression_and_names_the_metric(database: str) -> None:
    code, out = _invoke(database, "compare", "run-a", "run-c", "--gate")
    assert code == 1
    assert "pass -> fail (1)" in out and "store_qa.policy.return_window" in out
    assert "FAIL fact_accuracy" in out and "gate FAILED: " in out
    failed = out[out.index("gate FAILED: ") :]
    # The new answer also states something no source supports.
    assert "fact_accuracy, fact_recall, groundedness regressed" in failed


def test_the_gate_passes_without_a_regression(database: str) -> None:
    code, out = _invoke(database, "compare", "run-a", "run-b", "--gate")
    assert code == 0, out
    assert "gate passed" in out


def test_tolerances_can_be_loosened_or_switched_off(database: str) -> None:
    loose = ["--tolerance", "fact_accuracy=40", "--tolerance", "fact_recall=off"]
    loose += ["--tolerance", "groundedness=50"]
    code, out = _invoke(database, "compare", "run-a", "run-c", "--gate", *loose)
    assert code == 0, out
    code, out = _invoke(database, "compare", "run-a", "run-b", "--gate", "--tolerance", "x=1")
    assert code == 2 and "--tolerance expects metric=value" in out


def test_runs_on_different_datasets_are_refused_unless_allowed(database: str) -> None:
    code, out = _invoke(database, "compare", "run-a", "run-d")
    assert code == 2 and "not comparable" in out and "--allow-different-data" in out
    code, out = _invoke(database, "compare", "run-a", "run-d", "--allow-different-data")
    assert code == 0 and "different datasets" in out
    code, out = _invoke(database, "compare", "run-a", "no-such-run")
    assert code == 2 and "no eval run 'no-such-run'" in out


def test_html_report_is_self_contained_and_escapes_markup(database: str, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    code, out = _invoke(database, "compare", "run-a", "run-c", "--gate", "--report", str(report))
    assert code == 1 and f"report written to {report}" in out
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Returns&lt;/b&gt;" in html
    assert html.count("<svg") == 2 and "Pass → fail (1)" in html and "Gate: FAILED" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # no external assets


def test_baseline_file_then_gate_a_stored_run_against_it(database: str, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, out = _invoke(database, "baseline", "run-a", "--out", str(baseline))
    assert code == 0, out
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["run_id"] == "run-a" and data["metrics"]["fact_accuracy"] == pytest.approx(2 / 3)
    assert data["cases"] == {
        "store_qa.policy.return_window": True,
        "store_qa.price.luma.MH01": True,
        "store_qa.stock.luma.MH01": False,
    }
    assert SCRIPT not in baseline.read_text(encoding="utf-8")  # numbers and ids, no text
    code, out = _invoke(database, "gate", "--baseline", str(baseline), "--run", "run-c")
    assert code == 1 and "FAIL fact_accuracy" in out
    assert "pass -> fail (1)\n  store_qa.policy.return_window" in out
    code, out = _invoke(database, "gate", "--baseline", str(baseline), "--run", "run-b")
    assert code == 0 and "gate passed" in out
    code, out = _invoke(database, "gate", "--baseline", str(baseline), "--run", "run-d")
    assert code == 2 and "not comparable" in out
    other = tmp_path / "other.jsonl"
    other.write_text(price_case().model_dump_json() + "\n", encoding="utf-8")
    # Refused before a single case is asked.
    code, out = _invoke(database, "gate", "--baseline", str(baseline), "--dataset", str(other))
    assert code == 2 and "is not the dataset of baseline" in out


def test_the_committed_smoke_baseline_matches_the_smoke_dataset(
    datasets: dict[str, BuiltDataset],
) -> None:
    baseline = read_baseline(REPO / "evals" / "baselines" / "smoke.json")
    smoke = datasets["smoke"]
    # When the dataset builder changes, the baseline must be made again (README "Offline evals").
    assert baseline.dataset == "smoke" and baseline.dataset_sha256 == smoke.sha256
    assert set(baseline.cases) == {case.id for case in read_cases(smoke.path)}
    assert baseline.metrics["fact_accuracy"] is not None and baseline.n["fact_accuracy"] > 0
