"""What a shop reads: rendered tables and solutions, and how aspect polarities become conditions."""

from __future__ import annotations

import pytest

from app.trust.qca import analyse
from app.trust.qca_cases import aspect_good
from app.trust.qca_report import render_markdown, render_text
from tests.unit.trust_qca.tables import cases

ROWS = [("110", 2, 2), ("111", 2, 2), ("000", 1, 0), ("010", 1, 0), ("001", 1, 0)]
NAMES = ("delivery_good", "refund_clear", "support_helpful")


def test_text_report_shows_the_truth_table_and_each_solution_with_fit() -> None:
    result = analyse(cases(ROWS, NAMES), outcome="high trust", parsimonious=True)
    text = render_text(result, header=["cases: 7 conversations"])
    lines = text.splitlines()
    assert lines[0] == "cases: 7 conversations"
    assert "delivery_good  refund_clear  support_helpful  n  consistency" in text
    assert "complex solution (remainders treated as false):" in text
    assert "  M1: delivery_good AND refund_clear -> high trust" in lines
    assert "  M1: delivery_good -> high trust" in lines
    assert "solution consistency 1.00, coverage 1.00" in text
    row = next(line.split() for line in lines if line.split()[:3] == ["0", "0", "0"])
    assert row == ["0", "0", "0", "1", "0.00", "0.00", "0"]


def test_absence_is_written_with_a_tilde_and_no_solution_is_said_plainly() -> None:
    negated = analyse(cases(ROWS, NAMES), outcome="high trust", negate=True, parsimonious=True)
    text = render_text(negated)
    assert "M1: ~delivery_good -> ~high trust" in text
    strict = analyse(cases([("100", 4, 3)], NAMES), outcome="high trust", consistency=0.9)
    assert "no configuration is sufficient for high trust at consistency 0.90" in render_text(
        strict
    )


def test_markdown_report_has_tables_prime_implicants_and_models() -> None:
    result = analyse(cases(ROWS, NAMES), outcome="high trust", parsimonious=True)
    markdown = render_markdown(result, header=["outcome: high trust"])
    assert markdown.startswith("# QCA: which aspects lead to trust\n")
    assert "- outcome: high trust" in markdown
    assert "| delivery_good | refund_clear | support_helpful | n |" in markdown
    assert "## Parsimonious solution (remainders used as don't-cares)" in markdown
    assert "**M1: `delivery_good AND refund_clear -> high trust`**" in markdown
    assert "| delivery_good AND refund_clear | 1.00 | 1.00 | 1.00 | 4 |" in markdown


@pytest.mark.parametrize(
    ("polarities", "good"),
    [
        ([], False),  # never raised
        (["positive"], True),
        (["neutral"], True),  # raised, never negative
        (["negative"], False),
        (["negative", "positive"], True),  # recovered
        (["positive", "negative"], False),  # ended negative
        (["negative", "neutral"], False),  # last non-neutral mention was negative
        (["negative", "positive", "neutral"], True),
    ],
)
def test_aspect_is_good_when_raised_and_not_ended_negative(
    polarities: list[str], good: bool
) -> None:
    assert aspect_good(polarities) is good
