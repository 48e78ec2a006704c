"""Quine–McCluskey on known truth tables: solutions, exact covers, don't-cares, fit by hand."""

from __future__ import annotations

import itertools

import pytest

from app.trust.qca import Model, Solution, analyse, minimise, truth_table
from app.trust.qca_cover import Cube, covers, literal_count, minimum_covers, prime_implicants
from tests.unit.trust_qca.tables import cases, complete
from tests.unit.trust_qca.test_truth_table import MIXED


def _formulas(solution: Solution) -> list[str]:
    return [model.formula(solution.outcome) for model in solution.models]


def _fits(model: Model) -> list[tuple[str, float, float, float]]:
    return [(str(f.term), f.consistency, f.raw_coverage, f.unique_coverage) for f in model.terms]


def test_textbook_a_and_b_or_c_with_one_case_per_configuration() -> None:
    result = analyse(cases(complete(lambda a, b, c: bool((a and b) or c))), outcome="Y")
    (model,) = result.complex.models
    assert model.formula("Y") == "A AND B OR C -> Y"
    assert [str(t) for t in result.complex.essential] == ["A AND B", "C"]
    # 5 cases have Y; C covers 4 of them (3 alone), A AND B covers 2 (1 alone).
    assert _fits(model) == [("A AND B", 1.0, 0.4, 0.2), ("C", 1.0, 0.8, 0.6)]
    assert (model.consistency, model.coverage) == (1.0, 1.0)


def test_fit_of_a_contradictory_table_computed_by_hand() -> None:
    table = truth_table(cases(MIXED), consistency=0.75, outcome="Y")
    (model,) = minimise(table).models
    assert model.formula("Y") == "A AND B OR C -> Y"
    and_b, c = model.terms
    assert (and_b.cases, and_b.consistency) == (5, 1.0)
    assert and_b.raw_coverage == pytest.approx(5 / 12)
    assert and_b.unique_coverage == pytest.approx(3 / 12)  # "110" only
    assert c.cases == 9
    assert c.consistency == pytest.approx(8 / 9)  # "001" holds one case without Y
    assert c.raw_coverage == pytest.approx(8 / 12)
    assert c.unique_coverage == pytest.approx(6 / 12)  # "101", "011", "001"
    assert model.consistency == pytest.approx(11 / 12)
    assert model.coverage == pytest.approx(11 / 12)


def test_a_stricter_consistency_threshold_changes_the_solution() -> None:
    table = truth_table(cases(MIXED), consistency=0.8, outcome="Y")
    solution = minimise(table)
    assert _formulas(solution) == ["A AND B OR A AND C OR B AND C -> Y"]
    assert len(solution.essential) == 3
    (model,) = solution.models
    assert model.consistency == 1.0
    assert model.coverage == pytest.approx(8 / 12)  # "001" is no longer explained


def test_cyclic_table_has_no_essential_implicant_and_two_minimal_models() -> None:
    # f = sum of minterms 0, 1, 2, 5, 6, 7: six prime implicants, none essential.
    on = {"000", "001", "010", "101", "110", "111"}
    rows = [(f"{m:03b}", 1, int(f"{m:03b}" in on)) for m in range(8)]
    solution = analyse(cases(rows), outcome="Y").complex
    assert len(solution.prime_implicants) == 6
    assert solution.essential == ()
    assert _formulas(solution) == [
        "A AND B OR ~A AND ~C OR ~B AND C -> Y",
        "A AND C OR ~A AND ~B OR B AND ~C -> Y",
    ]
    for model in solution.models:
        assert (model.consistency, model.coverage) == (1.0, 1.0)
        # The three terms of each model split the six configurations between them.
        assert [f.unique_coverage for f in model.terms] == [pytest.approx(2 / 6)] * 3


def test_redundant_prime_implicant_is_left_out_of_the_cover() -> None:
    # ON = {000, 001, 011, 111}; PIs ~A~B, ~AC, BC: ~A~B and BC are essential and cover all.
    rows = [(f"{m:03b}", 1, int(f"{m:03b}" in {"000", "001", "011", "111"})) for m in range(8)]
    solution = analyse(cases(rows), outcome="Y").complex
    assert [str(t) for t in solution.prime_implicants] == ["~A AND ~B", "~A AND C", "B AND C"]
    assert _formulas(solution) == ["~A AND ~B OR B AND C -> Y"]


def test_remainders_as_dont_cares_give_a_simpler_parsimonious_solution() -> None:
    rows = [("110", 2, 2), ("111", 2, 2), ("000", 1, 0), ("010", 1, 0), ("001", 1, 0)]
    result = analyse(cases(rows), outcome="Y", parsimonious=True)
    assert _formulas(result.complex) == ["A AND B -> Y"]
    assert result.parsimonious is not None
    assert _formulas(result.parsimonious) == ["A -> Y"]
    assert result.parsimonious.kind == "parsimonious"


