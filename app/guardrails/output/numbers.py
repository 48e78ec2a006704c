"""Number check: every price, percentage, charge and number of days must be in a cited source."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from app.guardrails.output.base import CheckResult, OutputContext, check_sentences
from rag.schema import PRICE, PRICE_MAX, RetrievedChunk

Kind = Literal["money", "percent", "duration"]

_AMOUNT = r"\d[\d,]*(?:\.\d+)?"
_MONEY = re.compile(
    rf"(?:\$|US\$|USD\s?|€|£)\s?(?P<a>{_AMOUNT})|(?P<b>{_AMOUNT})\s?(?:USD|dollars?|euros?|€)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<n>{_AMOUNT})\s?(?:%|per\s?cent\b)", re.IGNORECASE)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "sixty": 60, "ninety": 90,
}  # fmt: skip
_COUNT = rf"{_AMOUNT}|{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))}"
_UNIT = r"(?:business\s+|working\s+|calendar\s+)?(?P<unit>day|week|month|year|hour)s?\b"
_DURATION = re.compile(
    rf"\b(?P<low>{_COUNT})(?:\s*(?:-|–|—|to)\s*(?P<high>{_COUNT}))?[\s-]*{_UNIT}",
    re.IGNORECASE,
)
# Durations compare in days, so "1 week" matches a source's "7 days" but "30 weeks" no "30 days".
_DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.0, "year": 365.0}
_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("money", _MONEY),
    ("percent", _PERCENT),
    ("duration", _DURATION),
)


@dataclass(frozen=True)
class Quantity:
    """A number that means something to a shopper: money, a percentage or a duration."""

    kind: Kind
    value: float
    text: str


def _value(raw: str) -> float | None:
    word = raw.lower()
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return None


def quantities(text: str) -> list[Quantity]:
    """Every money amount, percentage and duration written in `text` (ranges give both ends)."""
    found: list[Quantity] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            unit = _DAYS[groups.pop("unit").lower()] if kind == "duration" else 1.0
            for raw in filter(None, groups.values()):
                value = _value(raw)
                if value is not None:
                    found.append(Quantity(kind, round(value * unit, 4), match.group(0).strip()))
    return found


def _known(chunks: Iterable[RetrievedChunk]) -> set[tuple[Kind, float]]:
    known: set[tuple[Kind, float]] = set()
    for chunk in chunks:
        known.update((q.kind, q.value) for q in quantities(chunk.text))
        for key in (PRICE, PRICE_MAX):  # the catalogue price, however the text writes it
            price = chunk.metadata.get(key)
            if isinstance(price, int | float) and not isinstance(price, bool):
                known.add(("money", float(price)))
    return known


class NumberCheck:
    """Fails sentences stating a price, percentage or duration their cited sources do not."""

    name = "numbers"

    def check(self, answer: str, context: OutputContext) -> CheckResult:
        """Each quantity in each sentence must appear, as the same kind, in its sources."""
        return check_sentences(self.name, answer, context, _unsupported_quantities)


def _unsupported_quantities(text: str, sources: Callable[[], list[RetrievedChunk]]) -> str:
    stated = quantities(text)
    if not stated:
        return ""
    known = _known(sources())
    missing = [q.text for q in stated if (q.kind, q.value) not in known]
    return f"{', '.join(dict.fromkeys(missing))} not in the sources" if missing else ""
