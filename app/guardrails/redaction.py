"""Redaction of PII with reversible, typed placeholders kept in a per-conversation vault.

- "placeholder": the value becomes `[EMAIL_1]`; the vault remembers it, the same value gets the
  same placeholder on every turn, and `vault.restore(text)` puts it back where the bot needs it
  (an order look-up by e-mail, the reply to the shopper).
- "redact": the value becomes `[CREDIT_CARD]` and is forgotten (only a keyed fingerprint stays,
  so the output leak check can still tell that the shopper gave it).
- "keep": the value stays in the text.
The vault holds personal data: it lives in memory for one conversation and is never logged,
serialised or written to the turn log; its repr shows counts only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from app.guardrails.base import PiiSpan

Mode = Literal["redact", "placeholder", "keep"]

# Contact details get reversible placeholders (the bot may need to say them back); payment and
# identity numbers are redacted for good; nothing is kept in clear. (Settings start from this.)
DEFAULT_POLICY: Mapping[str, Mode] = {
    "EMAIL": "placeholder",
    "PHONE": "placeholder",
    "ADDRESS": "placeholder",
    "PERSON": "placeholder",
    "CREDIT_CARD": "redact",
    "IBAN": "redact",
    "US_SSN": "redact",
    "IP_ADDRESS": "redact",
}
# A type the policy does not name is redacted: forgetting is the safe default.
FALLBACK_MODE: Mode = "redact"

PLACEHOLDER_RE = re.compile(r"\[([A-Z][A-Z_]*?)_(\d{1,6})\]")
_NON_DIGIT_RE = re.compile(r"[^\d+]")
_SPACES_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w+")


def normalise(entity: str, value: str) -> str:
    """The form under which two mentions count as the same value (case, spacing, separators)."""
    if entity in {"PHONE", "CREDIT_CARD", "US_SSN"}:
        return _NON_DIGIT_RE.sub("", value)
    if entity == "IBAN":
        return value.replace(" ", "").upper()
    return _SPACES_RE.sub(" ", value).strip().casefold()


def _parts(entity: str, value: str) -> list[str]:
    """The words of a name or address, for partial matches; nothing for other types."""
    if entity not in {"PERSON", "ADDRESS"}:
        return []
    return [w.casefold() for w in _WORD_RE.findall(value) if len(w) > 1]


def foreign_pii(spans: Iterable[PiiSpan], vault: PiiVault) -> list[PiiSpan]:
    """Spans of an answer whose values this conversation's shopper never gave (leak check)."""
    return [span for span in spans if not vault.seen(span.entity, span.text)]


class PiiVault:
    """Placeholder <-> value map for one conversation. Holds personal data: never log it."""

    def __init__(self) -> None:
        self._placeholders: dict[tuple[str, str], str] = {}
        self._values: dict[str, str] = {}
        self._counters: dict[str, int] = {}
        self._key = secrets.token_bytes(32)
        self._fingerprints: set[str] = set()

    def placeholder(self, entity: str, value: str) -> str:
        """The placeholder for `value` (created on first sight, then reused)."""
        key = (entity, normalise(entity, value))
        existing = self._placeholders.get(key)
        if existing is not None:
            return existing
        number = self._counters.get(entity, 0) + 1
        self._counters[entity] = number
        token = f"[{entity}_{number}]"
        self._placeholders[key] = token
        self._values[token] = value
        self._remember(entity, value)
        return token

    def remember_redacted(self, entity: str, value: str) -> None:
        """Note that the shopper gave `value` without keeping it (a keyed fingerprint only)."""
        self._remember(entity, value)

    def seen(self, entity: str, value: str) -> bool:
        """Whether this conversation's shopper gave `value` (placeholder or redacted).

        A name or address also counts as given when every word of it was ("Jane" of
        "Jane Roe", "Springfield, IL" of a full address).
        """
        if self._fingerprint(entity, value) in self._fingerprints:
            return True
        parts = _parts(entity, value)
        return bool(parts) and all(
            self._fingerprint(f"{entity}#part", p) in self._fingerprints for p in parts
        )

    def value(self, placeholder: str) -> str | None:
        """The original value behind `placeholder`, or None."""
        return self._values.get(placeholder)

    def restore(self, text: str, entities: Iterable[str] | None = None) -> str:
        """Put the original values back for every known placeholder (of `entities`, if given)."""
        allowed = set(entities) if entities is not None else None

        def swap(match: re.Match[str]) -> str:
            if allowed is not None and match.group(1) not in allowed:
                return match.group()
            return self._values.get(match.group(), match.group())

        return PLACEHOLDER_RE.sub(swap, text)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in sorted(self._counters.items()))
        return f"PiiVault({counts or 'empty'})"

    __str__ = __repr__

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("PiiVault holds personal data and is never serialised")

    def _remember(self, entity: str, value: str) -> None:
        self._fingerprints.add(self._fingerprint(entity, value))
        for part in _parts(entity, value):
            self._fingerprints.add(self._fingerprint(f"{entity}#part", part))

    def _fingerprint(self, entity: str, value: str) -> str:
        message = f"{entity}\x00{normalise(entity, value)}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Redaction:
    """One replaced span (offsets in the original text); carries no personal data."""

    entity: str
    start: int
    end: int
    mode: Mode
    replacement: str


@dataclass(frozen=True)
class RedactedText:
    """A text with its PII replaced, and what was replaced (safe to log)."""

    text: str
    redactions: tuple[Redaction, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything was replaced."""
        return any(r.mode != "keep" for r in self.redactions)

    @property
    def entities(self) -> tuple[str, ...]:
        """Sorted entity types that were found (kept ones included)."""
        return tuple(sorted({r.entity for r in self.redactions}))


class Redactor:
    """Replaces PII spans by policy: typed placeholders, hard redaction, or nothing."""

    def __init__(
        self,
        policy: Mapping[str, Mode] | None = None,
        find: Callable[[str], Sequence[PiiSpan]] | None = None,
    ) -> None:
        """`policy` maps entity types to modes; `find` defaults to `PiiDetector().find`."""
        self.policy: dict[str, Mode] = {**DEFAULT_POLICY, **(policy or {})}
        if find is None:
            from app.guardrails.pii import PiiDetector  # built lazily: name lists load ~1 s

            find = PiiDetector().find
        self._find = find

    def mode_for(self, entity: str) -> Mode:
        """The policy's mode for `entity`."""
        return self.policy.get(entity, FALLBACK_MODE)

    def redact(
        self, text: str, vault: PiiVault, spans: Sequence[PiiSpan] | None = None
    ) -> RedactedText:
        """Replace PII in `text` (found now, or the given `spans`) and record it in `vault`."""
        found = sorted(self._find(text) if spans is None else spans, key=lambda s: s.start)
        pieces: list[str] = []
        redactions: list[Redaction] = []
        cursor = 0
        for span in found:
            if span.start < cursor:  # overlapping spans: the first one wins
                continue
            mode = self.mode_for(span.entity)
            value = text[span.start : span.end]
            replacement = self._replacement(span.entity, value, mode, vault)
            pieces += [text[cursor : span.start], replacement]
            redactions.append(Redaction(span.entity, span.start, span.end, mode, replacement))
            cursor = span.end
        pieces.append(text[cursor:])
        return RedactedText("".join(pieces), tuple(redactions))

    @staticmethod
    def _replacement(entity: str, value: str, mode: Mode, vault: PiiVault) -> str:
        if mode == "keep":
            return value
        if mode == "placeholder":
            return vault.placeholder(entity, value)
        vault.remember_redacted(entity, value)
        return f"[{entity}]"
