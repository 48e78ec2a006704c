"""The scorer's word lists, its JSON model format and the training templates."""

from __future__ import annotations

import numpy as np
import pytest

from app.guardrails.detectors.linear import LinearModel
from app.trust.base import Aspect, Polarity, TrustLevel, trust_level
from app.trust.lexicon import (
    LEXICAL_FEATURES,
    aspect_hits,
    clauses,
    lexical_features,
    needs_clauses,
    sentiment_counts,
)
from app.trust.model import AspectModel, SoftmaxModel, TrustModel
from app.trust.training_data import template_examples
from app.trust.training_templates import templates


@pytest.mark.parametrize(
    ("text", "aspects"),
    [
        ("My parcel is two weeks late and nobody answers", {"shipping", "customer_service"}),
        ("Where is my refund?", {"refunds"}),
        ("Can I send the boots back?", {"returns"}),
        ("Thank you, goodbye", set()),
        ("Can I send the boots back for a smaller size?", {"returns", "product_features"}),
        ("Is the hoodie in stock in XL?", {"availability"}),
        ("It stopped working after a week", {"item_quality"}),
        ("Not worth the price", {"pricing"}),
        ("I ordered it last week", set()),  # "last week" is not durability
    ],
)
def test_aspect_keywords(text: str, aspects: set[str]) -> None:
    assert {a.value for a in aspect_hits(text)} == aspects


def test_negation_flips_sentiment_words_nearby() -> None:
    assert sentiment_counts("This is good") == (1, 0)
    assert sentiment_counts("This is not good at all") == (0, 1)
    assert sentiment_counts("Not bad") == (1, 0)
    assert sentiment_counts("It didn't break, but it is not comfortable")[1] >= 1
    assert sentiment_counts("How long does shipping take?") == (0, 0)


def test_clauses_split_at_sentences_and_contrasts() -> None:
    assert clauses("The jacket is great but shipping took forever") == [
        "The jacket is great",
        "shipping took forever",
    ]
    assert clauses("Love it. Arrived fast!") == ["Love it", "Arrived fast"]
    assert clauses("and in orange?") == ["in orange"]


def test_only_messages_whose_clauses_may_disagree_are_scored_by_clause() -> None:
    assert needs_clauses("The jacket is great but shipping took forever")  # contrast
    assert needs_clauses("My parcel is late and nobody answers")  # two aspects
    assert needs_clauses("Love the colour. Sadly it broke.")  # praise and complaint
    assert not needs_clauses("Love it. Great armband.")
    assert not needs_clauses("How much is shipping to Canada?")


def test_lexical_features_are_bounded_and_named() -> None:
    values = lexical_features("TERRIBLE!!! still waiting after three weeks, nobody answers")
    assert len(values) == len(LEXICAL_FEATURES)
    assert all(0.0 <= v <= 1.0 for v in values)
    named = dict(zip(LEXICAL_FEATURES, values, strict=True))
    assert named["more_negative"] == 1.0 and named["waiting_time"] == 1.0
    assert named["shouting"] == 1.0 and named["keyword_customer_service"] == 1.0


def _model(dim: int = 4) -> TrustModel:
    width = dim + len(LEXICAL_FEATURES)
    rng = np.random.default_rng(0)
    aspects = {
        a: AspectModel(LinearModel(rng.normal(size=width).astype(np.float32), 0.1), 0.5)
        for a in Aspect
    }
    polarity = SoftmaxModel(
        rng.normal(size=(3, width)).astype(np.float32), np.zeros(3, dtype=np.float32)
    )
    return TrustModel(aspects, polarity, dim=dim, lexical_scale=0.3, neutral_trust=0.55)


def test_model_json_round_trip_and_probabilities() -> None:
    model = _model()
    again = TrustModel.from_json(model.to_json())
    features = model.features(np.ones(4, dtype=np.float32), "great jacket")
    assert features.shape == (4 + len(LEXICAL_FEATURES),)
    first = model.polarity.probabilities(features)
    assert first.sum() == pytest.approx(1.0, abs=1e-6)
    assert np.allclose(again.polarity.probabilities(features), first, atol=1e-5)
    assert again.aspects[Aspect.SHIPPING].threshold == 0.5


def test_a_model_trained_with_other_features_is_refused() -> None:
    data = _model().to_json()
    data["lexical_features"] = data["lexical_features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        TrustModel.from_json(data)


def test_trust_bands_neutral_reads_medium_never_low() -> None:
    model = _model()
    neutral = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    negative = np.array([0.9, 0.1, 0.0], dtype=np.float32)
    positive = np.array([0.0, 0.1, 0.9], dtype=np.float32)
    assert trust_level(model.trust(neutral)) is TrustLevel.MEDIUM
    assert trust_level(model.trust(negative)) is TrustLevel.LOW
    assert trust_level(model.trust(positive)) is TrustLevel.HIGH


def test_templates_parse_and_fill_without_placeholders_left() -> None:
    parsed = templates()
    assert {a for t in parsed for a in t.aspects} == set(Aspect)
    assert any(t.polarity is None for t in parsed)  # mixed ones teach aspects only
    # "none" templates: about none of the eight, yet praise or complaint.
    unrelated = {t.polarity for t in parsed if not t.aspects}
    assert {Polarity.POSITIVE, Polarity.NEGATIVE, Polarity.NEUTRAL} <= unrelated
    # The paraphrases tell each aspect's praise and complaint without its keyword too.
    for aspect in Aspect:
        for sign in (Polarity.POSITIVE, Polarity.NEGATIVE):
            assert any(
                t.aspects.get(aspect) is sign and aspect not in aspect_hits(t.text) for t in parsed
            ), (aspect, sign)
    filled = template_examples([])  # no store: fallback values
    assert len(filled) > len(parsed)
    for example, key in filled:
        assert "{" not in example.text and "}" not in example.text
        assert example.source == "templates" and key in {t.text for t in parsed}
        if example.polarity is not None:
            assert set((example.aspects or {}).values()) <= {example.polarity, Polarity.NEUTRAL}
