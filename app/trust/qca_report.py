"""QCA results as plain text for the terminal and as Markdown for a report file."""

from __future__ import annotations

from collections.abc import Sequence

from app.trust.qca import Model, QcaResult, Solution, TruthTable

_TERM_HEADERS = ("term", "consistency", "raw coverage", "unique coverage", "cases")
_HOW = {
    "complex": "remainders treated as false",
    "parsimonious": "remainders used as don't-cares",
}


def render_text(result: QcaResult, *, header: Sequence[str] = ()) -> str:
    """The truth table and the minimised solutions, aligned for a terminal."""
    lines = [*header, "", _table_title(result.table)]
    lines += _aligned(_row_headers(result.table), _row_cells(result.table))
    lines.append("outcome: 1 sufficient, 0 not, R remainder (fewer cases than the threshold)")
    for solution in _solutions(result):
        lines += ["", f"{solution.kind} solution ({_HOW[solution.kind]}):"]
        if not solution.models:
            lines.append(f"  {_none_sufficient(result.table)}")
        for number, model in enumerate(solution.models, start=1):
            lines.append(f"  M{number}: {model.formula(solution.outcome)}")
            lines.append(f"      {_fit_line(model)}")
            lines += ["      " + line for line in _aligned(_TERM_HEADERS, _term_cells(model))]
        if solution.truncated:
            lines.append(f"  {_truncated(solution)}")
    return "\n".join(lines) + "\n"


def render_markdown(
    result: QcaResult,
    *,
    header: Sequence[str] = (),
    title: str = "QCA: which aspects lead to trust",
) -> str:
    """The same content as a Markdown document."""
    lines = [
        f"# {title}",
        "",
        *(f"- {line}" for line in header),
        "",
        f"## {_table_title(result.table)}",
    ]
    lines += ["", *_markdown_table(_row_headers(result.table), _row_cells(result.table))]
    lines += ["", "Outcome: 1 sufficient, 0 not, R remainder (fewer cases than the threshold)."]
    for solution in _solutions(result):
        lines += ["", f"## {solution.kind.capitalize()} solution ({_HOW[solution.kind]})", ""]
        if not solution.models:
            lines.append(_none_sufficient(result.table))
        lines += _markdown_implicants(solution)
        for number, model in enumerate(solution.models, start=1):
            lines += [
                "",
                f"**M{number}: `{model.formula(solution.outcome)}`** ({_fit_line(model)})",
            ]
            lines += ["", *_markdown_table(_TERM_HEADERS, _term_cells(model))]
        if solution.truncated:
            lines += ["", _truncated(solution)]
    return "\n".join(lines) + "\n"


def _solutions(result: QcaResult) -> list[Solution]:
    return [result.complex] + ([result.parsimonious] if result.parsimonious else [])


def _table_title(table: TruthTable) -> str:
    return (
        f"Truth table for {table.outcome}: {len(table.rows)} configuration(s) of "
        f"{table.cases} case(s), consistency threshold {table.consistency_threshold:.2f}, "
        f"frequency threshold {table.min_cases}"
    )


def _none_sufficient(table: TruthTable) -> str:
    return (
        f"no configuration is sufficient for {table.outcome} at consistency "
        f"{table.consistency_threshold:.2f} with at least {table.min_cases} case(s)"
    )


def _truncated(solution: Solution) -> str:
    return (
        f"more equally minimal models exist; the first {len(solution.models)} are shown "
        "(too many conditions for the cases observed: raise --min-aspect-cases)"
    )


def _fit_line(model: Model) -> str:
    return f"solution consistency {model.consistency:.2f}, coverage {model.coverage:.2f}"


def _row_headers(table: TruthTable) -> tuple[str, ...]:
    return (*table.conditions, "n", "consistency", "raw coverage", "outcome")


def _row_cells(table: TruthTable) -> list[tuple[str, ...]]:
    return [
        (
            *(str(value) for value in row.configuration),
            str(row.n),
            f"{row.consistency:.2f}",
            f"{row.raw_coverage:.2f}",
            "R" if row.code is None else str(row.code),
        )
        for row in table.rows
    ]


def _term_cells(model: Model) -> list[tuple[str, ...]]:
    return [
        (
            str(fit.term),
            f"{fit.consistency:.2f}",
            f"{fit.raw_coverage:.2f}",
            f"{fit.unique_coverage:.2f}",
            str(fit.cases),
        )
        for fit in model.terms
    ]


def _aligned(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in (headers, *rows)
    ]


def _markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _markdown_implicants(solution: Solution) -> list[str]:
    primes = ", ".join(f"`{term}`" for term in solution.prime_implicants) or "none"
    essential = ", ".join(f"`{term}`" for term in solution.essential) or "none"
    return [f"Prime implicants: {primes}. Essential: {essential}."]
