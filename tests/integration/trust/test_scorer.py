"""The trained embedded scorer on messages a shop receives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.trust.base import Aspect, Polarity, TrustLevel
from app.trust.embedded import EmbeddedTrustScorer, load_trust_scorer
from rag.onnx_encoder import OnnxEmbeddings


def test_a_late_parcel_nobody_answers_about_is_negative_low_trust(
    scorer: EmbeddedTrustScorer,
) -> None:
    trust = scorer.score("my parcel is two weeks late and nobody answers")
    assert trust.scorer == "embedded"
    assert trust.polarity is Polarity.NEGATIVE
    assert trust.level is TrustLevel.LOW
    assert trust.polarity_of(Aspect.SHIPPING) is Polarity.NEGATIVE
    assert trust.polarity_of(Aspect.CUSTOMER_SERVICE) in (None, Polarity.NEGATIVE)


def test_where_is_my_refund_is_about_refunds(scorer: EmbeddedTrustScorer) -> None:
    trust = scorer.score("where is my refund?")
    assert trust.aspects[0].aspect is Aspect.REFUNDS
    assert trust.aspects[0].confidence > 0.5


def test_praise_for_quality_is_positive_high_trust(scorer: EmbeddedTrustScorer) -> None:
    trust = scorer.score("love this jacket, great quality")
    assert trust.polarity_of(Aspect.ITEM_QUALITY) is Polarity.POSITIVE
    assert trust.polarity is Polarity.POSITIVE
    assert trust.level is TrustLevel.HIGH


@pytest.mark.parametrize(
    "question",
    [
        "how much is shipping to Canada?",
        "How long does delivery to Germany take?",
        "Can I track my order?",
    ],
)
def test_a_neutral_shipping_question_is_not_low_trust(
    scorer: EmbeddedTrustScorer, question: str
) -> None:
    trust = scorer.score(question)
    assert trust.polarity_of(Aspect.SHIPPING) is not None
    assert trust.level is not TrustLevel.LOW


@pytest.mark.parametrize(
    ("message", "aspect"),
    [
        ("Is the Chaz Kangeroo Hoodie in stock in XL?", Aspect.AVAILABILITY),
        ("Can I return these boots if they don't fit?", Aspect.RETURNS),
        ("Is the jacket on sale?", Aspect.PRICING),
        ("What material is the jacket made of?", Aspect.PRODUCT_FEATURES),
        ("I want to speak to a human agent", Aspect.CUSTOMER_SERVICE),
    ],
)
def test_each_aspect_is_recognised_in_a_plain_question(
    scorer: EmbeddedTrustScorer, message: str, aspect: Aspect
) -> None:
    assert aspect in {a.aspect for a in scorer.score(message).aspects}


def test_each_aspect_of_a_mixed_message_takes_its_clause_polarity(
    scorer: EmbeddedTrustScorer,
) -> None:
    trust = scorer.score("The battery life is great but the screen scratches easily.")
    assert trust.polarity_of(Aspect.PRODUCT_FEATURES) is Polarity.POSITIVE
    assert trust.polarity_of(Aspect.ITEM_QUALITY) is Polarity.NEGATIVE
    slow = scorer.score("The jacket is great but shipping took forever")
    assert slow.polarity_of(Aspect.SHIPPING) is Polarity.NEGATIVE
    assert slow.level is not TrustLevel.HIGH  # praise does not hide the complaint


def test_the_message_is_embedded_once_when_the_guards_did_it_first(
    scorer: EmbeddedTrustScorer, embeddings: OnnxEmbeddings
) -> None:
    text = "Do you deliver to Ireland on Saturdays?"
    embeddings.embed_query(text)  # what the input guards do with the same text
    before = embeddings.encode_seconds
    scorer.score(text)
    assert embeddings.encode_seconds == before


def test_the_loader_refuses_missing_or_foreign_artefacts(
    trained: Path, embeddings: OnnxEmbeddings, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError, match="make trust"):
        load_trust_scorer(tmp_path / "nothing", embeddings)
    copy = tmp_path / "trust"
    shutil.copytree(trained, copy)
    with pytest.raises(ValueError, match="trained on encoder"):
        load_trust_scorer(copy, embeddings, encoder_sha256="0" * 64)
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "manifest.json").write_text(json.dumps({**manifest, "format": 99}))
    with pytest.raises(ValueError, match="format"):
        load_trust_scorer(copy, embeddings)
