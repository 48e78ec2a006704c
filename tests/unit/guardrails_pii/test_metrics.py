"""Span metrics: the >= 50 % of gold overlap rule, label mapping, record parsing, split."""

from __future__ import annotations

from evals.pii_metrics import Span, in_split, map_label, parse_record, score_corpus


def test_overlap_rule_counts_half_of_the_gold_span() -> None:
    gold = [Span(0, 10, "ADDRESS")]
    assert score_corpus([([Span(0, 5, "ADDRESS")], gold)])["ADDRESS"].recall == 1.0
    assert score_corpus([([Span(0, 4, "ADDRESS")], gold)])["ADDRESS"].recall == 0.0
    assert score_corpus([([Span(0, 10, "PERSON")], gold)])["ADDRESS"].recall == 0.0


def test_one_long_prediction_covers_fragmented_gold() -> None:
    gold = [Span(0, 5, "ADDRESS"), Span(6, 20, "ADDRESS"), Span(21, 26, "ADDRESS")]
    scores = score_corpus([([Span(0, 26, "ADDRESS")], gold)])
    assert (scores["ADDRESS"].recall, scores["ADDRESS"].precision) == (1.0, 1.0)


def test_precision_recall_f1_and_micro_average() -> None:
    pairs = [
        ([Span(0, 4, "EMAIL"), Span(10, 14, "EMAIL")], [Span(0, 4, "EMAIL")]),
        ([], [Span(0, 4, "PHONE")]),
    ]
    scores = score_corpus(pairs)
    assert (scores["EMAIL"].precision, scores["EMAIL"].recall) == (0.5, 1.0)
    assert round(scores["EMAIL"].f1, 3) == 0.667
    assert scores["PHONE"].recall == 0.0
    assert (scores["ALL"].n_gold, scores["ALL"].n_pred, scores["ALL"].gold_found) == (2, 2, 1)


def test_entity_filter_drops_other_types_on_both_sides() -> None:
    pairs = [([Span(0, 4, "PERSON")], [Span(5, 9, "EMAIL")])]
    assert set(score_corpus(pairs, entities={"EMAIL"})) == {"EMAIL", "ALL"}


def test_labels_and_records() -> None:
    assert map_label("STREET_ADDRESS") == "ADDRESS"
    assert map_label("phone-number") == "PHONE"
    assert map_label("first_name") == "PERSON"
    assert map_label("BUILDINGNUMBER") == "ADDRESS"
    assert map_label("DATE_TIME") is None
    presidio = {
        "full_text": "Mail bob@x.io on 5 May",
        "spans": [
            {"entity_type": "EMAIL_ADDRESS", "start_position": 5, "end_position": 13},
            {"entity_type": "DATE_TIME", "start_position": 17, "end_position": 22},
        ],
    }
    generic = {"text": "Mail bob@x.io", "spans": [{"start": 5, "end": 13, "label": "EMAIL"}]}
    assert parse_record(presidio).spans == (Span(5, 13, "EMAIL"),)
    assert parse_record(generic).spans == (Span(5, 13, "EMAIL"),)


def test_split_is_deterministic_and_disjoint() -> None:
    texts = [f"text number {i}" for i in range(200)]
    held = [t for t in texts if in_split(t, "heldout")]
    tune = [t for t in texts if in_split(t, "tune")]
    assert set(held).isdisjoint(tune) and len(held) + len(tune) == 200
    assert 40 <= len(held) <= 80
    assert held == [t for t in texts if in_split(t.upper() + "  ", "heldout")]
