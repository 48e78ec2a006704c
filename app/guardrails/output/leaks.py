"""Leak check: no personal data the shopper did not give, and no text of the system prompt."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from functools import lru_cache

from app.guardrails.output.base import (
    CheckResult,
    OutputContext,
    PiiFinder,
    check_sentences,
    strip_markers,
)

_WORD = re.compile(r"[a-z0-9]+")
_SHINGLE = 6  # six words in a row from the system prompt are no coincidence
_MIN_SHARED = 2  # ... and two such runs (seven words) are a quote


def pii_key(value: str) -> str:
    """A comparable form of a piece of personal data (case, spaces and punctuation ignored)."""
    return "".join(_WORD.findall(value.lower()))


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def template_shingles(template: str) -> set[tuple[str, ...]]:
    """Word runs of a prompt template's literal text (runs never cross a {placeholder})."""
    shingles: set[tuple[str, ...]] = set()
    for literal, *_ in string.Formatter().parse(template):
        for line in literal.splitlines():
            shingles |= _shingles(_WORD.findall(line.lower()))
    return shingles


class LeakCheck:
    """Fails sentences that reveal someone else's personal data or quote the system prompt."""

    name = "leaks"

    def __init__(self, find_pii: PiiFinder | None = None) -> None:
        self._find_pii = find_pii
        self._template = ""
        self._template_shingles: set[tuple[str, ...]] = set()
        # Sources come back turn after turn (and once per streamed sentence): scan each once.
        self._keys_of = lru_cache(maxsize=4096)(self._pii_keys)

    def check(self, answer: str, context: OutputContext) -> CheckResult:
        """Personal data must come from the shopper or the sources; no system-prompt quotes."""
        system = self._system_shingles(context.system_prompt)

        def leak(sentence: str, _: object) -> str:
            text = strip_markers(sentence)
            if len(_shingles(_WORD.findall(text.lower())) & system) >= _MIN_SHARED:
                return "quotes the system prompt"
            leaked = self._foreign_pii(text, context)
            return f"personal data the shopper did not give: {leaked}" if leaked else ""

        return check_sentences(self.name, answer, context, leak)

    def _foreign_pii(self, text: str, context: OutputContext) -> str:
        """Entity types in `text` that neither the shopper nor the shop's sources gave."""
        if self._find_pii is None:
            return ""
        spans = self._find_pii(text)
        if not spans:  # the usual case: no need to scan the sources at all
            return ""
        allowed = self._allowed(context.user_texts, [c.text for c in context.chunks])
        gave = context.shopper_gave
        foreign = [
            s.entity
            for s in spans
            if pii_key(s.text) not in allowed and not (gave is not None and gave(s.entity, s.text))
        ]
        return ", ".join(dict.fromkeys(foreign))

    def _allowed(self, user_texts: Iterable[str], sources: Iterable[str]) -> set[str]:
        """Keys of personal data the shopper gave or the shop itself publishes."""
        return {key for text in (*user_texts, *sources) for key in self._keys_of(text)}

    def _pii_keys(self, text: str) -> frozenset[str]:
        if self._find_pii is None:
            return frozenset()
        return frozenset(pii_key(span.text) for span in self._find_pii(text))

    def _system_shingles(self, template: str) -> set[tuple[str, ...]]:
        if template != self._template:  # one active prompt: compute once
            self._template_shingles = template_shingles(template)
            self._template = template
        return self._template_shingles
