"""The paper's metrics on confusion matrices worked out by hand."""

from __future__ import annotations

import pytest

from app.trust.base import Aspect, AspectSentiment, MessageTrust, Polarity
from app.trust.labels import TrustExample
from evals.trust_metrics import (
    ABSENT,
    Counts,
    confusion,
    counts,
    evaluate,
    macro_f1,
    polarity_row,
)

POS, NEG, NEU = Polarity.POSITIVE, Polarity.NEGATIVE, Polarity.NEUTRAL


def _trust(polarity: Polarity, **aspects: Polarity) -> MessageTrust:
    found = tuple(AspectSentiment(Aspect(name), p, 0.9) for name, p in aspects.items())
    return MessageTrust(aspects=found, polarity=polarity, score=0.5, scorer="test")


def test_rates_of_a_known_confusion_matrix() -> None:
    c = Counts(tp=8, fp=2, fn=4, tn=6)
    assert c.n == 20
    assert c.accuracy == pytest.approx(14 / 20)
    assert c.precision == pytest.approx(8 / 10)
    assert c.recall == pytest.approx(8 / 12)
    assert c.specificity == pytest.approx(6 / 8)
    assert c.f1 == pytest.approx(2 * 8 / (2 * 8 + 2 + 4))


def test_undefined_rates_are_none_not_zero_or_one() -> None:
    nothing_flagged = Counts(tp=0, fp=0, fn=3, tn=5)
    assert nothing_flagged.precision is None
    assert nothing_flagged.recall == 0.0
    assert nothing_flagged.f1 == 0.0
    no_positives = Counts(tp=0, fp=0, fn=0, tn=5)
    assert no_positives.recall is None and no_positives.f1 is None
    assert Counts(0, 0, 0, 0).accuracy is None


def test_counts_from_labels() -> None:
    truth = [True, True, False, False, True]
    predicted = [True, False, True, False, True]
    assert counts(truth, predicted) == Counts(tp=2, fp=1, fn=1, tn=1)
    with pytest.raises(ValueError, match="labels but"):
        counts([True], [])


def test_polarity_row_is_one_vs_rest_for_each_sign() -> None:
    gold = ["positive", "positive", "negative", "neutral", ABSENT]
    predicted = ["positive", "neutral", "negative", "negative", "positive"]
    row = polarity_row("shipping", gold, predicted)
    assert row.n == 5
    assert row.positive == Counts(tp=1, fp=1, fn=1, tn=2)
    assert row.negative == Counts(tp=1, fp=1, fn=0, tn=3)


def test_confusion_rows_are_gold_columns_predicted() -> None:
    labels = ["negative", "neutral", "positive"]
    gold = ["negative", "negative", "neutral", "positive"]
    predicted = ["negative", "positive", "neutral", "positive"]
    assert confusion(gold, predicted, labels) == [[1, 0, 1], [0, 1, 0], [0, 0, 1]]


def test_macro_f1_averages_only_aspects_with_gold_examples() -> None:
    detection = {
        "shipping": Counts(tp=1, fp=0, fn=0, tn=3),  # F1 1.0
        "refunds": Counts(tp=1, fp=1, fn=2, tn=0),  # F1 0.4
        "returns": Counts(tp=0, fp=2, fn=0, tn=2),  # no gold example: left out
    }
    assert macro_f1(detection) == pytest.approx(0.7)
    assert macro_f1({}) is None


def test_evaluate_scores_detection_polarity_and_trust() -> None:
    gold = [
        TrustExample("late parcel", {Aspect.SHIPPING: NEG}, NEG),
        TrustExample("where is my refund", {Aspect.REFUNDS: NEU}, NEU),
        TrustExample("great jacket", {}, POS),  # about none of the eight
        TrustExample("only polarity known", None, NEG),  # aspects unknown: polarity only
        TrustExample(
            "mixed", {Aspect.ITEM_QUALITY: POS, Aspect.SHIPPING: NEG}, None
        ),  # no text polarity
    ]
    predicted = [
        _trust(NEG, shipping=NEG),
        _trust(NEU, refunds=NEU, shipping=NEU),  # a false shipping detection
        _trust(POS, item_quality=POS),  # a false item_quality detection
        _trust(POS, shipping=NEG),  # ignored for aspects (not labelled)
        _trust(POS, item_quality=POS),  # shipping missed
    ]
    m = evaluate(gold, predicted)
    assert m.texts == 5 and m.aspect_texts == 4 and m.polarity_texts == 4
    assert m.detection["shipping"] == Counts(tp=1, fp=1, fn=1, tn=1)
    assert m.detection["refunds"] == Counts(tp=1, fp=0, fn=0, tn=3)
    assert m.detection["item_quality"] == Counts(tp=1, fp=1, fn=0, tn=2)
    shipping = next(r for r in m.rows if r.name == "shipping")
    assert shipping.n == 3  # texts where shipping is gold or predicted
    assert shipping.negative == Counts(tp=1, fp=0, fn=1, tn=1)
    trust = m.rows[-1]
    assert trust.name == "trust" and trust.n == 4
    assert m.polarity_accuracy == pytest.approx(3 / 4)
    assert m.binary_accuracy == pytest.approx(2 / 3)  # the neutral text left out
    assert m.confusion == [[1, 0, 1], [0, 1, 0], [0, 0, 1]]
    assert sum(map(sum, m.aspect_confusion)) == 4 * len(Aspect)
    assert m.as_dict()["aspect_macro_f1"] == m.macro_f1
