"""Groundedness, guard outcomes, trust, and every metric of one case together."""

from __future__ import annotations

from pathlib import Path

from app.trust.base import HandoffReason
from app.trust.handoff_replies import load_handoff_replies
from evals.cases import EvalCase, Expected
from evals.metrics import score_case
from evals.metrics.grounding import groundedness
from evals.metrics.outcomes import aspect_hit, false_block, flagged, input_blocked, output_fixed
from tests.unit.evals.factories import (
    CHUNKS,
    HOODIE,
    HOODIE_ID,
    RETURNS,
    RETURNS_ID,
    guard,
    price_case,
    record,
    trust,
)


def test_an_answer_quoting_its_sources_is_fully_grounded() -> None:
    answer = "Chaz Kangeroo Hoodie — Price: $52.00. [1] Sizes: XS, S, M, L, XL. [1]"
    assert groundedness(answer, [HOODIE]) == 1.0


def test_an_invented_sentence_halves_groundedness() -> None:
    answer = (
        "The Chaz Kangeroo Hoodie costs $52.00. [1] "
        "It is knitted from recycled fishing nets by monks in Peru."
    )
    assert groundedness(answer, [HOODIE]) == 0.5


def test_a_wrong_number_is_not_grounded_even_with_the_same_words() -> None:
    assert groundedness("The Chaz Kangeroo Hoodie price is $25.00. [1]", [HOODIE]) == 0.0


def test_an_answer_without_sources_is_not_grounded() -> None:
    assert groundedness("Merchandise must be returned within 30 days of receipt.", []) == 0.0
    assert groundedness("Merchandise must be returned within 30 days of receipt.", [RETURNS]) == 1.0


def test_conversation_without_claims_has_no_groundedness() -> None:
    offer = "Would you like me to connect you with a member of our customer-service team?"
    assert groundedness(offer, [HOODIE]) is None


def test_the_shops_scripted_handoff_reply_is_not_counted_as_a_claim() -> None:
    replies = load_handoff_replies(Path("prompts/handoff_replies/v1.yaml"), shop_name="Luma")
    handoff = replies.text(HandoffReason.ASKED_FOR_HUMAN)
    assert handoff is not None
    answer = f"Chaz Kangeroo Hoodie — Price: $52.00. [1]\n\n{handoff}"
    assert groundedness(answer, [HOODIE]) == 0.5  # read as a claim, the reply is unsupported
    assert groundedness(answer, [HOODIE], scripted=[handoff]) == 1.0
    assert groundedness(handoff, [HOODIE], scripted=[handoff]) is None  # it states no fact


def test_input_block_of_a_must_pass_message_is_a_false_block() -> None:
    case = EvalCase(id="s1", input="where is my parcel", expected=Expected(blocked=False))
    stopped = record(
        "I can only help with the shop.",
        retrieved=(),
        cited=(),
        blocked_by="off_topic",
        guards=(guard("off_topic", "input", "block"),),
    )
    passed = record(guards=(guard("off_topic", "input", "pass", passed=True),))
    assert input_blocked(stopped) and false_block(case, stopped) == 1.0
    assert not input_blocked(passed) and false_block(case, passed) == 0.0
    assert false_block(price_case(), stopped) is None  # no expectation about blocking


def test_output_guard_outcomes_and_flags() -> None:
    fixed = record(guards=(guard("grounding", "output", "fix"),))
    refused = record(
        "I can't confirm that.",
        blocked_by="numbers",
        guards=(guard("numbers", "output", "refrain"),),
    )
    assert output_fixed(fixed) and not output_fixed(refused)
    assert flagged(record(flagged_for_agent=True))
    assert flagged(record(guards=(guard("toxicity", "input", "flag", passed=True),)))
    assert not flagged(fixed)


def test_aspect_hit_needs_both_an_expected_aspect_and_a_trust_reading() -> None:
    case = EvalCase(id="s2", input="my parcel is late", expected=Expected(aspect="shipping"))
    assert aspect_hit(case, record(trust=trust("shipping", "refunds"))) == 1.0
    assert aspect_hit(case, record(trust=trust("refunds"))) == 0.0
    assert aspect_hit(case, record()) is None
    assert aspect_hit(price_case(), record(trust=trust("shipping"))) is None


def test_a_correct_cited_answer_scores_full_marks() -> None:
    metrics = score_case(price_case(), record(), CHUNKS)
    assert metrics["hit@1"] == metrics["hit@5"] == metrics["mrr"] == 1.0
    assert metrics["cited_source"] == metrics["fact_accuracy"] == metrics["groundedness"] == 1.0
    assert metrics["answered"] == 1.0 and metrics["error"] == 0.0
    assert metrics["latency_ms"] == 12.0 and metrics["prompt_tokens"] is None


def test_a_dont_know_from_the_wrong_source_scores_zero() -> None:
    dont_know = record(
        "I'm sorry, I couldn't find that in Luma's information.",
        retrieved=(RETURNS_ID,),
        cited=(),
        knows_answer=False,
    )
    metrics = score_case(price_case(), dont_know, CHUNKS)
    assert metrics["hit@5"] == metrics["mrr"] == metrics["cited_source"] == 0.0
    assert metrics["fact_accuracy"] == metrics["fact_recall"] == metrics["answered"] == 0.0


def test_a_wrong_price_from_the_right_source_fails_only_the_answer_metrics() -> None:
    wrong = record("Chaz Kangeroo Hoodie — Price: $25.00. [1]", retrieved=(RETURNS_ID, HOODIE_ID))
    metrics = score_case(price_case(), wrong, CHUNKS)
    assert metrics["hit@1"] == 0.0 and metrics["hit@3"] == 1.0 and metrics["mrr"] == 0.5
    assert metrics["fact_accuracy"] == 0.0 and metrics["groundedness"] == 0.0
