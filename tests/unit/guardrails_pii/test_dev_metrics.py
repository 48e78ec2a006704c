"""Held-out span recall on the annotated dev file meets the issue's targets."""

from __future__ import annotations

from app.guardrails.pii import PiiDetector
from evals.pii_metrics import score_corpus
from evals.pii_report import load_examples, predict
from tests.unit.guardrails_pii.conftest import dev_path

RECALL_TARGETS = {"EMAIL": 0.9, "PHONE": 0.9, "CREDIT_CARD": 0.9, "ADDRESS": 0.9}


def test_heldout_recall_and_precision(detector: PiiDetector) -> None:
    examples = load_examples(dev_path("presidio_synth_pii.json"), "heldout")
    assert len(examples) > 250
    preds = predict(detector, examples)
    scores = score_corpus(zip(preds, [list(e.spans) for e in examples], strict=True))
    for entity, target in RECALL_TARGETS.items():
        assert scores[entity].recall >= target, (entity, scores[entity])
        assert scores[entity].precision >= 0.9, (entity, scores[entity])
    assert scores["ALL"].f1 >= 0.8  # vanilla Presidio + spaCy: about 0.52
