"""Answers are cut into sentences that keep their citation markers, and cut back together."""

from __future__ import annotations

from app.guardrails.output.base import markers_in, remove_sentences, split_sentences


def texts(answer: str) -> list[str]:
    return [s.text(answer) for s in split_sentences(answer)]


def test_a_marker_after_the_full_stop_stays_with_its_sentence() -> None:
    answer = "Returns are accepted for 30 days. [1] Standard shipping costs $16 [2]."
    assert texts(answer) == [
        "Returns are accepted for 30 days. [1]",
        "Standard shipping costs $16 [2].",
    ]
    assert [s.markers for s in split_sentences(answer)] == [(1,), (2,)]


def test_list_lines_are_sentences_of_their_own() -> None:
    answer = "- Chaz Kangeroo Hoodie — Price: $52.00. [1]\n- Hero Hoodie — Price: $54.00. [2]"
    assert [s.line for s in split_sentences(answer)] == [0, 1]
    assert markers_in(answer) == (1, 2)


def test_removing_the_last_sentence_of_a_group_keeps_the_group_cited() -> None:
    answer = "Deliveries occur only on weekdays. We ship to the Moon. [1]"
    assert remove_sentences(answer, [1]) == "Deliveries occur only on weekdays. [1]"


def test_removing_a_list_line_keeps_the_other_lines_and_bullets() -> None:
    answer = "- A hoodie costs $52. [1]\n- A jacket costs $1. [2]\n- A tee costs $20. [3]"
    assert remove_sentences(answer, [1]) == "- A hoodie costs $52. [1]\n- A tee costs $20. [3]"


def test_removing_everything_leaves_nothing() -> None:
    assert remove_sentences("Free returns forever [1].", [0]) == ""
