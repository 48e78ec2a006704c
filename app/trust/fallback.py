"""A scorer that asks a primary scorer (the LLM) and falls back to another (embedded) on failure."""

from __future__ import annotations

import logging

from app.trust.base import MessageTrust, TrustScorer

logger = logging.getLogger(__name__)


class FallbackTrustScorer:
    """Scores with `primary`; when it fails (timeout, bad JSON, outage) `fallback` answers."""

    def __init__(self, primary: TrustScorer, fallback: TrustScorer) -> None:
        self._primary = primary
        self._fallback = fallback
        self.name = primary.name

    def score(self, text: str) -> MessageTrust:
        """The primary scorer's verdict, or the fallback's when the primary fails."""
        try:
            return self._primary.score(text)
        except Exception:
            logger.warning(
                "%s trust scorer failed; %s answers",
                self._primary.name,
                self._fallback.name,
                exc_info=True,
            )
            return self._fallback.score(text)
