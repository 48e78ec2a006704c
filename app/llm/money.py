"""Money in questions and in rate tables: "a $150 order" falls in the row "up to $200"."""

from __future__ import annotations

import math
import re
from functools import lru_cache

_AMOUNT = r"\d[\d,]*(?:\.\d+)?"
_OVER_WORDS = r"(?P<over>(?:over|above|more than)\s+)?"
_QUESTION_AMOUNTS = (
    re.compile(rf"{_OVER_WORDS}\$\s?(?P<n>{_AMOUNT})", re.IGNORECASE),
    re.compile(rf"{_OVER_WORDS}(?P<n>{_AMOUNT})\s?(?:\$|dollars?\b|usd\b|bucks\b)", re.IGNORECASE),
)
_DASH = r"\s*(?:—|–|-|to|and)\s*"
_BETWEEN = re.compile(rf"\$(?P<low>{_AMOUNT}){_DASH}\$?(?P<high>{_AMOUNT})", re.IGNORECASE)
_UP_TO = re.compile(
    rf"(?:up to|under|less than|below|not more than)\s+\$(?P<high>{_AMOUNT})", re.IGNORECASE
)
_OVER = re.compile(rf"(?:over|above|more than)\s+\$(?P<low>{_AMOUNT})", re.IGNORECASE)
_CENT = 0.01


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def question_amount(question: str) -> float | None:
    """The amount of money a question names ("$150", "150 dollars"); "over $X" is just above X."""
    for pattern in _QUESTION_AMOUNTS:
        match = pattern.search(question)
        if match:
            return _number(match["n"]) + (_CENT if match["over"] else 0.0)
    return None


def without_amounts(question: str) -> str:
    """The question with its amounts of money blanked out (they are cues, not search words)."""
    for pattern in _QUESTION_AMOUNTS:
        question = pattern.sub(" ", question)
    return question


@lru_cache(maxsize=8192)
def money_range(sentence: str) -> tuple[float, float] | None:
    """The first range of money a sentence states (a rate-table row), as (low, high)."""
    found: list[tuple[int, tuple[float, float]]] = []
    if match := _BETWEEN.search(sentence):
        found.append((match.start(), (_number(match["low"]), _number(match["high"]))))
    if match := _UP_TO.search(sentence):
        found.append((match.start(), (0.0, _number(match["high"]))))
    if match := _OVER.search(sentence):
        # "Over $1000.00" starts a cent above the previous row's "—1000.00".
        found.append((match.start(), (_number(match["low"]) + _CENT, math.inf)))
    # The range that opens the row is the row's key; later amounts are its charges.
    return min(found)[1] if found else None


def in_range(amount: float, bounds: tuple[float, float]) -> bool:
    """Whether `amount` lies in the inclusive range `bounds`."""
    low, high = bounds
    return low <= amount <= high
