"""Dashboards from the turn log: daily trust, feedback and handoff rates, aspects, drift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import ReviewSettings
from app.review.drift import DriftStatus
from app.review.metrics import build_dashboard
from tests.integration.review.conftest import sign_in
from tests.integration.review.factories import TurnSpec, seed_conversation


@pytest.fixture
def shifted(engine: Engine) -> datetime:
    """Four calm weeks about shipping, then a week of low trust about refunds."""
    now = datetime.now(UTC).replace(microsecond=0)
    with Session(engine) as session:
        for n in range(24):
            spec = TurnSpec(
                trust=0.75 + (n % 3) * 0.05,
                conversation_trust=0.8,
                confidence=0.9,
                sentiment="positive",
                aspects=[("shipping", "positive")],
                feedback=1 if n % 2 else None,
            )
            seed_conversation(session, [spec], at=now - timedelta(days=9 + n % 18))
        for n in range(12):
            spec = TurnSpec(
                trust=0.15 + (n % 3) * 0.05,
                conversation_trust=0.2,
                confidence=0.4,
                sentiment="negative",
                aspects=[("refunds", "negative")],
                feedback=0,
                prompt_version=2,
            )
            seed_conversation(
                session,
                [spec],
                at=now - timedelta(days=n % 5, hours=1),
                handoff="low_trust" if n % 3 == 0 else None,
            )
    return now


def test_dashboard_numbers_follow_the_log(engine: Engine, shifted: datetime) -> None:
    review = ReviewSettings(drift_min_samples=5)
    with Session(engine) as session:
        board = build_dashboard(session, days=28, now=shifted, review=review)
    assert len(board.days) == 28
    totals = board.totals
    assert totals["turns"] == 36 and totals["thumbs_down"] == 12
    assert totals["handoff_rate"] == pytest.approx(4 / 36)
    assert (
        board.aspects["refunds"]["negative"] == 12 and board.aspects["shipping"]["positive"] == 24
    )
    prompts = {p.prompt: p for p in board.prompts}
    assert prompts["answer@v2"].thumbs_up_rate == 0.0 and prompts["answer@v1"].thumbs_up_rate == 1.0
    assert prompts["answer@v2"].handoff_rate == pytest.approx(4 / 12)
    checks = {c.name: c for c in board.drift}
    assert checks["trust"].status is DriftStatus.DRIFT and checks["aspects"].alert
    assert {c.name for c in board.drifting} == {"trust", "aspects", "sentiment"}


def test_no_drift_when_this_week_looks_like_the_baseline(engine: Engine) -> None:
    now = datetime.now(UTC)
    with Session(engine) as session:
        for n in range(30):
            spec = TurnSpec(trust=0.5 + (n % 5) * 0.1, aspects=[("pricing", "neutral")])
            seed_conversation(session, [spec], at=now - timedelta(days=n % 35, hours=2))
        board = build_dashboard(
            session, days=7, now=now, review=ReviewSettings(drift_min_samples=5)
        )
    assert board.drifting == []


def test_dashboard_page_shows_the_alert_and_the_plots(web: TestClient, shifted: datetime) -> None:
    sign_in(web, "alice")
    page = web.get("/console/dashboard?days=28")
    assert page.status_code == 200
    assert 'id="drift-alert"' in page.text and "Drift alert" in page.text
    assert page.text.count('<svg class="chart"') >= 8  # 5 plots + 3 drift comparisons
    for title in ("Trust over time", "Aspects and polarity", "Feedback rate", "Handoff rate"):
        assert title in page.text
    assert "answer@v2" in page.text
    assert web.get("/console/dashboard?days=<b>").status_code == 200  # falls back to 28 days
