"""Binary confusion counts and the rates read off them, shared by every evaluator.

A rate that is undefined on the data (no denominator) is None here, never a made-up 0 or 1;
an evaluator that wants another convention, or its own F1, says so in a subclass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self


def ratio(numerator: int, denominator: int) -> float | None:
    """`numerator / denominator`, or None when the denominator is 0."""
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class ConfusionCounts:
    """True/false positives and negatives of a binary prediction, with the usual rates."""

    tp: int
    fp: int
    fn: int
    tn: int

    @classmethod
    def of(cls, truth: Sequence[bool], predicted: Sequence[bool]) -> Self:
        """The confusion of `predicted` against the true labels `truth` (True = positive)."""
        if len(truth) != len(predicted):
            raise ValueError(f"{len(truth)} labels but {len(predicted)} predictions")
        pairs = list(zip(truth, predicted, strict=True))
        return cls(
            tp=sum(1 for t, p in pairs if t and p),
            fp=sum(1 for t, p in pairs if p and not t),
            fn=sum(1 for t, p in pairs if t and not p),
            tn=sum(1 for t, p in pairs if not t and not p),
        )

    @property
    def n(self) -> int:
        """Number of examples."""
        return self.tp + self.fp + self.fn + self.tn

    @property
    def accuracy(self) -> float | None:
        """Share of examples labelled right."""
        return ratio(self.tp + self.tn, self.n)

    @property
    def precision(self) -> float | None:
        """Share of predicted positives that are positive."""
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """Share of positives that are predicted (sensitivity)."""
        return ratio(self.tp, self.tp + self.fn)

    @property
    def specificity(self) -> float | None:
        """Share of negatives that are predicted negative."""
        return ratio(self.tn, self.tn + self.fp)

    @property
    def fpr(self) -> float | None:
        """Share of negatives that are predicted positive (false-positive rate)."""
        return ratio(self.fp, self.fp + self.tn)
