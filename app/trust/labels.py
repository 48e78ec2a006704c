"""A labelled message for the trust scorer: its aspects with polarity, and its own polarity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.trust.base import Aspect, Polarity


@dataclass(frozen=True)
class TrustExample:
    """One message and what it says about the shop.

    `aspects` is None when the source does not tell which aspects the message is about (it then
    teaches and tests only polarity); an empty mapping means "about none of the eight".
    `polarity` is the message's own polarity, None when unknown or mixed (positive and
    negative aspects in one message).
    """

    text: str
    aspects: Mapping[Aspect, Polarity] | None
    polarity: Polarity | None
    source: str = ""
    group: str = ""  # examples of one group (one template's fills) share a fold in validation

    @property
    def aspect_set(self) -> frozenset[Aspect]:
        """The aspects the message is about (empty when unknown)."""
        return frozenset(self.aspects or {})
