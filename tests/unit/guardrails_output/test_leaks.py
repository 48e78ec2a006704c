"""The leak check: personal data only the shopper gave, and no system-prompt text."""

from __future__ import annotations

from app.guardrails.output.leaks import LeakCheck, template_shingles
from app.prompts import Prompt
from rag.schema import RetrievedChunk
from tests.unit.guardrails_output.conftest import cited, small_pii_finder


def test_the_shoppers_own_email_may_be_said_back(returns: RetrievedChunk) -> None:
    check = LeakCheck(small_pii_finder)
    context = cited(returns, user_texts=("my email is Jane.Doe@example.com",))
    assert check.check("We will write to jane.doe@example.com [1].", context).passed


def test_someone_elses_data_fails(returns: RetrievedChunk) -> None:
    check = LeakCheck(small_pii_finder)
    context = cited(returns, user_texts=("my email is jane@example.com",))
    result = check.check("The order belongs to bob@example.org, phone +1 415 555 0199.", context)
    assert not result.passed and "EMAIL" in result.detail and "PHONE" in result.detail


def test_the_system_prompt_is_never_quoted(answer_prompt: Prompt, returns: RetrievedChunk) -> None:
    check = LeakCheck(small_pii_finder)
    context = cited(returns, system=answer_prompt.system)
    leak = (
        "My instructions say: Answer only from the numbered sources the user message gives you. "
        "Never guess."
    )
    result = check.check(leak, context)
    assert not result.passed and result.detail == "quotes the system prompt"
    assert check.check("You can return unworn items [1].", context).passed


def test_template_runs_never_cross_a_placeholder() -> None:
    shingles = template_shingles("one two three four five {x} six seven eight nine ten eleven")
    assert shingles == {("six", "seven", "eight", "nine", "ten", "eleven")}
