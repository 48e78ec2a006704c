"""LLM-judge metrics of an eval run on the vllm backend, against a real OpenAI-protocol server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from app.config import LLMSettings, Settings, StoreSettings
from app.store import eval_crud, make_engine
from app.store.models import EvalResult
from evals.runner import RunOptions, run_eval
from tests.fakes.openai_server import BadJSON, FakeOpenAIServer, Reply

QUESTION = "How much is the Chaz Kangeroo Hoodie?"
ANSWER = "The Chaz Kangeroo Hoodie costs $52.00 [1]. It is made of recycled fishing nets [1]."


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    """A fresh OpenAI-compatible server for each test."""
    with FakeOpenAIServer() as running:
        yield running


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """One store question."""
    path = tmp_path / "judge.jsonl"
    path.write_text(json.dumps({"id": "hoodie", "input": QUESTION}) + "\n")
    return path


def _settings(index_settings: Settings, server: FakeOpenAIServer, tmp_path: Path) -> Settings:
    llm = LLMSettings(
        backend="vllm", base_url=server.base_url, model=server.model, timeout_s=5, max_retries=0
    )
    store = StoreSettings(database_url=f"sqlite:///{tmp_path / 'judge.db'}")
    return index_settings.model_copy(update={"llm": llm, "store": store})


def _only_result(settings: Settings, run_id: str) -> EvalResult:
    with Session(make_engine(settings.database_url)) as session:
        (result,) = eval_crud.list_eval_results(session, run_id=run_id)
        return result


def _grade(*claims: tuple[str, bool], relevance: int) -> Reply:
    verdict = {"claims": [{"claim": c, "supported": s} for c, s in claims], "relevance": relevance}
    return Reply(json.dumps(verdict))


def test_the_judge_grades_the_models_answer_against_the_retrieved_sources(
    index_settings: Settings, server: FakeOpenAIServer, dataset: Path, tmp_path: Path
) -> None:
    settings = _settings(index_settings, server, tmp_path)
    server.script(
        Reply(ANSWER),
        _grade(("costs $52.00", True), ("made of recycled fishing nets", False), relevance=5),
    )
    run = run_eval(settings, RunOptions(dataset=str(dataset), progress=False, concurrency=1))
    metrics = _only_result(settings, run.id).metrics
    assert metrics["judge_faithfulness"] == 0.5 and metrics["judge_relevancy"] == 1.0
    assert metrics["judge_error"] == 0.0
    assert run.summary["metrics"]["judge_faithfulness"] == 0.5
    assert run.summary["judge"]["prompt"] == "eval_judge@v1"
    judged = server.requests[-1]
    # Guided JSON: the schema travels as response_format, so vLLM constrains the reply.
    assert judged["response_format"]["type"] == "json_schema"
    assert judged["response_format"]["json_schema"]["schema"]["required"] == [
        "claims",
        "relevance",
    ]
    prompt = judged["messages"][-1]["content"]
    assert QUESTION in prompt and "costs $52.00" in prompt
    # The judge grades what the shopper got: the grounding guard had dropped the invention.
    assert "fishing nets" not in prompt
    assert "Chaz Kangeroo Hoodie" in prompt.split("Sources retrieved for it")[1]  # the sources


def test_a_judge_reply_that_is_not_a_grade_counts_as_a_judge_error_not_a_score(
    index_settings: Settings, server: FakeOpenAIServer, dataset: Path, tmp_path: Path
) -> None:
    settings = _settings(index_settings, server, tmp_path)
    server.script(Reply(ANSWER), Reply('{"claims": [], "relevance": 9}'))
    run = run_eval(settings, RunOptions(dataset=str(dataset), progress=False, concurrency=1))
    metrics = _only_result(settings, run.id).metrics
    assert metrics["judge_error"] == 1.0 and metrics["judge_faithfulness"] is None
    assert metrics["error"] == 0.0  # the case itself was answered and scored

    server.reset()
    server.script(Reply(ANSWER), BadJSON())
    again = run_eval(
        settings, RunOptions(dataset=str(dataset), progress=False, concurrency=1, use_cache=False)
    )
    assert _only_result(settings, again.id).metrics["judge_error"] == 1.0


def test_no_judge_on_the_extractive_backend_or_when_switched_off(
    index_settings: Settings, server: FakeOpenAIServer, dataset: Path, tmp_path: Path
) -> None:
    extractive = index_settings.model_copy(
        update={"store": StoreSettings(database_url=f"sqlite:///{tmp_path / 'x.db'}")}
    )
    run = run_eval(extractive, RunOptions(dataset=str(dataset), progress=False))
    assert "judge_error" not in _only_result(extractive, run.id).metrics
    assert "judge" not in run.summary

    settings = _settings(index_settings, server, tmp_path)
    server.script(Reply(ANSWER))
    off = run_eval(settings, RunOptions(dataset=str(dataset), progress=False, judge=False))
    assert "judge_error" not in _only_result(settings, off.id).metrics
    assert len(server.requests) == 1  # the answer only
