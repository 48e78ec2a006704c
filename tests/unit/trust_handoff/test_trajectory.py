"""Conversation trust is an EWMA of the turns' scores."""

from __future__ import annotations

import pytest

from app.trust.trajectory import is_falling, smoothed_trust


def test_the_first_turn_is_its_own_score() -> None:
    assert smoothed_trust(None, 0.3, alpha=0.5) == 0.3


def test_later_turns_move_the_conversation_part_of_the_way() -> None:
    assert smoothed_trust(0.8, 0.2, alpha=0.5) == pytest.approx(0.5)
    assert smoothed_trust(0.8, 0.2, alpha=0.25) == pytest.approx(0.65)
    assert smoothed_trust(0.8, 0.2, alpha=1.0) == pytest.approx(0.2)


def test_a_run_of_bad_turns_takes_trust_down() -> None:
    trust = None
    trajectory = []
    for score in (0.6, 0.2, 0.1):
        trust = smoothed_trust(trust, score, alpha=0.5)
        trajectory.append(trust)
    assert trajectory == pytest.approx([0.6, 0.4, 0.25])
    assert is_falling(trajectory, turns=2, min_drop=0.3)
    assert not is_falling(trajectory, turns=2, min_drop=0.4)


def test_a_recovery_is_not_a_fall() -> None:
    assert not is_falling([0.8, 0.5, 0.6, 0.4], turns=3)
    assert not is_falling([0.5], turns=1)


@pytest.mark.parametrize(
    ("previous", "score", "alpha"),
    [(None, 0.5, 0.0), (None, 0.5, 1.5), (None, 1.2, 0.5), (-0.1, 0.5, 0.5)],
)
def test_out_of_range_values_are_refused(
    previous: float | None, score: float, alpha: float
) -> None:
    with pytest.raises(ValueError):
        smoothed_trust(previous, score, alpha)
