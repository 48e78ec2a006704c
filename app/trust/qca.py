"""Crisp-set Qualitative Comparative Analysis: truth table, Quine–McCluskey minimisation, fit.

Pure: cases in, truth table and solutions out. Conventions follow Ragin (2008) and the R `QCA`
package: a row is sufficient when its consistency reaches the threshold; rows with fewer cases
than the frequency threshold, and configurations never observed, are logical remainders. The
complex (conservative) solution treats remainders as false; the parsimonious one lets the
minimisation use them as don't-cares. Fit (consistency, coverage) is computed over every case,
cases in rows below the frequency threshold included: they are real cases, only the
minimisation sets their rows aside.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from app.trust.qca_cover import Cube, covers, literal_count, minimum_covers, prime_implicants

MAX_CONDITIONS = 12  # QM on 2^k configurations; beyond this the table is mostly remainders anyway


@dataclass(frozen=True)
class Case:
    """One case: a 0/1 value per condition, the 0/1 outcome, and an optional id."""

    conditions: Mapping[str, int]
    outcome: int
    case_id: str = ""


@dataclass(frozen=True)
class TruthRow:
    """One observed configuration of the conditions and how its cases fared."""

    configuration: tuple[int, ...]  # one 0/1 per condition, in the table's condition order
    n: int  # cases with this configuration
    positive: int  # of them, cases with the outcome
    consistency: float  # positive / n
    raw_coverage: float  # positive / all cases with the outcome
    code: int | None  # 1 sufficient, 0 not, None: fewer cases than the frequency threshold
    case_ids: tuple[str, ...]


@dataclass(frozen=True)
class TruthTable:
    """Observed configurations with their outcome codes, ready to minimise."""

    conditions: tuple[str, ...]
    outcome: str  # label of the outcome analysed, "~" in front when negated
    rows: tuple[TruthRow, ...]  # sufficient rows first, then by consistency and size
    consistency_threshold: float
    min_cases: int

    @property
    def cases(self) -> int:
        """Number of cases in the table."""
        return sum(row.n for row in self.rows)

    @property
    def positive(self) -> int:
        """Number of cases with the outcome."""
        return sum(row.positive for row in self.rows)


@dataclass(frozen=True)
class Term:
    """A conjunction of conditions present (1) or absent (0); no literals means always true."""

    literals: tuple[tuple[str, int], ...]

    def __str__(self) -> str:
        if not self.literals:
            return "(any configuration)"
        return " AND ".join(name if value else f"~{name}" for name, value in self.literals)


@dataclass(frozen=True)
class TermFit:
    """A solution term with its consistency, raw coverage and unique coverage."""

    term: Term
    consistency: float
    raw_coverage: float
    unique_coverage: float
    cases: int  # cases the term covers


@dataclass(frozen=True)
class Model:
    """One minimal cover of the sufficient rows: its terms and the fit of their disjunction."""

    terms: tuple[TermFit, ...]
    consistency: float
    coverage: float

    def formula(self, outcome: str) -> str:
        """The model as a sentence, e.g. "a AND b OR ~c -> high trust"."""
        return " OR ".join(str(fit.term) for fit in self.terms) + f" -> {outcome}"


@dataclass(frozen=True)
class Solution:
    """A minimisation: prime implicants, essential ones, and every minimal model."""

    kind: Literal["complex", "parsimonious"]
    outcome: str
    prime_implicants: tuple[Term, ...]
    essential: tuple[Term, ...]
    models: tuple[Model, ...]  # empty when no row is sufficient
    truncated: bool = False  # more equally minimal models exist than are listed


@dataclass(frozen=True)
class QcaResult:
    """A truth table with its complex solution and, when asked for, the parsimonious one."""

    table: TruthTable
    complex: Solution
    parsimonious: Solution | None


def truth_table(
    cases: Iterable[Case],
    *,
    consistency: float = 0.8,
    min_cases: int = 1,
    outcome: str = "outcome",
    negate: bool = False,
    conditions: Sequence[str] | None = None,
) -> TruthTable:
    """Group cases by configuration; code rows by the consistency and frequency thresholds."""
    if not 0.0 < consistency <= 1.0:
        raise ValueError(f"consistency threshold must be in (0, 1], got {consistency}")
    if min_cases < 1:
        raise ValueError(f"frequency threshold must be at least 1, got {min_cases}")
    items = list(cases)
    names = tuple(conditions) if conditions is not None else _condition_names(items)
    if len(names) > MAX_CONDITIONS:
        raise ValueError(f"{len(names)} conditions; QCA here takes at most {MAX_CONDITIONS}")
    groups: dict[tuple[int, ...], list[tuple[int, str]]] = {}
    for case in items:
        result = _binary(case.outcome, "outcome", case.case_id)
        configuration = tuple(_binary(case.conditions[name], name, case.case_id) for name in names)
        groups.setdefault(configuration, []).append(
            (1 - result if negate else result, case.case_id)
        )
    total_positive = sum(value for members in groups.values() for value, _ in members)
    rows = [
        _row(configuration, members, total_positive, consistency, min_cases)
        for configuration, members in groups.items()
    ]
    rows.sort(key=_row_order)
    label = f"~{outcome}" if negate else outcome
    return TruthTable(names, label, tuple(rows), consistency, min_cases)


def _condition_names(cases: Sequence[Case]) -> tuple[str, ...]:
    names = tuple(cases[0].conditions) if cases else ()
    for case in cases:
        if set(case.conditions) != set(names):
            raise ValueError(f"case {case.case_id!r} has conditions {sorted(case.conditions)}")
    return names


def _binary(value: int, what: str, case_id: str) -> int:
    if value not in (0, 1):
        raise ValueError(f"case {case_id!r}: {what} must be 0 or 1 (crisp sets), got {value!r}")
    return int(value)


def _row(
    configuration: tuple[int, ...],
    members: list[tuple[int, str]],
    total_positive: int,
    threshold: float,
    min_cases: int,
) -> TruthRow:
    n = len(members)
    positive = sum(value for value, _ in members)
    consistency = positive / n
    code = None if n < min_cases else int(consistency >= threshold)
    ids = tuple(case_id for _, case_id in members)
    return TruthRow(
        configuration, n, positive, consistency, _ratio(positive, total_positive), code, ids
    )


def _row_order(row: TruthRow) -> tuple[int, float, int, tuple[int, ...]]:
    code_rank = {1: 0, 0: 1, None: 2}[row.code]
    return (code_rank, -row.consistency, -row.n, tuple(-value for value in row.configuration))


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def minimise(table: TruthTable, *, parsimonious: bool = False) -> Solution:
    """Quine–McCluskey on the sufficient rows: prime implicants, essentials, minimal covers."""
    width = len(table.conditions)
    on = {_bits(row.configuration) for row in table.rows if row.code == 1}
    off = {_bits(row.configuration) for row in table.rows if row.code == 0}
    care = on | (set(range(1 << width)) - off if parsimonious else set())
    primes = sorted(
        (cube for cube in prime_implicants(care, width) if any(covers(cube, m) for m in on)),
        key=lambda cube: _cube_order(cube, width),
    )
    found = minimum_covers(primes, on, width)
    return Solution(
        kind="parsimonious" if parsimonious else "complex",
        outcome=table.outcome,
        prime_implicants=tuple(_term(cube, table.conditions) for cube in primes),
        essential=tuple(_term(primes[i], table.conditions) for i in found.essential),
        models=tuple(_model([primes[i] for i in cover], table) for cover in found.covers),
        truncated=found.truncated,
    )


def analyse(
    cases: Iterable[Case],
    *,
    consistency: float = 0.8,
    min_cases: int = 1,
    outcome: str = "outcome",
    negate: bool = False,
    parsimonious: bool = False,
) -> QcaResult:
    """Truth table, complex solution and (optionally) parsimonious solution in one call."""
    table = truth_table(
        cases, consistency=consistency, min_cases=min_cases, outcome=outcome, negate=negate
    )
    return QcaResult(
        table=table,
        complex=minimise(table),
        parsimonious=minimise(table, parsimonious=True) if parsimonious else None,
    )


def _model(cubes: Sequence[Cube], table: TruthTable) -> Model:
    terms = [_term(cube, table.conditions) for cube in cubes]
    rows = [(_bits(row.configuration), row) for row in table.rows]
    total = table.positive
    fits = []
    for cube, term in zip(cubes, terms, strict=True):
        others = [other for other in cubes if other != cube]
        covered = [row for bits, row in rows if covers(cube, bits)]
        alone = [
            row
            for bits, row in rows
            if covers(cube, bits) and not any(covers(other, bits) for other in others)
        ]
        n, positive = _sums(covered)
        fits.append(
            TermFit(
                term=term,
                consistency=_ratio(positive, n),
                raw_coverage=_ratio(positive, total),
                unique_coverage=_ratio(_sums(alone)[1], total),
                cases=n,
            )
        )
    union = [row for bits, row in rows if any(covers(cube, bits) for cube in cubes)]
    n, positive = _sums(union)
    return Model(tuple(fits), _ratio(positive, n), _ratio(positive, total))


def _sums(rows: Iterable[TruthRow]) -> tuple[int, int]:
    rows = list(rows)
    return sum(row.n for row in rows), sum(row.positive for row in rows)


def _bits(configuration: Sequence[int]) -> int:
    return sum(value << i for i, value in enumerate(configuration))


def _term(cube: Cube, conditions: Sequence[str]) -> Term:
    values, dashes = cube
    literals = tuple(
        (name, values >> i & 1) for i, name in enumerate(conditions) if not dashes >> i & 1
    )
    return Term(literals)


def _cube_order(cube: Cube, width: int) -> tuple[tuple[int, ...], int]:
    """Conditions in table order, present before absent before not mentioned; then shorter."""
    values, dashes = cube
    key = tuple(2 if dashes >> i & 1 else 1 - (values >> i & 1) for i in range(width))
    return (key, literal_count(cube, width))
