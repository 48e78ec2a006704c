"""Drift alert: population stability index, bins, and the verdict against the threshold."""

from __future__ import annotations

import math

import pytest

from app.review.drift import DriftStatus, bin_labels, check_drift, histogram, psi


def test_identical_distributions_have_zero_psi() -> None:
    assert psi([10, 20, 30], [1, 2, 3]) == pytest.approx(0.0)  # shares, not counts, matter


def test_psi_matches_the_textbook_formula() -> None:
    expected = [0.5, 0.5]
    actual = [0.8, 0.2]
    by_hand = (0.8 - 0.5) * math.log(0.8 / 0.5) + (0.2 - 0.5) * math.log(0.2 / 0.5)
    assert psi(expected, actual) == pytest.approx(by_hand)
    assert psi(expected, actual) == pytest.approx(0.4159, abs=1e-4)


def test_an_empty_bin_counts_as_rare_not_impossible() -> None:
    value = psi([50, 50, 0], [40, 40, 20])
    assert math.isfinite(value) and value > 0.2


def test_psi_grows_with_the_shift() -> None:
    base = [25, 25, 25, 25]
    small, large = [30, 25, 25, 20], [55, 25, 15, 5]
    assert 0 < psi(base, small) < psi(base, large)


def test_mismatched_or_empty_distributions_are_refused() -> None:
    with pytest.raises(ValueError):
        psi([1, 2], [1, 2, 3])
    with pytest.raises(ValueError):
        psi([0, 0], [1, 1])


def test_histogram_puts_edges_in_the_upper_bin_and_one_in_the_last() -> None:
    assert histogram([0.0, 0.19, 0.2, 0.59, 0.6, 0.99, 1.0]) == (2, 1, 1, 1, 2)
    assert bin_labels() == ("0.0-0.2", "0.2-0.4", "0.4-0.6", "0.6-0.8", "0.8-1.0")


def test_verdicts_stable_watch_drift_and_too_few() -> None:
    labels = ["a", "b"]

    def verdict(baseline: list[int], current: list[int]) -> DriftStatus:
        return check_drift("x", labels, baseline, current, threshold=0.2, min_samples=30).status

    assert verdict([50, 50], [51, 49]) is DriftStatus.STABLE
    assert verdict([50, 50], [68, 32]) is DriftStatus.WATCH  # PSI 0.14
    assert verdict([50, 50], [80, 20]) is DriftStatus.DRIFT
    assert verdict([50, 50], [10, 10]) is DriftStatus.TOO_FEW


def test_trust_falling_this_week_raises_the_alert() -> None:
    baseline = histogram([0.7, 0.75, 0.8, 0.65, 0.9, 0.55] * 20)
    this_week = histogram([0.2, 0.35, 0.3, 0.7, 0.15, 0.45] * 10)
    check = check_drift("trust", bin_labels(), baseline, this_week, threshold=0.2, min_samples=30)
    assert check.alert and check.psi is not None and check.psi > 1.0
    assert sum(check.shares("current")) == pytest.approx(1.0)
