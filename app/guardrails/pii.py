"""PII detector for the input guard and the output leak check (regexes, checksums, cues).

No NER model and no network: structured entities are matched by pattern and validated
(Luhn, ISO 13616 mod-97, octet ranges); addresses and names are found by shape and by cue
phrases (see `pii_address` and `pii_names`). Finders run in a fixed order and a later finder
never claims text an earlier one took, so a card number is never also a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from app.guardrails.base import Detection, PiiSpan
from app.guardrails.pii_address import find_addresses
from app.guardrails.pii_names import NO_LISTS, find_names, load_name_lists
from app.guardrails.pii_structured import (
    find_cards,
    find_emails,
    find_ibans,
    find_ips,
    find_phones,
    find_ssns,
)
from app.guardrails.pii_tokens import tokenize

ALL_ENTITIES: frozenset[str] = frozenset(
    {"EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "ADDRESS", "PERSON", "US_SSN", "IP_ADDRESS"}
)
PLACEHOLDER_SLOT_RE = re.compile(r"\{\{[^{}\n]{1,80}\}\}|\[[A-Z][A-Z_]{1,20}(?:_\d{1,6})?\]")
# Texts longer than this are scanned only up to it (the input guard rejects them anyway).
MAX_SCAN_CHARS = 100_000

Finder = Callable[[str, Sequence[tuple[int, int]]], list[tuple[int, int, float]]]

# Most specific first: a validated IBAN or card wins over a phone, a phone over an address.
_STRUCTURED: tuple[tuple[str, Finder], ...] = (
    ("EMAIL", find_emails),
    ("IBAN", find_ibans),
    ("CREDIT_CARD", find_cards),
    ("US_SSN", find_ssns),
    ("IP_ADDRESS", find_ips),
    ("PHONE", find_phones),
)


class PiiDetector:
    """Finds personal data in a text; `detect` flags a text holding any of `entities`."""

    name = "pii"

    def __init__(
        self,
        entities: frozenset[str] | None = None,
        *,
        name_lists: bool = True,
        allow_terms: Iterable[str] = (),
    ) -> None:
        """`allow_terms`: the shop's own names (products, brands) that are never a person."""
        unknown = (entities or frozenset()) - ALL_ENTITIES
        if unknown:
            raise ValueError(f"unknown PII entities: {sorted(unknown)}")
        self.entities = entities if entities is not None else ALL_ENTITIES
        wants_names = "PERSON" in self.entities and name_lists
        self._lists = load_name_lists() if wants_names else NO_LISTS
        self._allow_words = frozenset(
            tok.lower for term in allow_terms for tok in tokenize(term) if tok.kind == "word"
        )

    def find(self, text: str) -> list[PiiSpan]:
        """All PII spans in `text`, sorted by position, never overlapping."""
        if not isinstance(text, str) or not text:
            return []
        text = text[:MAX_SCAN_CHARS]
        found: list[tuple[int, int, str, float]] = []
        # Template slots ("{{Order Number}}") and our own placeholders ("[EMAIL_1]") are no PII.
        taken = [m.span() for m in PLACEHOLDER_SLOT_RE.finditer(text)]
        for entity, finder in _STRUCTURED:
            for start, end, score in finder(text, taken):
                found.append((start, end, entity, score))
                taken.append((start, end))
        if {"ADDRESS", "PERSON"} & self.entities:
            found.extend(self._find_free_text(text, taken))
        return [
            PiiSpan(start, end, entity, text[start:end], score)
            for start, end, entity, score in sorted(found)
            if entity in self.entities
        ]

    def _find_free_text(
        self, text: str, taken: list[tuple[int, int]]
    ) -> list[tuple[int, int, str, float]]:
        tokens = tokenize(text)
        found: list[tuple[int, int, str, float]] = []
        for start, end, score in find_addresses(text, tokens, taken):
            found.append((start, end, "ADDRESS", score))
            taken.append((start, end))
        if "PERSON" in self.entities:
            for start, end, score in find_names(
                text, tokens, taken, self._lists, self._allow_words
            ):
                found.append((start, end, "PERSON", score))
                taken.append((start, end))
        return found

    def detect(self, text: str) -> Detection:
        """Flag `text` when it holds PII; the spans say what and where.

        Odd input never raises; an internal error does, so that every caller fails closed
        (the input guard withholds the message, storage writes a placeholder) instead of
        treating unchecked text as clean.
        """
        spans = self.find(text)
        if not spans:
            return Detection(self.name, flagged=False, score=0.0)
        kinds = sorted({s.entity for s in spans})
        return Detection(
            self.name,
            flagged=True,
            score=max(s.score for s in spans),
            detail=",".join(kinds),
            spans=tuple(spans),
        )
