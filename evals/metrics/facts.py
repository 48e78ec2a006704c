"""Answer correctness: is each expected fact stated in the answer?

- money: some amount in the answer equals the fact's value to the cent, however it is written
  ("$52", "$52.00", "52.00 USD", "$1,899.99", "52 dollars");
- quantity with a time unit (day, week, month, year, hour): some duration in the answer equals
  it in days ("30 days", "thirty days", "10 to 14 days" gives 10 and 14; "1 week" = "7 days");
- other quantities (units, variants, ...): the number (digits or a word) followed, within two
  words, by the unit, singular or plural ("99 units", "12 of 12 variants");
- text: the phrase as a whole word sequence, dashes and spacing normalised; case-insensitive,
  except phrases of up to three characters (sizes "S", "M", "XL"), which must match case too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.guardrails.output.numbers import quantities
from evals.cases import Fact

_DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.0, "year": 365.0}
_MARKER = re.compile(r"\[\d+\]|\^\d+")
_DASHES = re.compile(r"\s*[—–‐-]\s*")
_SPACE = re.compile(r"\s+")
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_NUMBER = re.compile(rf"(?<![\w.])(\d[\d,]*(?:\.\d+)?|{'|'.join(_WORDS)})(?![\w]|[.,]\d)", re.I)
_SHORT_TEXT = 3


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _DASHES.sub("-", _MARKER.sub("", text))).strip()


def fact_found(fact: Fact, answer: str) -> bool:
    """Whether `answer` states `fact` (rules in the module docstring)."""
    text = _clean(answer)
    if fact.kind == "money":
        return fact.value is not None and any(
            q.kind == "money" and abs(q.value - fact.value) < 0.005 for q in quantities(text)
        )
    if fact.kind == "quantity":
        return _quantity_found(fact, text)
    return _phrase_found(fact.text, text)


def _quantity_found(fact: Fact, text: str) -> bool:
    if fact.value is None or not fact.unit:
        return False
    if fact.unit in _DAYS:
        days = round(fact.value * _DAYS[fact.unit], 4)
        return any(q.kind == "duration" and q.value == days for q in quantities(text))
    unit = re.compile(rf"^(?:\S+\s+){{0,2}}?{re.escape(fact.unit)}s?\b", re.I)
    for match in _NUMBER.finditer(text):
        if _number(match[1]) == fact.value and unit.match(text[match.end() :].lstrip()):
            return True
    return False


def _number(raw: str) -> float | None:
    word = raw.lower()
    if word in _WORDS:
        return float(_WORDS[word])
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return None


def _phrase_found(phrase: str, text: str) -> bool:
    wanted = _clean(phrase)
    if not wanted:
        return False
    flags = 0 if len(wanted) <= _SHORT_TEXT else re.IGNORECASE
    # Not inside a word or a number: size "32" is not the "32" of "$32.00".
    pattern = rf"(?<![\w$.,]){re.escape(wanted)}(?![\w]|[.,]\d)"
    return re.search(pattern, text, flags) is not None


def fact_recall(facts: Sequence[Fact], answer: str) -> float | None:
    """Share of the expected facts the answer states (None when a case expects none)."""
    if not facts:
        return None
    return sum(fact_found(fact, answer) for fact in facts) / len(facts)