def test_frequency_threshold_turns_a_rare_row_into_a_dont_care() -> None:
    rows = [("110", 2, 2), ("111", 2, 2), ("000", 2, 0), ("010", 2, 0), ("100", 1, 0)]
    counted = analyse(cases(rows), outcome="Y", min_cases=1, parsimonious=True)
    assert counted.parsimonious is not None
    assert _formulas(counted.parsimonious) == ["A AND B -> Y"]
    rare = analyse(cases(rows), outcome="Y", min_cases=2, parsimonious=True)
    assert rare.parsimonious is not None
    (model,) = rare.parsimonious.models
    assert model.formula("Y") == "A -> Y"
    # Fit counts every case, the rare "100" one (without Y) included: 4 of 5.
    assert model.consistency == pytest.approx(4 / 5)
    assert model.coverage == 1.0
    assert _formulas(rare.complex) == ["A AND B -> Y"]


def test_negated_outcome_gives_the_complement_solution() -> None:
    rows = complete(lambda a, b, c: bool((a and b) or c))
    result = analyse(cases(rows), outcome="Y", negate=True)
    (model,) = result.complex.models
    assert model.formula(result.complex.outcome) == "~A AND ~C OR ~B AND ~C -> ~Y"
    # 3 cases lack Y ("000", "010", "100"); each term covers 2 of them, 1 alone.
    assert [str(fit.term) for fit in model.terms] == ["~A AND ~C", "~B AND ~C"]
    for fit in model.terms:
        assert (fit.consistency, fit.raw_coverage, fit.unique_coverage) == pytest.approx(
            (1.0, 2 / 3, 1 / 3)
        )


def test_no_sufficient_row_gives_no_model_and_all_sufficient_gives_a_tautology() -> None:
    never = analyse(cases(complete(lambda a, b, c: False)), outcome="Y")
    assert never.complex.models == ()
    always = analyse(cases(complete(lambda a, b, c: True)), outcome="Y")
    assert _formulas(always.complex) == ["(any configuration) -> Y"]


def test_cover_search_lists_ties_up_to_a_limit_and_says_when_more_exist() -> None:
    on = {0b000, 0b001, 0b010, 0b101, 0b110, 0b111}
    primes = sorted(prime_implicants(on, 3))
    both = minimum_covers(primes, on, 3)
    assert (len(both.covers), both.truncated, both.essential) == (2, False, ())
    first = minimum_covers(primes, on, 3, limit=1)
    assert (len(first.covers), first.truncated) == (1, True)
    assert first.covers[0] in both.covers


def test_among_one_term_covers_the_one_with_fewer_literals_wins() -> None:
    # Only "111" has Y; "000", "100", "010" do not; the rest are remainders. With them as
    # don't-cares both C and A AND B cover "111": C names one condition, so it is the model.
    rows = [("111", 1, 1), ("000", 1, 0), ("100", 1, 0), ("010", 1, 0)]
    result = analyse(cases(rows), outcome="Y", parsimonious=True)
    assert result.parsimonious is not None
    assert [str(t) for t in result.parsimonious.prime_implicants] == ["A AND B", "C"]
    assert _formulas(result.parsimonious) == ["C -> Y"]
    assert _formulas(result.complex) == ["A AND B AND C -> Y"]


def test_cover_search_matches_brute_force_on_every_three_condition_table() -> None:
    # Every assignment of off (0), on (1) or remainder (2) to the eight configurations.
    for assignment in itertools.product((0, 1, 2), repeat=8):
        on = {m for m in range(8) if assignment[m] == 1}
        care = on | {m for m in range(8) if assignment[m] == 2}
        primes = sorted(p for p in prime_implicants(care, 3) if any(covers(p, m) for m in on))
        assert minimum_covers(primes, on, 3).covers == _brute_force(primes, on), assignment


def _brute_force(primes: list[Cube], on: set[int]) -> tuple[tuple[int, ...], ...]:
    """Every cover with fewest implicants, then fewest literals, by trying all combinations."""
    for size in range(1, len(primes) + 1):
        found = [
            combo
            for combo in itertools.combinations(range(len(primes)), size)
            if all(any(covers(primes[i], m) for i in combo) for m in on)
        ]
        if found:
            cost = {combo: sum(literal_count(primes[i], 3) for i in combo) for combo in found}
            return tuple(sorted(c for c in found if cost[c] == min(cost.values())))
    return ()
