"""A conversation's trust over its turns: an exponentially weighted moving average (EWMA).

With weight `alpha` on the newest turn, trust after turns s1, s2, ... is t1 = s1 and
tn = alpha * sn + (1 - alpha) * t(n-1): one bad message moves the conversation part of the way,
several in a row take it down. alpha = 1 forgets everything but the last turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise


def _check_unit(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be within 0-1, got {value}")


def smoothed_trust(previous: float | None, turn_score: float, alpha: float) -> float:
    """The conversation's trust after a turn scored `turn_score` (the first turn: its score)."""
    if not 0.0 < alpha <= 1.0:
        raise ValueError(f"smoothing alpha must be in (0, 1], got {alpha}")
    _check_unit("turn score", turn_score)
    if previous is None:
        return turn_score
    _check_unit("previous trust", previous)
    # Four decimals: what is stored and shown, and far finer than any scorer's precision.
    return round(alpha * turn_score + (1.0 - alpha) * previous, 4)


def is_falling(trajectory: Sequence[float], *, turns: int = 3, min_drop: float = 0.1) -> bool:
    """Whether trust fell on each of the last `turns` steps and by `min_drop` in all."""
    if turns < 1:
        raise ValueError(f"turns must be at least 1, got {turns}")
    if len(trajectory) < turns + 1:
        return False
    window = trajectory[-(turns + 1) :]
    steps_down = all(later < earlier for earlier, later in pairwise(window))
    return steps_down and window[0] - window[-1] >= min_drop
