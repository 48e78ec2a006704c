"""Metrics of a trust scorer, laid out like Kalva (2024), Table 1.

Per aspect, the shopper's polarity towards it is scored one-vs-rest for positive and for
negative: accuracy, precision, recall, F1 and specificity, over the labelled texts where the
aspect is in the gold labels or in the prediction (a missed aspect counts as a wrong polarity, a
false detection as a polarity where there is none). The "trust" row does the same with each
text's own polarity, over all texts that have one. Aspect detection is scored per aspect over
the texts whose aspects are labelled; its macro-F1 averages the aspects with gold examples.
Rates that are undefined on the data are None, never a made-up 0 or 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.trust.base import Aspect, MessageTrust, Polarity
from app.trust.labels import TrustExample
from evals.binary_metrics import ConfusionCounts, ratio

ABSENT = "absent"
POLARITY_ORDER = (Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE)
ASPECT_LABELS = (ABSENT, *(p.value for p in POLARITY_ORDER))
TRUST_ROW = "trust"


@dataclass(frozen=True)
class Counts(ConfusionCounts):
    """A binary confusion: true/false positives and negatives, with the usual rates."""

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def as_dict(self) -> dict[str, Any]:
        """Counts and rates as plain JSON."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "accuracy": self.accuracy,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "specificity": self.specificity,
        }


def counts(truth: Sequence[bool], predicted: Sequence[bool]) -> Counts:
    """The binary confusion of `predicted` against `truth`."""
    return Counts.of(truth, predicted)


@dataclass(frozen=True)
class PolarityRow:
    """One row of the table: positive and negative one-vs-rest over `n` examples."""

    name: str
    n: int
    positive: Counts
    negative: Counts


def polarity_row(name: str, gold: Sequence[str], predicted: Sequence[str]) -> PolarityRow:
    """Scores positive-vs-rest and negative-vs-rest of polarity labels (any strings)."""
    pos, neg = Polarity.POSITIVE.value, Polarity.NEGATIVE.value
    return PolarityRow(
        name,
        len(gold),
        counts([g == pos for g in gold], [p == pos for p in predicted]),
        counts([g == neg for g in gold], [p == neg for p in predicted]),
    )


def confusion(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> list[list[int]]:
    """Rows: gold label, columns: predicted label, in `labels` order."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def macro_f1(detection: Mapping[str, Counts]) -> float | None:
    """Mean F1 over the aspects that have gold examples."""
    scores = [c.f1 for c in detection.values() if c.tp + c.fn > 0 and c.f1 is not None]
    return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class TrustMetrics:
    """Everything `trustdesk eval trust` reports."""

    rows: list[PolarityRow]  # one per aspect with examples, then the trust row
    detection: dict[str, Counts]  # aspect -> detection counts
    macro_f1: float | None
    polarity_accuracy: float | None  # three-way, over texts with a gold polarity
    binary_accuracy: float | None  # texts with gold positive/negative: same sign predicted
    confusion: list[list[int]]  # text polarity, POLARITY_ORDER x POLARITY_ORDER
    aspect_confusion: list[list[int]]  # (text, aspect) pairs, ASPECT_LABELS x ASPECT_LABELS
    texts: int
    polarity_texts: int
    aspect_texts: int

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON."""
        return {
            "texts": self.texts,
            "polarity_texts": self.polarity_texts,
            "aspect_texts": self.aspect_texts,
            "aspect_macro_f1": self.macro_f1,
            "polarity_accuracy": self.polarity_accuracy,
            "binary_polarity_accuracy": self.binary_accuracy,
            "rows": {
                r.name: {
                    "n": r.n,
                    "positive": r.positive.as_dict(),
                    "negative": r.negative.as_dict(),
                }
                for r in self.rows
            },
            "detection": {name: c.as_dict() for name, c in self.detection.items()},
            "confusion": {"labels": [p.value for p in POLARITY_ORDER], "matrix": self.confusion},
            "aspect_confusion": {"labels": list(ASPECT_LABELS), "matrix": self.aspect_confusion},
        }


def evaluate(gold: Sequence[TrustExample], predicted: Sequence[MessageTrust]) -> TrustMetrics:
    """Score predictions against labelled texts (one prediction per text, same order)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} texts but {len(predicted)} predictions")
    labelled = [(g, p) for g, p in zip(gold, predicted, strict=True) if g.aspects is not None]
    rows, detection, pair_gold, pair_pred = [], {}, [], []
    for aspect in Aspect:
        truth = [_aspect_label(g.aspects, aspect) for g, _ in labelled]
        guess = [_predicted_label(p, aspect) for _, p in labelled]
        detection[aspect.value] = counts([t != ABSENT for t in truth], [g != ABSENT for g in guess])
        kept = [(t, g) for t, g in zip(truth, guess, strict=True) if (t, g) != (ABSENT, ABSENT)]
        if kept:
            rows.append(polarity_row(aspect.value, *map(list, zip(*kept, strict=True))))
        pair_gold += truth
        pair_pred += guess
    polar = [
        (g.polarity.value, p.polarity.value)
        for g, p in zip(gold, predicted, strict=True)
        if g.polarity
    ]
    text_gold = [g for g, _ in polar]
    text_pred = [p for _, p in polar]
    rows.append(polarity_row(TRUST_ROW, text_gold, text_pred))
    signed = [(g, p) for g, p in polar if g != Polarity.NEUTRAL.value]
    return TrustMetrics(
        rows=rows,
        detection=detection,
        macro_f1=macro_f1(detection),
        polarity_accuracy=ratio(sum(g == p for g, p in polar), len(polar)),
        binary_accuracy=ratio(sum(g == p for g, p in signed), len(signed)),
        confusion=confusion(text_gold, text_pred, [p.value for p in POLARITY_ORDER]),
        aspect_confusion=confusion(pair_gold, pair_pred, ASPECT_LABELS),
        texts=len(gold),
        polarity_texts=len(polar),
        aspect_texts=len(labelled),
    )


def _aspect_label(aspects: Mapping[Aspect, Polarity] | None, aspect: Aspect) -> str:
    polarity = (aspects or {}).get(aspect)
    return ABSENT if polarity is None else polarity.value


def _predicted_label(trust: MessageTrust, aspect: Aspect) -> str:
    polarity = trust.polarity_of(aspect)
    return ABSENT if polarity is None else polarity.value
