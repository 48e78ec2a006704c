"""Fixtures: the real serving stack with guards and trust (shared with the trust tests)."""

from __future__ import annotations

from tests.integration.answering_trust.conftest import (  # noqa: F401  (fixtures)
    fake_llm,
    fake_llm_server,
    guard_artefacts,
    guarded_settings,
    shop_state,
    trust_settings,
    trusted,
)
