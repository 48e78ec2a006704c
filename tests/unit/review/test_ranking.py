"""The queue's risk score: documented weights, each signal adds risk, the order agents expect."""

from __future__ import annotations

import math

import pytest

from app.review.ranking import WEIGHTS, RiskSignals, risk_parts, risk_score


def test_weights_sum_to_one_and_a_quiet_conversation_scores_zero() -> None:
    assert math.isclose(sum(WEIGHTS.values()), 1.0)
    calm = risk_score(RiskSignals(trust=0.8, peak_trust=0.8, min_confidence=0.9))
    assert calm.score == 0.0 and calm.reasons == ()


def test_everything_wrong_scores_one() -> None:
    worst = RiskSignals(
        trust=0.0,
        peak_trust=0.9,
        thumbs_down=50,
        flagged_turns=20,
        handoff_requested=True,
        min_confidence=0.0,
    )
    assert risk_score(worst).score == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize(
    ("signals", "part", "expected"),
    [
        (RiskSignals(handoff_requested=True), "handoff", 1.0),
        (RiskSignals(thumbs_down=1), "thumbs_down", 0.5),
        (RiskSignals(thumbs_down=2), "thumbs_down", 0.75),
        (RiskSignals(flagged_turns=1), "guard", 0.75),  # a flag counts as two events
        (RiskSignals(blocked_turns=1), "guard", 0.5),
        (RiskSignals(other_guard_failures=2), "guard", 0.5),
        (RiskSignals(trust=0.3), "low_trust", 0.5),
        (RiskSignals(trust=0.6), "low_trust", 0.0),
        (RiskSignals(trust=0.3, peak_trust=0.8), "falling_trust", 1.0),
        (RiskSignals(trust=0.5, peak_trust=0.75), "falling_trust", 0.5),
        (RiskSignals(min_confidence=0.35), "low_confidence", 0.5),
    ],
)
def test_each_part_follows_its_documented_formula(
    signals: RiskSignals, part: str, expected: float
) -> None:
    assert risk_parts(signals)[part] == pytest.approx(expected)


def test_unknown_trust_and_confidence_add_no_risk() -> None:
    parts = risk_parts(RiskSignals(trust=None, peak_trust=None, min_confidence=None))
    assert parts["low_trust"] == parts["falling_trust"] == parts["low_confidence"] == 0.0


def test_more_thumbs_down_never_lowers_risk() -> None:
    scores = [risk_score(RiskSignals(thumbs_down=n)).score for n in range(6)]
    assert scores == sorted(scores) and scores[0] < scores[1]


def test_a_resolved_handoff_is_no_longer_risky() -> None:
    open_handoff = risk_score(RiskSignals(handoff_requested=True))
    resolved = risk_score(RiskSignals(handoff_requested=False))
    assert open_handoff.score == pytest.approx(WEIGHTS["handoff"]) and resolved.score == 0.0


def test_queue_order_puts_an_open_handoff_with_low_trust_first() -> None:
    conversations = {
        "calm": RiskSignals(trust=0.85, min_confidence=0.9),
        "one thumbs down": RiskSignals(trust=0.7, thumbs_down=1, min_confidence=0.8),
        "falling trust": RiskSignals(trust=0.35, peak_trust=0.8, min_confidence=0.6),
        "abusive, flagged": RiskSignals(trust=0.5, flagged_turns=1),
        "handoff and angry": RiskSignals(
            trust=0.15, peak_trust=0.5, thumbs_down=2, handoff_requested=True
        ),
    }
    ranked = sorted(conversations, key=lambda name: -risk_score(conversations[name]).score)
    assert ranked[0] == "handoff and angry"
    assert ranked[-1] == "calm"
    assert ranked.index("falling trust") < ranked.index("one thumbs down")


def test_reasons_name_what_an_agent_should_look_at() -> None:
    score = risk_score(
        RiskSignals(
            trust=0.2, peak_trust=0.7, thumbs_down=1, handoff_requested=True, min_confidence=0.3
        )
    )
    assert score.reasons == (
        "handoff requested",
        "1 thumbs down",
        "trust 0.20",
        "trust fell 0.50",
        "answer confidence 0.30",
    )
    assert 0 <= score.percent <= 100
