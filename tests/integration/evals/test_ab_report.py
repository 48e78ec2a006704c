"""`trustdesk eval ab` on a seeded turn log (real SQLite): per-version numbers and significance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import cli
from app.store import make_engine, upgrade_database
from app.store.models import Conversation, Feedback, HandoffRow, HandoffStatus, Turn
from evals.ab_report import two_proportions

DAY = datetime(2026, 3, 2, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Arm:
    """What to seed for one version: conversations of two turns each."""

    version: int
    conversations: int
    rated: int  # turns with feedback (the first `rated` turns)
    up: int  # of those, rated up
    handed_off: int  # conversations handed to a person (half by status, half by a row)
    trust: float
    channel: str = "web"
    when: datetime = DAY


def _seed(engine: Engine, arm: Arm, prefix: str) -> None:
    turns: list[Turn] = []
    with Session(engine) as session:
        for c in range(arm.conversations):
            cid = f"{prefix}-v{arm.version}-{c}"
            handed = c < arm.handed_off
            by_status = handed and c % 2 == 0
            session.add(
                Conversation(
                    id=cid,
                    channel=arm.channel,
                    handoff_status=HandoffStatus.REQUESTED if by_status else HandoffStatus.NONE,
                )
            )
            if handed and not by_status:
                session.add(HandoffRow(conversation_id=cid, reason="asked"))
            for n in (1, 2):
                turns.append(_turn(f"{cid}-t{n}", cid, n, arm))
        session.commit()
        session.add_all(turns)
        session.commit()
        for i, turn in enumerate(turns[: arm.rated]):
            if i == 0:  # rated down first, then changed to the final verdict: the latest counts
                session.add(Feedback(turn_id=turn.id, score=0))
                session.commit()
            session.add(Feedback(turn_id=turn.id, score=1 if i < arm.up else 0))
        session.commit()


def _turn(turn_id: str, cid: str, number: int, arm: Arm) -> Turn:
    return Turn(
        id=turn_id,
        conversation_id=cid,
        number=number,
        created_at=arm.when + timedelta(minutes=number),
        user_text="Is the Autumn Pullie in stock?",
        backend="extractive",
        model="extractive-v1",
        prompt_name="answer",
        prompt_version=arm.version,
        prompt_sha256=str(arm.version) * 64,
        trust_score=arm.trust,
    )


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A turn log with a clear v1/v2 difference, eval conversations and an older small test."""
    url = f"sqlite:///{tmp_path / 'turns.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    _seed(engine, Arm(1, 60, rated=100, up=50, handed_off=12, trust=0.5), "live")
    _seed(engine, Arm(2, 60, rated=100, up=80, handed_off=6, trust=0.7), "live")
    # Eval runs log through the same ChatService; they are no shoppers and must not count.
    _seed(engine, Arm(2, 30, rated=0, up=0, handed_off=30, trust=0.1, channel="eval"), "eval")
    january = DAY - timedelta(days=60)
    _seed(engine, Arm(1, 5, rated=6, up=3, handed_off=1, trust=0.4, when=january), "old")
    _seed(engine, Arm(2, 5, rated=6, up=6, handed_off=0, trust=0.6, when=january), "old")
    engine.dispose()
    return url


def _ab(database: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["eval", "ab", "--database-url", database, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_per_version_numbers_from_the_live_log(database: str) -> None:
    out = _ab(database, "--since", "2026-03-01")
    # 60 conversations and 120 turns each; 100 rated; thumbs up 50 % vs 80 %; handoffs 12 vs 6.
    assert "answer@v1          60    120     83.3%      50.0%    20.0%   0.50" in out
    assert "answer@v2          60    120     83.3%      80.0%    10.0%   0.70" in out


def test_a_clear_difference_is_significant_and_a_small_one_is_not(database: str) -> None:
    out = _ab(database, "--since", "2026-03-01")
    thumbs = next(line for line in out.splitlines() if line.startswith("thumbs-up share"))
    assert "v2 vs v1: +30.0 pt" in thumbs and "significant at the 5 % level" in thumbs
    handoff = next(line for line in out.splitlines() if line.startswith("handoff rate"))
    assert "-10.0 pt" in handoff and "no significant difference" in handoff


def test_too_little_data_says_so(database: str) -> None:
    out = _ab(database, "--until", "2026-01-31")
    assert "answer@v1           5     10" in out
    assert "thumbs-up share, v2 vs v1: not enough data (6 and 6 rated turns; 30 each needed)" in out
    assert "handoff rate, v2 vs v1: not enough data (5 and 5 conversations" in out


def test_an_empty_period_and_a_single_version(database: str, tmp_path: Path) -> None:
    assert "no live turns answered with answer" in _ab(database, "--since", "2027-01-01")
    out = _ab(database, "--since", "2026-03-01", "--prompt-name", "condense")
    assert "no live turns answered with condense" in out


def test_two_proportions_matches_a_hand_computation() -> None:
    difference, low, high, p_value = two_proportions(50, 100, 80, 100)
    assert difference == pytest.approx(0.30)
    # Wald: 1.96 * sqrt(.5*.5/100 + .8*.2/100) = 0.1255; pooled (p = .65): z = .3 / .0675 = 4.45.
    assert (low, high) == (pytest.approx(0.1745, abs=1e-3), pytest.approx(0.4255, abs=1e-3))
    assert p_value is not None and p_value == pytest.approx(8.7e-6, rel=0.01)
    assert two_proportions(10, 10, 20, 20)[3] is None  # no variation: no test
