"""Truth tables written as (configuration, cases, cases with the outcome) for the QCA tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from app.trust.qca import Case

Row = tuple[str, int, int]  # configuration like "101", cases, cases with the outcome


def cases(rows: Sequence[Row], names: Sequence[str] = ("A", "B", "C")) -> list[Case]:
    """Expand rows into cases with ids like "101#2"; the first `positive` have the outcome."""
    out = []
    for configuration, n, positive in rows:
        values = {name: int(bit) for name, bit in zip(names, configuration, strict=True)}
        out += [
            Case(conditions=values, outcome=int(i < positive), case_id=f"{configuration}#{i}")
            for i in range(n)
        ]
    return out


def complete(rule: Callable[[int, int, int], bool]) -> list[Row]:
    """Every configuration of A, B, C once, with the outcome the rule gives."""
    return [
        ("".join(map(str, bits)), 1, int(rule(*bits)))
        for bits in itertools.product((0, 1), repeat=3)
    ]
