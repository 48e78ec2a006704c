"""The handoff policy: asking for a person beats abuse, abuse beats low trust, once only."""

from __future__ import annotations

import pytest

from app.trust.base import HandoffReason
from app.trust.handoff import HandoffPolicy

POLICY = HandoffPolicy(threshold=0.35, min_turns=2)


def _decide(
    *,
    asked: bool = False,
    trust: float | None = 0.8,
    turns: int = 3,
    abuse: bool = False,
    handed_off: bool = False,
) -> HandoffReason | None:
    handoff = POLICY.decide(
        asked_for_human=asked,
        conversation_trust=trust,
        scored_turns=turns,
        flagged_for_agent=abuse,
        already_handed_off=handed_off,
    )
    return None if handoff is None else handoff.reason


def test_a_calm_conversation_stays_with_the_bot() -> None:
    assert _decide(trust=0.6, turns=5) is None


def test_low_trust_after_two_turns_hands_off() -> None:
    handoff = POLICY.decide(
        asked_for_human=False,
        conversation_trust=0.2,
        scored_turns=2,
        flagged_for_agent=False,
        already_handed_off=False,
    )
    assert handoff is not None and handoff.reason is HandoffReason.LOW_TRUST
    assert handoff.conversation_trust == 0.2
    assert "0.20 < 0.35" in handoff.detail


def test_one_low_turn_is_not_yet_a_pattern() -> None:
    assert _decide(trust=0.1, turns=1) is None


def test_trust_at_the_threshold_is_not_below_it() -> None:
    assert _decide(trust=0.35) is None


def test_no_score_no_low_trust_handoff() -> None:
    assert _decide(trust=None, turns=0) is None


def test_asking_for_a_person_hands_off_on_the_first_turn_whatever_the_trust() -> None:
    assert _decide(asked=True, trust=0.9, turns=1) is HandoffReason.ASKED_FOR_HUMAN
    assert _decide(asked=True, trust=None, turns=0) is HandoffReason.ASKED_FOR_HUMAN


def test_asking_beats_abuse_and_low_trust() -> None:
    assert _decide(asked=True, trust=0.1, abuse=True) is HandoffReason.ASKED_FOR_HUMAN


def test_abuse_flagged_for_an_agent_hands_off_at_once() -> None:
    assert _decide(abuse=True, trust=None, turns=0) is HandoffReason.ABUSE
    assert _decide(abuse=True, trust=0.1) is HandoffReason.ABUSE


def test_a_conversation_is_handed_off_only_once() -> None:
    assert _decide(asked=True, abuse=True, trust=0.1, handed_off=True) is None


@pytest.mark.parametrize(("threshold", "min_turns"), [(-0.1, 2), (1.5, 2), (0.35, 0)])
def test_nonsense_settings_are_refused(threshold: float, min_turns: int) -> None:
    with pytest.raises(ValueError):
        HandoffPolicy(threshold=threshold, min_turns=min_turns)
