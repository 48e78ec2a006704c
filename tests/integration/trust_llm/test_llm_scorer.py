"""The llm trust scorer asks for schema-bound JSON and accepts nothing but a valid verdict."""

from __future__ import annotations

import json

import pytest

from app.prompts import Prompt
from app.trust.base import Aspect, Polarity, TrustLevel
from app.trust.llm_scorer import LlmTrustScorer, TrustScoringError, trust_schema
from tests.fakes.openai_server import BadJSON, Delay, Fail, FakeOpenAIServer, Reply

MESSAGE = "My parcel is two weeks late and the refund never came."
GOOD = {
    "aspects": [
        {"aspect": "shipping", "polarity": "negative"},
        {"aspect": "refunds", "polarity": "negative"},
    ],
    "polarity": "negative",
    "trust": 0.2,
}


def _reply(**changes: object) -> Reply:
    return Reply(json.dumps({**GOOD, **changes}))


def test_the_request_carries_the_schema_and_the_versioned_prompt(
    scorer: LlmTrustScorer, fake_llm: FakeOpenAIServer, trust_prompt: Prompt
) -> None:
    fake_llm.script(_reply())
    scorer.score(MESSAGE)
    (body,) = fake_llm.requests
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "message_trust", "schema": trust_schema(), "strict": True},
    }
    schema = body["response_format"]["json_schema"]["schema"]
    aspect_names = schema["properties"]["aspects"]["items"]["properties"]["aspect"]["enum"]
    assert aspect_names == [a.value for a in Aspect]
    assert "guided_json" not in body  # removed in vLLM 0.12; a newer server would ignore it
    system, user = body["messages"][0], body["messages"][1]
    expected_system, expected_user = trust_prompt.render(message=MESSAGE)
    assert system == {"role": "system", "content": expected_system}
    assert user == {"role": "user", "content": expected_user}
    assert MESSAGE in user["content"]
    assert body["stream"] is False and body["temperature"] == 0.0


def test_the_prompt_names_every_aspect(trust_prompt: Prompt) -> None:
    for aspect in Aspect:
        assert f"- {aspect.value}:" in trust_prompt.system


def test_a_good_reply_becomes_the_message_trust(
    scorer: LlmTrustScorer, fake_llm: FakeOpenAIServer
) -> None:
    fake_llm.script(_reply())
    trust = scorer.score(MESSAGE)
    assert trust.scorer == "llm"
    assert trust.score == 0.2 and trust.level is TrustLevel.LOW
    assert trust.polarity is Polarity.NEGATIVE
    assert trust.polarity_of(Aspect.SHIPPING) is Polarity.NEGATIVE
    assert trust.polarity_of(Aspect.REFUNDS) is Polarity.NEGATIVE
    assert trust.polarity_of(Aspect.PRICING) is None


def test_a_message_about_no_aspect_is_valid(
    scorer: LlmTrustScorer, fake_llm: FakeOpenAIServer
) -> None:
    fake_llm.script(_reply(aspects=[], polarity="positive", trust=0.9))
    trust = scorer.score("Thanks, have a nice day!")
    assert trust.aspects == () and trust.level is TrustLevel.HIGH


def test_a_repeated_aspect_counts_once(scorer: LlmTrustScorer, fake_llm: FakeOpenAIServer) -> None:
    twice = [{"aspect": "shipping", "polarity": "negative"}] * 2
    fake_llm.script(_reply(aspects=twice))
    assert [a.aspect for a in scorer.score(MESSAGE).aspects] == [Aspect.SHIPPING]


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (Reply("The shopper seems upset."), "not a valid verdict"),
        (Reply('{"aspects": [], "polarity": "negative"'), "not a valid verdict"),
        (_reply(aspects=[{"aspect": "weather", "polarity": "negative"}]), "aspects.0.aspect"),
        (_reply(polarity="furious"), "polarity"),
        (_reply(trust=1.7), "trust"),
        (_reply(trust="high"), "trust"),
        (Reply(json.dumps({"aspects": [], "polarity": "neutral"})), "trust"),
        (_reply(mood="bad"), "mood"),
        (
            _reply(
                aspects=[
                    {"aspect": "shipping", "polarity": "negative"},
                    {"aspect": "shipping", "polarity": "positive"},
                ]
            ),
            "two polarities",
        ),
    ],
)
def test_an_invalid_reply_raises_instead_of_inventing_a_score(
    scorer: LlmTrustScorer, fake_llm: FakeOpenAIServer, reply: Reply, problem: str
) -> None:
    fake_llm.script(reply)
    with pytest.raises(TrustScoringError, match=problem):
        scorer.score(MESSAGE)


@pytest.mark.parametrize(
    "behaviour",
    [Fail(500), Fail(503, "model is loading"), Delay(3.0), BadJSON()],
    ids=["http-500", "http-503", "timeout", "body-not-json"],
)
def test_an_unavailable_model_raises(
    scorer: LlmTrustScorer, fake_llm: FakeOpenAIServer, behaviour: Fail | Delay | BadJSON
) -> None:
    fake_llm.script(behaviour)
    with pytest.raises(TrustScoringError, match="did not answer"):
        scorer.score(MESSAGE)


def test_an_empty_message_is_not_sent(scorer: LlmTrustScorer, fake_llm: FakeOpenAIServer) -> None:
    with pytest.raises(TrustScoringError, match="empty"):
        scorer.score("   ")
    assert fake_llm.requests == []
