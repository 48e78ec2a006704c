"""Truth tables: rows, consistency and coverage by hand, thresholds, negation and bad input."""

from __future__ import annotations

import pytest

from app.trust.qca import Case, TruthRow, truth_table
from tests.unit.trust_qca.tables import cases

# A textbook-style table with a contradictory row ("001": 3 of 4 cases have the outcome).
MIXED = [
    ("111", 2, 2),
    ("110", 3, 3),
    ("101", 2, 2),
    ("011", 1, 1),
    ("001", 4, 3),
    ("100", 2, 0),
    ("010", 3, 0),
    ("000", 3, 1),
]


def _row(rows: tuple[TruthRow, ...], configuration: str) -> TruthRow:
    wanted = tuple(int(bit) for bit in configuration)
    return next(row for row in rows if row.configuration == wanted)


def test_rows_count_cases_and_compute_consistency_and_raw_coverage_by_hand() -> None:
    table = truth_table(cases(MIXED), outcome="Y")
    assert table.conditions == ("A", "B", "C")
    assert (table.cases, table.positive, len(table.rows)) == (20, 12, 8)
    mixed = _row(table.rows, "001")
    assert (mixed.n, mixed.positive) == (4, 3)
    assert mixed.consistency == pytest.approx(0.75)
    assert mixed.raw_coverage == pytest.approx(3 / 12)
    assert mixed.case_ids == ("001#0", "001#1", "001#2", "001#3")
    assert _row(table.rows, "000").consistency == pytest.approx(1 / 3)
    assert _row(table.rows, "110").raw_coverage == pytest.approx(3 / 12)


def test_consistency_threshold_decides_whether_a_contradictory_row_is_sufficient() -> None:
    lenient = truth_table(cases(MIXED), consistency=0.75)
    strict = truth_table(cases(MIXED), consistency=0.8)
    assert _row(lenient.rows, "001").code == 1
    assert _row(strict.rows, "001").code == 0
    assert _row(strict.rows, "110").code == 1
    assert _row(strict.rows, "000").code == 0


def test_rows_below_the_frequency_threshold_become_remainders() -> None:
    table = truth_table(cases(MIXED), min_cases=3)
    assert _row(table.rows, "011").code is None  # one case
    assert _row(table.rows, "111").code is None  # two cases
    assert _row(table.rows, "110").code == 1
    assert table.rows[-1].code is None  # sufficient rows first, remainders last
    assert table.rows[0].code == 1


def test_negated_outcome_flips_every_case_and_marks_the_label() -> None:
    table = truth_table(cases(MIXED), outcome="high trust", negate=True)
    assert table.outcome == "~high trust"
    assert table.positive == 8
    zero = _row(table.rows, "000")
    assert (zero.positive, zero.code) == (2, 0)  # 2 of 3 lack the outcome: 0.67 < 0.8
    assert _row(table.rows, "010").code == 1
    assert _row(table.rows, "010").raw_coverage == pytest.approx(3 / 8)


def test_conditions_keep_the_given_order() -> None:
    table = truth_table(cases([("10", 1, 1)], names=("x", "y")), conditions=("y", "x"))
    assert table.conditions == ("y", "x")
    assert table.rows[0].configuration == (0, 1)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([Case({"A": 2}, 1, "c1")], "A must be 0 or 1"),
        ([Case({"A": 1}, 5, "c1")], "outcome must be 0 or 1"),
        ([Case({"A": 1}, 1, "c1"), Case({"B": 1}, 1, "c2")], "case 'c2' has conditions"),
    ],
)
def test_non_crisp_or_inconsistent_cases_are_refused(bad: list[Case], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        truth_table(bad)


def test_thresholds_out_of_range_and_too_many_conditions_are_refused() -> None:
    with pytest.raises(ValueError, match="consistency threshold"):
        truth_table(cases(MIXED), consistency=0.0)
    with pytest.raises(ValueError, match="frequency threshold"):
        truth_table(cases(MIXED), min_cases=0)
    wide = [Case({f"c{i}": 0 for i in range(13)}, 1, "wide")]
    with pytest.raises(ValueError, match="at most 12"):
        truth_table(wide)
